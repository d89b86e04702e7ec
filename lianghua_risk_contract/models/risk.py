from odoo import _, api, fields, models


class LianghuaRisk(models.Model):
    """A risk may be the risk of a service contract (policy 6 and 7: the
    vendor fails to deliver, its people leave, a breach): alone, it belongs
    to the contract's company and to the department the contract serves."""

    _inherit = "lianghua.risk"

    contract_id = fields.Many2one(
        "agreement", index="btree_not_null", tracking=True, check_company=True,
        ondelete="restrict", domain="[('lianghua_kind', '!=', False)]",
        help="The service contract the risk threatens, or that the risk comes from.",
    )  # fmt: skip

    # Computes

    @api.depends("contract_id.company_id")
    def _compute_company_id(self):
        res = super()._compute_company_id()
        for risk in self._lianghua_contract_only():
            risk.company_id = risk.contract_id.company_id
        return res

    @api.depends("contract_id.lianghua_department_id")
    def _compute_department_id(self):
        res = super()._compute_department_id()
        for risk in self._lianghua_contract_only():
            risk.department_id = risk.contract_id.lianghua_department_id
        return res

    def _lianghua_contract_only(self):
        """The risks whose only subject is their contract."""
        return self.filtered(
            lambda risk: risk.contract_id and not (risk.project_id or risk.system_id)
        )

    # Constraints

    @api.constrains("project_id", "system_id", "contract_id")
    def _check_subject(self):
        return super()._check_subject()

    def _lianghua_subject(self):
        return super()._lianghua_subject() or self.contract_id

    def _lianghua_subject_names(self):
        return _("a project, an information system or a contract")

    # CRUD

    @api.model
    def _lianghua_company_of(self, vals):
        if vals.get("contract_id") and not (vals.get("project_id") or vals.get("system_id")):
            return self._lianghua_vals_records([vals], "contract_id").company_id
        return super()._lianghua_company_of(vals)
