from odoo import api, fields, models

# What the line figures are computed from: the payment's bill and its
# payments, the breach's penalty and its credit note.
MOVE_FIGURES = ("state", "payment_state", "amount_untaxed", "amount_total", "amount_residual")
PAYMENT_STATUS = {"paid": "paid", "in_payment": "paid", "partial": "partial"}


class LianghuaContractSettlementLine(models.Model):
    """One payment milestone or one breach of a settled contract and what it
    weighs in the settlement (the settlement's docstring defines each
    figure). Live while the settlement is a draft; from its submission on,
    the figures stay as they were submitted. The workflow writes the lines:
    nobody else."""

    _name = "lianghua.contract.settlement.line"
    _description = "Settlement Line"
    _order = "settlement_id, sequence, id"
    _check_company_auto = True

    settlement_id = fields.Many2one(
        "lianghua.contract.settlement",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="settlement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="settlement_id.currency_id")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("payment", "Payment"), ("retention", "Retention Release"), ("breach", "Breach")],
        required=True,
    )
    name = fields.Char(string="Label", required=True)
    milestone_id = fields.Many2one(
        "lianghua.contract.milestone",
        string="Payment",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    breach_id = fields.Many2one(
        "lianghua.contract.breach",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    status = fields.Selection(
        [
            ("open", "Not Billed"),
            ("cancel", "Cancelled"),
            ("draft_bill", "Bill in Draft"),
            ("not_paid", "Not Paid"),
            ("partial", "Partially Paid"),
            ("paid", "Paid"),
            ("undecided", "Not Decided"),
            ("agreed", "Penalty Agreed"),
            ("deducted", "Penalty Deducted"),
            ("waived", "Waived"),
        ],
        compute="_compute_figures",
        store=True,
    )
    move_id = fields.Many2one(
        "account.move",
        string="Bill",
        compute="_compute_figures",
        store=True,
        check_company=True,
        help="The payment's vendor bill, or the credit note of a penalty.",
    )
    planned = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="The payment the contract schedules; for the retention, the share of the "
        "contract it withholds.",
    )
    billed = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="Untaxed amount of the posted vendor bill (after the retention and penalties "
        "withheld on it); a posted credit note of a penalty counts negative.",
    )
    paid = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="The share of the posted bill settled by payments (or credit notes reconciled "
        "with it), on its untaxed amount; a credit note settled counts negative.",
    )
    retained = fields.Monetary(
        string="Retention",
        compute="_compute_figures",
        store=True,
        help="Retention withheld on the posted bill; negative: the retention released.",
    )
    deduction = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="The penalty agreed for the breach.",
    )

    @api.depends(
        "settlement_id.state",
        "settlement_id.agreement_id.lianghua_amount",
        "settlement_id.agreement_id.lianghua_retention_percent",
        "milestone_id.state",
        "milestone_id.condition",
        "milestone_id.amount",
        "milestone_id.amount_retained",
        "milestone_id.amount_deducted",
        "milestone_id.amount_billed",
        "milestone_id.move_id",
        *(f"milestone_id.move_id.{fname}" for fname in MOVE_FIGURES),
        "breach_id.state",
        "breach_id.amount_agreed",
        "breach_id.move_id",
        *(f"breach_id.move_id.{fname}" for fname in MOVE_FIGURES),
    )
    def _compute_figures(self):
        for line in self:
            # Submitted: the figures stay as they were (not assigned, they
            # keep their stored values).
            if line.settlement_id.state not in (False, "draft"):
                continue
            line.update(line._lianghua_live_figures())

    # Business

    def _lianghua_live_figures(self):
        """The line's figures from its payment or breach as they are now."""
        self.ensure_one()
        values = {
            "status": False,
            "move_id": False,
            "planned": 0.0,
            "billed": 0.0,
            "paid": 0.0,
            "retained": 0.0,
            "deduction": 0.0,
        }
        milestone, breach = self.milestone_id, self.breach_id
        if milestone:
            contract = milestone.agreement_id
            if milestone.condition == "retention":
                values["planned"] = contract.currency_id.round(
                    contract.lianghua_amount * contract.lianghua_retention_percent / 100
                )
            elif milestone.state != "cancel":
                values["planned"] = milestone.amount
            move = milestone.move_id
            values["move_id"] = move.id
            values["status"] = (
                "cancel" if milestone.state == "cancel" else "draft_bill" if move else "open"
            )
            if self._lianghua_counts(move):
                values["billed"], values["paid"] = self._lianghua_move_figures(move)
                values["status"] = PAYMENT_STATUS.get(move.payment_state, "not_paid")
                values["retained"] = (
                    -(milestone.amount_billed + milestone.amount_deducted)
                    if milestone.condition == "retention"
                    else milestone.amount_retained
                )
        elif breach:
            values["status"] = (
                "undecided" if breach.state in ("draft", "notified") else breach.state
            )
            if breach.state in ("agreed", "deducted"):
                values["deduction"] = breach.amount_agreed
            move = breach.move_id
            values["move_id"] = move.id
            if move.move_type == "in_refund" and self._lianghua_counts(move):
                billed, paid = self._lianghua_move_figures(move)
                values["billed"], values["paid"] = -billed, -paid
        return values

    @api.model
    def _lianghua_counts(self, move):
        """A posted bill or credit note that was not reversed."""
        return bool(move) and move.state == "posted" and move.payment_state != "reversed"

    @api.model
    def _lianghua_move_figures(self, move):
        """(billed, paid) of a posted move: its untaxed amount, and the share
        of it its payments settled (the taxes finance adds are not the
        contract's)."""
        billed = move.amount_untaxed
        if move.currency_id.is_zero(move.amount_total):
            return billed, 0.0
        settled = (move.amount_total - move.amount_residual) / move.amount_total
        return billed, move.currency_id.round(billed * settled)
