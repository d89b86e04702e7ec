from odoo import api, fields, models


class Agreement(models.Model):
    """The open risks of a service contract, from its smart button."""

    _inherit = "agreement"

    lianghua_risk_count = fields.Integer(
        string="Open Risks", compute="_compute_lianghua_risk_count"
    )

    @api.depends_context("uid", "allowed_company_ids")  # what the user's rules let them count
    def _compute_lianghua_risk_count(self):
        counts = self.env["lianghua.risk"]._lianghua_open_counts("contract_id", self)
        for contract in self:
            contract.lianghua_risk_count = counts.get(contract, (0, 0))[0]

    # Actions

    def action_lianghua_view_risks(self):
        """The contract's risks, the open ones first shown; IT identifies new
        ones from there."""
        action = self._get_lianghua_records_action(
            "lianghua_risk.lianghua_risk_action",
            "contract_id",
            create=self.env["lianghua.risk"]._lianghua_is_it(),
        )
        action["context"]["search_default_open"] = 1
        return action
