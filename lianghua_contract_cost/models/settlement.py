from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

FINANCE_GROUP = "lianghua_cost.group_lianghua_finance"
SETTLEMENT_STATES = ("signed", "expired", "closed")


class LianghuaContractSettlement(models.Model):
    """The settlement of a service contract at the end of its project
    (policy 5.3.2): what the contract scheduled, billed, paid, deducted for
    breaches and retained, what is still due to the vendor, and the project's
    budget against its actual costs. IT prepares it; an auditor audits it,
    then finance signs it, through ``lianghua.tier.mixin``. One per contract.

    The figures, in the contract's currency, on the untaxed amounts of the
    bills (the contract's amounts are billed as they are; finance adds the
    taxes), each the sum of the settlement's lines:

    - **Contract amount**: the contract's amount.
    - **Scheduled**: the payments the contract schedules (its payment
      milestones but the retention release and the cancelled ones).
    - **Billed**: the posted vendor bills of the payments (after the retention
      and penalties withheld on them), less the posted credit notes of
      penalties. Draft, cancelled and reversed moves do not count.
    - **Paid**: of those bills, the share their payments settled (payments,
      or credit notes reconciled with them), less the share of the penalty
      credit notes settled: what the vendor received, net.
    - **Deductions**: the penalties agreed for the contract's breaches
      (agreed, or deducted on a bill or by a credit note).
    - **Retention held**: the retention withheld on the posted bills, less the
      retention released by the posted bill of the retention release.
      **Retention released**: the latter.
    - **Balance due** = Scheduled - Paid - Deductions - Retention held: what
      the vendor is still to be paid under the contract, the retention it
      holds apart (paid at its release). Negative, the vendor owes the company
      (a penalty credited after everything was paid, say).

    While the settlement is a draft the figures follow the contract's
    payments, bills and breaches as they change. Submitted, they stay as
    they were at the submission (``date_figures``): the auditor audits them
    and finance signs them; a rejection brings the draft, and its live
    figures, back.
    """

    _name = "lianghua.contract.settlement"
    _description = "Contract Settlement"
    _inherit = [
        "lianghua.contract.chatter.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.tier.mixin",
        "lianghua.document.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.contract.settlement"

    _state_from = ["audit"]
    _state_to = ["settled"]
    _cancel_state = "cancel"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    agreement_id = fields.Many2one(
        "agreement",
        string="Contract",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain=[("lianghua_kind", "!=", False), ("lianghua_state", "in", SETTLEMENT_STATES)],
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", string="Vendor", store=True, index=True
    )
    project_id = fields.Many2one(
        related="agreement_id.lianghua_project_id", string="Project", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Prepared By",
        default=lambda self: self.env.user,
        check_company=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("audit", "In Audit"),
            ("settled", "Settled"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    note = fields.Text(string="Notes", help="What the audit should know: disputes, adjustments.")
    rejection_reason = fields.Text(readonly=True, copy=False)
    date_figures = fields.Datetime(
        string="Figures As Of",
        readonly=True,
        copy=False,
        help="When the figures were frozen: the submission to the audit.",
    )
    date_settled = fields.Date(string="Settled On", readonly=True, copy=False)
    line_ids = fields.One2many("lianghua.contract.settlement.line", "settlement_id", string="Lines")
    amount_contract = fields.Monetary(
        string="Contract Amount", compute="_compute_amounts", store=True
    )
    amount_scheduled = fields.Monetary(string="Scheduled", compute="_compute_amounts", store=True)
    amount_billed = fields.Monetary(string="Billed", compute="_compute_amounts", store=True)
    amount_paid = fields.Monetary(string="Paid", compute="_compute_amounts", store=True)
    amount_deducted = fields.Monetary(string="Deductions", compute="_compute_amounts", store=True)
    amount_retention_held = fields.Monetary(
        string="Retention Held", compute="_compute_amounts", store=True
    )
    amount_retention_released = fields.Monetary(
        string="Retention Released", compute="_compute_amounts", store=True
    )
    amount_balance = fields.Monetary(
        string="Balance Due",
        compute="_compute_amounts",
        store=True,
        help="Scheduled - Paid - Deductions - Retention held: what the vendor is still to be "
        "paid, the retention apart.",
    )
    budget_id = fields.Many2one(
        "lianghua.cost.budget",
        compute="_compute_budget_id",
        store=True,
        check_company=True,
        index="btree_not_null",
        help="The project's approved budget.",
    )
    budget_snapshot = fields.Json(string="Budget Figures Submitted", readonly=True, copy=False)
    budget_amount = fields.Monetary(string="Approved Budget", compute="_compute_budget_figures")
    budget_committed = fields.Monetary(string="Committed", compute="_compute_budget_figures")
    budget_actual = fields.Monetary(string="Actual Costs", compute="_compute_budget_figures")
    budget_remaining = fields.Monetary(string="Remaining", compute="_compute_budget_figures")
    schedule_mismatch = fields.Boolean(
        compute="_compute_schedule_mismatch",
        help="The payments scheduled do not add up to the contract amount.",
    )

    # Computes

    @api.depends(
        "state",
        "agreement_id.lianghua_amount",
        "line_ids.kind",
        "line_ids.planned",
        "line_ids.billed",
        "line_ids.paid",
        "line_ids.retained",
        "line_ids.deduction",
    )
    def _compute_amounts(self):
        for settlement in self:
            # Submitted: the figures stay as they were (not assigned, they
            # keep their stored values).
            if settlement.state not in (False, "draft"):
                continue
            lines = settlement.line_ids
            scheduled = sum(lines.filtered(lambda line: line.kind == "payment").mapped("planned"))
            paid = sum(lines.mapped("paid"))
            deducted = sum(lines.mapped("deduction"))
            held = sum(lines.mapped("retained"))
            settlement.amount_contract = settlement.agreement_id.lianghua_amount
            settlement.amount_scheduled = scheduled
            settlement.amount_billed = sum(lines.mapped("billed"))
            settlement.amount_paid = paid
            settlement.amount_deducted = deducted
            settlement.amount_retention_held = held
            settlement.amount_retention_released = -sum(
                lines.filtered(lambda line: line.kind == "retention").mapped("retained")
            )
            settlement.amount_balance = scheduled - paid - deducted - held

    @api.depends("state", "project_id.lianghua_budget_ids.state")
    def _compute_budget_id(self):
        for settlement in self:
            if settlement.state not in (False, "draft"):
                continue  # the budget of the figures submitted
            settlement.budget_id = settlement.project_id.lianghua_budget_ids.filtered(
                lambda b: b.state == "approved"
            )[:1]

    @api.depends("state", "budget_id", "budget_snapshot")
    def _compute_budget_figures(self):
        for settlement in self:
            if settlement.state == "draft":
                figures = settlement._lianghua_budget_figures()
            else:
                figures = settlement.budget_snapshot or {}
            settlement.budget_amount = figures.get("amount", 0.0)
            settlement.budget_committed = figures.get("committed", 0.0)
            settlement.budget_actual = figures.get("actual", 0.0)
            settlement.budget_remaining = figures.get("remaining", 0.0)

    @api.depends("amount_contract", "amount_scheduled")
    def _compute_schedule_mismatch(self):
        for settlement in self:
            settlement.schedule_mismatch = bool(settlement.agreement_id) and (
                settlement.currency_id.compare_amounts(
                    settlement.amount_contract, settlement.amount_scheduled
                )
                != 0
            )

    # Hooks

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {
            "name",
            "state",
            "rejection_reason",
            "date_figures",
            "date_settled",
            "budget_snapshot",
            "line_ids",
        }

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "lianghua_contract_settlement_one_per_contract": (
                ["agreement_id"],
                "state != 'cancel'",
                lambda: _("A contract is settled once: its settlement exists already."),
            ),
        }

    def _lianghua_it_only_message(self):
        return _("Only IT staff and finance prepare a settlement.")

    def _lianghua_is_preparer(self):
        return self._lianghua_is_it() or self.env.user.has_group(FINANCE_GROUP)

    def _approval_submitter(self):
        self.ensure_one()
        return self.user_id or self.create_uid

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._lianghua_check_workflow_fields(
            vals_list, _("The status and figures of a settlement are set by its workflow.")
        )
        contracts = self._lianghua_vals_records(vals_list, "agreement_id")
        if not self.env.su:
            self._check_it()
            contracts.check_access("read")
        contracts._lianghua_check_state(SETTLEMENT_STATES, _("settled"))
        self._lianghua_check_unsettled(contracts)
        self._lianghua_assign_numbers(vals_list, contracts.company_id)
        settlements = super().create(vals_list)
        settlements._lianghua_sync_lines()
        return settlements

    def write(self, vals):
        self._lianghua_check_workflow_fields(
            [vals], _("The status and figures of a settlement are set by its workflow.")
        )
        if not self.env.su and self._lianghua_user_fields(vals):
            if not self._lianghua_is_preparer():
                raise AccessError(self._lianghua_it_only_message())
            for settlement in self.filtered(lambda s: s.state != "draft"):
                raise UserError(
                    _(
                        "Settlement %(name)s is %(state)s: it is kept as it is.",
                        name=settlement.name,
                        state=settlement._lianghua_state_label(),
                    )
                )
            if "agreement_id" in vals and any(
                s.agreement_id.id != vals["agreement_id"] for s in self
            ):
                raise UserError(_("A settlement stays with its contract."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if not self.env.su and self.filtered(lambda s: s.state != "draft"):
            raise UserError(_("Only a draft settlement can be deleted; cancel it instead."))

    # Actions

    def action_submit(self):
        """Freeze the figures and send them to the audit."""
        self._check_can_submit()
        self._do_submit()
        return True

    def action_cancel(self):
        self._check_can_cancel()
        settlements_sudo = self.sudo()  # the status is written by the workflow only
        settlements_sudo.review_ids.filtered(lambda r: r.status in ("waiting", "pending")).write(
            {"status": "cancel"}
        )
        settlements_sudo.write({"state": "cancel"})
        return True

    def action_view_contract(self):
        self.ensure_one()
        self.check_access("read")
        return self.agreement_id._get_lianghua_form_action()

    def action_view_project(self):
        self.ensure_one()
        self.check_access("read")
        return self.project_id._get_lianghua_form_action()

    def action_view_budget(self):
        self.ensure_one()
        self.check_access("read")
        return self.budget_id._get_lianghua_form_action()

    # Checks

    def _check_can_submit(self):
        if not self._lianghua_is_preparer():
            raise AccessError(self._lianghua_it_only_message())
        self.check_access("write")
        for settlement in self:
            if settlement.state != "draft":
                raise UserError(_("%(name)s is not a draft.", name=settlement.name))
        self.agreement_id._lianghua_check_state(SETTLEMENT_STATES, _("settled"))
        breaches = self.agreement_id.lianghua_breach_ids.filtered(
            lambda b: b.state in ("draft", "notified")
        )
        if breaches:
            raise UserError(
                _(
                    "Breach %(breach)s of %(contract)s is not decided: agree its penalty or "
                    "waive it before the settlement.",
                    breach=breaches[0].name,
                    contract=breaches[0].agreement_id.display_name,
                )
            )

    def _check_can_cancel(self):
        if not self._lianghua_is_preparer():
            raise AccessError(self._lianghua_it_only_message())
        self.check_access("write")
        if self.filtered(lambda s: s.state not in ("draft", "audit")):
            raise UserError(_("Only a settlement not yet signed by finance can be cancelled."))

    @api.model
    def _lianghua_check_unsettled(self, contracts):
        """The friendly message of the one-per-contract index."""
        # Every settlement of these contracts counts, whoever may read it (the
        # index holds for all of them); only whether one exists is told.
        settlements_sudo = self.sudo()
        if len(contracts) != len(set(contracts.ids)) or settlements_sudo.search_count(
            [("agreement_id", "in", contracts.ids), ("state", "!=", "cancel")], limit=1
        ):
            raise ValidationError(
                self._get_lianghua_unique_indexes()[
                    "lianghua_contract_settlement_one_per_contract"
                ][2]()
            )

    # Workflow

    def _do_submit(self):
        settlements_sudo = self.sudo()  # lines, figures and status are the workflow's
        settlements_sudo._lianghua_sync_lines()
        # The figures as they are now: pending computations done while the
        # settlement is a draft, before they freeze.
        settlements_sudo.line_ids._recompute_recordset()
        settlements_sudo._recompute_recordset()
        for settlement_sudo in settlements_sudo:
            settlement_sudo.write(
                {
                    "state": "audit",
                    "rejection_reason": False,
                    "date_figures": fields.Datetime.now(),
                    "budget_snapshot": settlement_sudo._lianghua_budget_figures(),
                }
            )
        self._request_approval()

    def _on_approved(self):
        settlements_sudo = self.sudo()  # the status is written by the workflow only
        settlements_sudo.write(
            {"state": "settled", "date_settled": fields.Date.context_today(self)}
        )
        for settlement_sudo in settlements_sudo:
            body = _(
                "Settlement %(name)s signed: paid %(paid)s, deductions %(deducted)s, retention "
                "held %(held)s, balance due %(balance)s.",
                name=settlement_sudo.name,
                paid=settlement_sudo._lianghua_amount(settlement_sudo.amount_paid),
                deducted=settlement_sudo._lianghua_amount(settlement_sudo.amount_deducted),
                held=settlement_sudo._lianghua_amount(settlement_sudo.amount_retention_held),
                balance=settlement_sudo._lianghua_amount(settlement_sudo.amount_balance),
            )
            settlement_sudo.message_post(body=body, subtype_xmlid="mail.mt_note")
            settlement_sudo.agreement_id.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _on_rejected(self, reason):
        settlements_sudo = self.sudo()  # the status is written by the workflow only
        settlements_sudo.write(
            {"state": "draft", "rejection_reason": reason, "date_figures": False}
        )
        for settlement_sudo in settlements_sudo:
            settlement_sudo.message_post(
                body=_("Returned for changes: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
            settlement_sudo.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=settlement_sudo._approval_submitter().id,
                summary=_("Settlement returned by its approval"),
                note=reason,
            )

    # Business

    def _lianghua_sync_lines(self):
        """A line for each payment milestone and each breach of the contract
        that has none yet (the workflow's: the lines of a draft settlement
        follow its contract)."""
        line_vals = []
        for settlement in self:
            contract_sudo = settlement.agreement_id.sudo()  # the lines cover the whole contract
            lines = settlement.sudo().line_ids
            line_vals += [
                {
                    "settlement_id": settlement.id,
                    "kind": "retention" if milestone.condition == "retention" else "payment",
                    "name": milestone.name,
                    "milestone_id": milestone.id,
                    "sequence": milestone.sequence,
                }
                for milestone in contract_sudo.lianghua_milestone_ids - lines.milestone_id
            ]
            line_vals += [
                {
                    "settlement_id": settlement.id,
                    "kind": "breach",
                    "name": f"{breach.name}: {breach.clause_id.name}",
                    "breach_id": breach.id,
                    "sequence": 10000,
                }
                for breach in contract_sudo.lianghua_breach_ids.sorted("date") - lines.breach_id
            ]
        if line_vals:
            self.env["lianghua.contract.settlement.line"].sudo().create(line_vals)

    def _lianghua_budget_figures(self):
        """The project's approved budget against its actual costs, now."""
        self.ensure_one()
        budget_sudo = self.budget_id.sudo()  # figures of the settlement's own project
        return {
            "amount": budget_sudo.amount_total,
            "committed": budget_sudo.committed_total,
            "actual": budget_sudo.actual_total,
            "remaining": budget_sudo.remaining_total,
        }

    def _lianghua_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _lianghua_amount(self, amount):
        self.ensure_one()
        return self.currency_id.format(amount)
