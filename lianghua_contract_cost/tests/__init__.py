from . import test_settlement
from . import test_settlement_access
from . import test_races
from . import test_report
