from . import test_cost_flow
