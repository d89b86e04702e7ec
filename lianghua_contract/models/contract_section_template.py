from odoo import fields, models


class LianghuaContractSectionTemplate(models.Model):
    """A section every service contract starts with (policy 7.1.1: scope,
    service standards, term, fees, payment method, rights and obligations,
    breach liability), with its model text. Mandatory sections must be
    filled before the legal review."""

    _name = "lianghua.contract.section.template"
    _description = "Contract Section Template"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(help="A short key for reports and integrations.")
    mandatory = fields.Boolean(
        default=True, help="A contract cannot go to legal review while this section is empty."
    )
    content = fields.Html(
        string="Model Text",
        translate=True,
        help="The text each new contract starts from; empty for a section written per contract.",
    )
    guidance = fields.Text(translate=True, help="What legal expects in this section.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the section in every company."
    )
