from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    lianghua_evaluation_count = fields.Integer(
        compute="_compute_lianghua_evaluation_count", string="Vendor Evaluation Count"
    )

    def _compute_lianghua_evaluation_count(self):
        Evaluation = self.env["lianghua.vendor.evaluation"]
        counts = {}
        if Evaluation.has_access("read"):  # the partner form is everyone's
            counts = dict(
                Evaluation._read_group(
                    [("partner_id", "in", self.commercial_partner_id.ids)],
                    ["partner_id"],
                    ["__count"],
                )
            )
        for partner in self:
            partner.lianghua_evaluation_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_lianghua_evaluations(self):
        self.ensure_one()
        vendor = self.commercial_partner_id
        action = self.env["ir.actions.actions"]._for_xml_id(
            "lianghua_contract.lianghua_vendor_evaluation_action"
        )
        action["domain"] = [("partner_id", "=", vendor.id)]
        action["context"] = {"default_partner_id": vendor.id}
        return action
