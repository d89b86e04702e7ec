from . import test_cost_warnings
