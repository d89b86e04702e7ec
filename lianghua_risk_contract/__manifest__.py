{
    "name": "Lianghua Contract Risks",
    "summary": "Risks of service contracts in the risk register: a risk may be the risk of "
    "a contract, read by the department the contract serves, counted on the contract",
    "version": "18.0.1.0.0",
    "category": "Services/Lianghua",
    "author": "Lianghua",
    "maintainers": ["lianghua"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": [
        "lianghua_risk",
        "lianghua_contract",
    ],
    "data": [
        "views/lianghua_risk_views.xml",
        "views/agreement_views.xml",
        "security/ir_rule.xml",
    ],
}
