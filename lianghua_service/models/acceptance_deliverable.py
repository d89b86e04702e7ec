from odoo import api, fields, models


class LianghuaAcceptanceDeliverable(models.Model):
    _name = "lianghua.acceptance.deliverable"
    _description = "Acceptance Deliverable Document"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "acceptance_id"
    _order = "acceptance_id, sequence, id"

    acceptance_id = fields.Many2one(
        "lianghua.acceptance", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="acceptance_id.company_id", store=True)
    type_id = fields.Many2one(
        "lianghua.deliverable.type", string="Deliverable", required=True, check_company=True
    )
    sequence = fields.Integer(related="type_id.sequence", store=True)
    required = fields.Boolean(related="type_id.required")
    attachment_ids = fields.Many2many("ir.attachment", string="Documents")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        acceptances = self._lianghua_vals_records(vals_list, "acceptance_id")
        acceptances._check_deliverables_editable()
        deliverables = super().create(vals_list)
        deliverables._link_documents()
        return deliverables

    def write(self, vals):
        self.acceptance_id._check_deliverables_editable()
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._link_documents()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed(self):
        self.acceptance_id._check_deliverables_editable()

    def _link_documents(self):
        """Uploaded documents belong to no record yet, and only their uploader
        may read them: they become the acceptance's, readable by whoever reads
        the acceptance (the requesting department, the group, auditors)."""
        for deliverable in self:
            # The uploader (IT) links them; the acceptance decides who reads them.
            deliverable.acceptance_id._lianghua_adopt_attachments(
                deliverable.attachment_ids, deliverable.acceptance_id
            )
