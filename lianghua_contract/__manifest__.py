{
    "name": "Lianghua Contracts",
    "summary": "Service contracts of outsourcing and partners: legal review, signing, "
    "payment milestones billed through accounting, supervision, vendor evaluation, "
    "breaches and renewal",
    "version": "18.0.1.0.0",
    "category": "Services/Lianghua",
    "author": "Lianghua",
    "maintainers": ["lianghua"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": [
        "lianghua_service",
        "account",
        "agreement_legal",
        "agreement_account",
        "agreement_project",
        "agreement_helpdesk_mgmt",
    ],
    "data": [
        "security/lianghua_contract_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/contract_section_template_data.xml",
        "data/tier_definition_data.xml",
        "data/ir_cron_data.xml",
        "data/indicator_data.xml",
        "views/agreement_views.xml",
        "views/lianghua_contract_milestone_views.xml",
        "views/lianghua_contract_breach_views.xml",
        "views/lianghua_contract_config_views.xml",
        "views/res_config_settings_views.xml",
        "views/lianghua_vendor_evaluation_views.xml",
        "views/res_partner_views.xml",
        "views/lianghua_contract_menus.xml",
        "security/ir_rule.xml",
        "report/lianghua_contract_report.xml",
    ],
    "demo": [
        "demo/lianghua_contract_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "lianghua_contract/static/tests/tours/*.js",
        ],
    },
}
