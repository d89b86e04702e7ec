from . import test_cost_access
from . import test_cost_flow
from . import test_performance
from . import test_races
from . import test_tour
