from . import test_contract_risks
