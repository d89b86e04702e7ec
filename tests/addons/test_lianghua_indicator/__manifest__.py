{
    "name": "Lianghua Indicators: a computation registered by another addon (tests)",
    "summary": "Registers an indicator computation the way lianghua_contract, lianghua_risk "
    "and the other addons do, for the tests of the indicators mechanism",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Lianghua",
    "license": "AGPL-3",
    "depends": ["lianghua_service"],
    "installable": True,
}
