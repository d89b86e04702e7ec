from . import risk
from . import agreement
