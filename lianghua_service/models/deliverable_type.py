from odoo import fields, models


class LianghuaDeliverableType(models.Model):
    _name = "lianghua.deliverable.type"
    _description = "Acceptance Deliverable"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    required = fields.Boolean(
        default=True, help="An acceptance application is refused while this document is missing."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to use it in every company.")
