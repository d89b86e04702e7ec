from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AgreementSection(models.Model):
    _inherit = "agreement.section"

    lianghua_template_id = fields.Many2one(
        "lianghua.contract.section.template", string="Policy Section", readonly=True
    )
    lianghua_mandatory = fields.Boolean(
        related="lianghua_template_id.mandatory", string="Mandatory"
    )
    lianghua_guidance = fields.Text(related="lianghua_template_id.guidance", string="Guidance")

    @api.model_create_multi
    def create(self, vals_list):
        self.env["agreement"].browse(
            [vals["agreement_id"] for vals in vals_list if vals.get("agreement_id")]
        )._lianghua_check_text_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.agreement_id._lianghua_check_text_editable()
        if "agreement_id" in vals:
            self.env["agreement"].browse(vals["agreement_id"])._lianghua_check_text_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lianghua_contract(self):
        self.agreement_id._lianghua_check_text_editable()
        if not self.env.su and self.filtered(lambda s: s.lianghua_template_id.mandatory):
            raise UserError(_("A mandatory section of the policy cannot be removed."))
