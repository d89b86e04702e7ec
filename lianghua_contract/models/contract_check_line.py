from odoo import api, fields, models

RESULTS = [
    ("pending", "To Check"),
    ("pass", "Passed"),
    ("partial", "Partly Met"),
    ("fail", "Failed"),
    ("na", "Not Applicable"),
]


class LianghuaContractCheckLine(models.Model):
    """An item of a supervision check: a service standard and how the
    provider met it."""

    _name = "lianghua.contract.check.line"
    _description = "Contract Supervision Check Item"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "check_id"
    _order = "check_id, sequence, id"

    check_id = fields.Many2one(
        "lianghua.contract.check",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="check_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="check_id.partner_id", store=True, string="Vendor")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    description = fields.Text()
    result = fields.Selection(RESULTS, required=True, default="pending")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        checks = self._lianghua_vals_records(vals_list, "check_id")
        if not self.env.su:
            checks._lianghua_check_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            self.check_id._lianghua_check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if not self.env.su:
            self.check_id._lianghua_check_editable()
