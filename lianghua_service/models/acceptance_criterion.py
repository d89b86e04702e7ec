from odoo import fields, models


class LianghuaAcceptanceCriterion(models.Model):
    _name = "lianghua.acceptance.criterion"
    _description = "Acceptance Criterion"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to use it in every company.")
