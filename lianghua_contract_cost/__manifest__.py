{
    "name": "Lianghua Contract Settlement",
    "summary": "Settlement of each service contract at the project's end: what was billed, "
    "paid, deducted for breaches and retained, the balance due, the project's budget "
    "against actual, audited then signed by finance",
    "version": "18.0.1.0.0",
    "category": "Services/Lianghua",
    "author": "Lianghua",
    "maintainers": ["lianghua"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": [
        "lianghua_contract",
        "lianghua_cost",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/tier_definition_data.xml",
        "views/lianghua_contract_settlement_views.xml",
        "views/agreement_views.xml",
        "views/lianghua_contract_cost_menus.xml",
        "security/ir_rule.xml",
        "report/lianghua_contract_settlement_report.xml",
    ],
    "demo": [
        "demo/lianghua_contract_cost_demo.xml",
    ],
}
