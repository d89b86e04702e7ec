from odoo import fields, models

CHECK_KINDS = [
    ("requirement_review", "Requirement Review"),
    ("design_review", "Design Review"),
    ("go_live", "Go-live Checklist"),
]


class LianghuaChecklistTemplate(models.Model):
    _name = "lianghua.checklist.template"
    _description = "Checklist Template"
    _order = "kind, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(CHECK_KINDS, required=True)
    sequence = fields.Integer(default=10)
    line_ids = fields.One2many(
        "lianghua.checklist.template.line", "template_id", string="Items", copy=True
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the template in every company."
    )
