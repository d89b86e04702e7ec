from . import settlement
from . import settlement_line
from . import agreement
from . import contract_breach
from . import contract_milestone
from . import tier_definition
