from odoo import fields, models


class LianghuaChecklistTemplateLine(models.Model):
    _name = "lianghua.checklist.template.line"
    _description = "Checklist Template Item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "lianghua.checklist.template", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True, translate=True)
    description = fields.Text(translate=True)
    required = fields.Boolean(default=True, help="Must pass before the check is complete.")
