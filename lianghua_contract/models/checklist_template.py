from odoo import fields, models

from .agreement import CONTRACT_TYPES


class LianghuaChecklistTemplate(models.Model):
    """The supervision checklists of the service contracts (policy 7.2): the
    service standards a provider is checked against, per contract type."""

    _inherit = "lianghua.checklist.template"

    kind = fields.Selection(
        selection_add=[("contract_supervision", "Contract Supervision")],
        ondelete={"contract_supervision": "cascade"},
    )
    lianghua_contract_type = fields.Selection(
        CONTRACT_TYPES,
        string="Contract Type",
        help="The contracts this supervision checklist is for; leave empty for every type.",
    )

    def _lianghua_fits_contract(self, contract):
        """A supervision checklist of ``contract``'s type (or of every type), in its company."""
        if not self:
            return False
        self.ensure_one()
        return (
            self.kind == "contract_supervision"
            and self.lianghua_contract_type in (False, contract.lianghua_contract_type)
            and self.company_id in (contract.company_id, self.env["res.company"])
        )
