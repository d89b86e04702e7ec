from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AgreementClause(models.Model):
    """A clause may say what a breach of it costs (policy 7.2.2): a fixed
    amount, a share of the contract's fee, or an amount per day late, capped
    or not. Breaches recorded against the clause compute their liability from
    it."""

    _name = "agreement.clause"
    _inherit = ["agreement.clause", "lianghua.contract.text.mixin"]

    lianghua_liability_type = fields.Selection(
        [
            ("none", "No Liability Set"),
            ("fixed", "Fixed Amount"),
            ("fee_percent", "Percentage of the Fee"),
            ("per_day", "Per Day Late"),
        ],
        string="Breach Liability",
        default="none",
        required=True,
    )
    lianghua_liability_amount = fields.Float(
        string="Liability Amount", help="The fixed amount, or the amount per day late."
    )
    lianghua_liability_percent = fields.Float(
        string="Liability (%)", help="Share of the contract amount."
    )
    lianghua_liability_cap = fields.Float(
        string="Liability Cap", help="The most a breach of this clause costs; 0 for no cap."
    )

    @api.constrains(
        "lianghua_liability_amount", "lianghua_liability_percent", "lianghua_liability_cap"
    )
    def _check_lianghua_liability(self):
        for clause in self:
            if (
                min(
                    clause.lianghua_liability_amount,
                    clause.lianghua_liability_percent,
                    clause.lianghua_liability_cap,
                )
                < 0
                or clause.lianghua_liability_percent > 100
            ):
                raise ValidationError(
                    _("The liability of clause %(name)s must be positive.", name=clause.name)
                )

    def _lianghua_liability(self, days=0):
        """What a breach of this clause costs, in the contract's currency."""
        self.ensure_one()
        amount = {
            "none": 0.0,
            "fixed": self.lianghua_liability_amount,
            "fee_percent": self.agreement_id.lianghua_amount
            * self.lianghua_liability_percent
            / 100,
            "per_day": self.lianghua_liability_amount * max(days, 0),
        }[self.lianghua_liability_type]
        if self.lianghua_liability_cap:
            amount = min(amount, self.lianghua_liability_cap)
        return amount
