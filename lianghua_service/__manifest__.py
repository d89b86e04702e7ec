{
    "name": "Lianghua Services",
    "summary": "IT and digital-transformation service management: service catalogue, "
    "demand lists, service requests, leader approval and IT evaluation",
    "version": "18.0.1.0.0",
    "category": "Services/Lianghua",
    "author": "Lianghua",
    "maintainers": ["lianghua"],
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": ["hr", "mail", "base_tier_validation"],
    "data": [
        "security/lianghua_service_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/service_catalogue_data.xml",
        "data/evaluation_dimension_data.xml",
        "data/tier_definition_data.xml",
        "views/lianghua_tier_validation_templates.xml",
        "views/lianghua_request_views.xml",
        "views/lianghua_demand_list_views.xml",
        "views/lianghua_evaluation_views.xml",
        "views/lianghua_service_catalogue_views.xml",
        "views/lianghua_service_menus.xml",
        "security/ir_rule.xml",
        "report/lianghua_request_report.xml",
    ],
    "demo": ["demo/lianghua_service_demo.xml"],
    "assets": {
        "web.report_assets_common": [
            "lianghua_service/static/src/scss/lianghua_report.scss",
        ],
        "web.assets_tests": [
            "lianghua_service/static/tests/tours/*.js",
        ],
    },
}
