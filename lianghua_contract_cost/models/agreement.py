from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Who reads settlements (their access rights): the contract's link to its
# settlement is theirs only.
SETTLEMENT_READERS = (
    "lianghua_service.group_lianghua_it_user,lianghua_cost.group_lianghua_finance,"
    "lianghua_service.group_lianghua_leader,lianghua_service.group_lianghua_auditor"
)


class Agreement(models.Model):
    _inherit = "agreement"

    lianghua_settlement_ids = fields.One2many(
        "lianghua.contract.settlement",
        "agreement_id",
        string="Settlements",
        groups=SETTLEMENT_READERS,
    )
    lianghua_settlement_id = fields.Many2one(
        "lianghua.contract.settlement",
        string="Settlement",
        compute="_compute_lianghua_settlement_id",
        groups=SETTLEMENT_READERS,
    )

    @api.depends("lianghua_settlement_ids.state")
    def _compute_lianghua_settlement_id(self):
        for contract in self:
            contract.lianghua_settlement_id = contract.lianghua_settlement_ids.filtered(
                lambda s: s.state != "cancel"
            )[:1]

    # Actions

    def action_lianghua_settle(self):
        """The contract's settlement: prepared now (IT), or opened."""
        self.ensure_one()
        self._check_it()
        self.check_access("read")
        settlement = self.lianghua_settlement_id
        if not settlement:
            settlement = self.env["lianghua.contract.settlement"].create({"agreement_id": self.id})
        return settlement._get_lianghua_form_action()

    def action_view_lianghua_settlement(self):
        self.ensure_one()
        self.check_access("read")
        settlement = self.env["lianghua.contract.settlement"].search(
            [("agreement_id", "=", self.id), ("state", "!=", "cancel")], limit=1
        )
        if not settlement:
            raise UserError(_("Contract %(name)s has no settlement yet.", name=self.display_name))
        return settlement._get_lianghua_form_action()

    # Business

    def _lianghua_sync_settlements(self):
        """The draft settlements of these contracts cover their payments and
        breaches as they are recorded."""
        settlements_sudo = (
            self.env["lianghua.contract.settlement"]
            .sudo()  # the lines are the workflow's, whoever records the breach
            .search([("agreement_id", "in", self.ids), ("state", "=", "draft")])
        )
        settlements_sudo._lianghua_sync_lines()
