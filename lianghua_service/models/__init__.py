from . import (
    demand_item,
    demand_list,
    evaluation,
    evaluation_dimension,
    evaluation_line,
    request,
    service_category,
    service_type,
    tier_definition,
    tier_review,
)
