from odoo import fields, models


class LianghuaSystemCategory(models.Model):
    """Kinds of information systems IT runs: ERP, CRM, OA, network, servers,
    data platform... (editable, the policy's list as defaults)."""

    _name = "lianghua.system.category"
    _description = "Information System Category"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to use it in every company.")

    _sql_constraints = [
        ("name_uniq", "unique (name, company_id)", "A category name is used once."),
    ]
