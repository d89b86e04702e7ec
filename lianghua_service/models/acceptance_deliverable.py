from odoo import api, fields, models


class LianghuaAcceptanceDeliverable(models.Model):
    _name = "lianghua.acceptance.deliverable"
    _description = "Acceptance Deliverable Document"
    _order = "acceptance_id, sequence, id"

    acceptance_id = fields.Many2one(
        "lianghua.acceptance", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="acceptance_id.company_id", store=True)
    type_id = fields.Many2one("lianghua.deliverable.type", string="Deliverable", required=True)
    sequence = fields.Integer(related="type_id.sequence", store=True)
    required = fields.Boolean(default=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Documents")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        acceptances = self.env["lianghua.acceptance"].browse(
            {vals.get("acceptance_id") for vals in vals_list}
        )
        acceptances._check_deliverables_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.acceptance_id._check_deliverables_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed(self):
        self.acceptance_id._check_deliverables_editable()
