from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AgreementSection(models.Model):
    _name = "agreement.section"
    _inherit = ["agreement.section", "lianghua.contract.text.mixin"]

    lianghua_template_id = fields.Many2one(
        "lianghua.contract.section.template", string="Policy Section", readonly=True
    )
    lianghua_mandatory = fields.Boolean(
        related="lianghua_template_id.mandatory", string="Mandatory"
    )
    lianghua_guidance = fields.Text(related="lianghua_template_id.guidance", string="Guidance")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_mandatory(self):
        if not self.env.su and self.filtered(lambda s: s.lianghua_template_id.mandatory):
            raise UserError(_("A mandatory section of the policy cannot be removed."))
