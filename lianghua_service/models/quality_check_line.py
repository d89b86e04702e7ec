from odoo import _, api, fields, models
from odoo.exceptions import UserError

RESULTS = [
    ("pending", "To Check"),
    ("pass", "Passed"),
    ("fail", "Failed"),
    ("na", "Not Applicable"),
]


class LianghuaQualityCheckLine(models.Model):
    _name = "lianghua.quality.check.line"
    _description = "Quality Check Item"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "check_id"
    _order = "check_id, sequence, id"

    check_id = fields.Many2one(
        "lianghua.quality.check",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="check_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    description = fields.Text()
    required = fields.Boolean(default=True)
    result = fields.Selection(RESULTS, required=True, default="pending")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        checks = self._lianghua_vals_records(vals_list, "check_id")
        if not self.env.su:
            checks._check_editable()
            # Items added by hand are extra: the template says what is required.
            for vals in vals_list:
                vals["required"] = False
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_id._check_editable()
            if "required" in vals or ("name" in vals and self.filtered("required")):
                raise UserError(_("The required items of a check come from its template."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if not self.env.su:
            self.check_id._check_editable()
            if self.filtered("required"):
                raise UserError(_("The required items of a check come from its template."))
