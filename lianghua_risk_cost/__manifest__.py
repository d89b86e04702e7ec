{
    "name": "Lianghua Cost Warnings",
    "summary": "Early warnings of cost overruns: the budget consumed and the cost variance "
    "of each project raise a warning, and a risk of the register, past their thresholds",
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
        "lianghua_cost",
    ],
    "data": [
        "data/risk_category_data.xml",
        "data/indicator_data.xml",
    ],
    "uninstall_hook": "uninstall_hook",
}
