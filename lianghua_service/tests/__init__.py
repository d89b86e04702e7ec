from . import (
    test_access,
    test_bad_input,
    test_demand_list,
    test_report,
    test_request_flow,
    test_tier_validation,
    test_tour,
)
