{
    "name": "Lianghua Risks",
    "summary": "Risk register with a configurable probability × impact matrix, responses, "
    "periodic reviews, a heat map, and early warnings that raise themselves from the "
    "indicators measured on each project",
    "version": "18.0.1.0.0",
    "category": "Services/Lianghua",
    "author": "Lianghua",
    "maintainers": ["lianghua"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["lianghua_service"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/risk_category_data.xml",
        "data/risk_matrix_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/indicator_data.xml",
        "views/lianghua_risk_views.xml",
        "views/lianghua_risk_review_views.xml",
        "views/lianghua_risk_warning_views.xml",
        "views/lianghua_risk_config_views.xml",
        "views/project_project_views.xml",
        "views/lianghua_plan_views.xml",
        "views/lianghua_indicator_views.xml",
        "views/lianghua_system_views.xml",
        "views/res_config_settings_views.xml",
        "views/lianghua_risk_menus.xml",
        "security/ir_rule.xml",
    ],
    "demo": [
        "demo/lianghua_risk_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "lianghua_risk/static/src/heat_map/*",
        ],
        "web.assets_tests": [
            "lianghua_risk/static/tests/tours/*.js",
        ],
    },
}
