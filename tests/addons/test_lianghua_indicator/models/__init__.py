from . import indicator
