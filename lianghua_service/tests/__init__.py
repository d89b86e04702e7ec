from . import test_access
from . import test_bad_input
from . import test_demand_list
from . import test_query_counts
from . import test_report
from . import test_request_flow
from . import test_tier_validation
from . import test_tour
