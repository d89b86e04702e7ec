from . import monitoring
from . import portal
