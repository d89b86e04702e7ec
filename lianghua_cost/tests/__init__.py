from . import test_cost_flow
from . import test_tour
