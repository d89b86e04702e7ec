from . import test_risk_register
from . import test_risk_reviews
from . import test_early_warnings
from . import test_risk_access
from . import test_races
from . import test_tour
