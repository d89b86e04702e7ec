from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

BILLING_GROUP = "account.group_account_invoice"


class LianghuaContractMilestone(models.Model):
    """A payment of a contract (policy 7.2.1) and the condition that makes it
    due: a date, a milestone of the project reached, or an acceptance of the
    project passed. A due milestone becomes a draft vendor bill linked to the
    contract (agreement_account), for finance to post in its own screens;
    retention is withheld on each bill and released by the retention
    milestone; agreed breach penalties are deducted on the next bill."""

    _name = "lianghua.contract.milestone"
    _description = "Payment Milestone"
    _inherit = [
        "lianghua.contract.chatter.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.document.mixin",
    ]
    _order = "agreement_id, sequence, id"
    _check_company_auto = True

    agreement_id = fields.Many2one(
        "agreement",
        string="Contract",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain=[("lianghua_kind", "!=", False)],
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    partner_id = fields.Many2one(related="agreement_id.partner_id", string="Vendor")
    project_id = fields.Many2one(related="agreement_id.lianghua_project_id")
    name = fields.Char(string="Payment", required=True, tracking=True)
    sequence = fields.Integer(default=10)
    amount_type = fields.Selection(
        [("fixed", "Amount"), ("percent", "Percentage of the Contract")],
        default="percent",
        required=True,
    )
    percent = fields.Float(string="Percentage", tracking=True)
    amount = fields.Monetary(
        compute="_compute_amount", store=True, readonly=False, tracking=True, precompute=True
    )
    condition = fields.Selection(
        [
            ("date", "On a Date"),
            ("milestone", "Project Milestone Reached"),
            ("acceptance", "Acceptance Passed"),
            ("retention", "Retention Release"),
        ],
        required=True,
        default="date",
        tracking=True,
    )
    date_planned = fields.Date(string="Due Date", tracking=True)
    project_milestone_id = fields.Many2one(
        "project.milestone",
        domain="[('project_id', '=', project_id)]",
    )
    state = fields.Selection(
        [
            ("draft", "Contract Not Signed"),
            ("waiting", "Waiting"),
            ("due", "Due"),
            ("billed", "Billed"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    # A bill made for a payment is cancelled, not deleted: the payment is
    # billed again (see _check_can_bill). Finance and IT read it; not the portal.
    move_id = fields.Many2one(
        "account.move",
        string="Vendor Bill",
        readonly=True,
        copy=False,
        check_company=True,
        ondelete="restrict",
        groups="base.group_user",
    )
    move_state = fields.Selection(
        related="move_id.state", string="Bill Status", groups="base.group_user"
    )
    amount_retained = fields.Monetary(string="Retention Withheld", readonly=True, copy=False)
    amount_deducted = fields.Monetary(string="Penalties Deducted", readonly=True, copy=False)
    amount_billed = fields.Monetary(string="Billed Amount", readonly=True, copy=False)
    condition_met = fields.Boolean(compute="_compute_condition_met")
    condition_status = fields.Char(compute="_compute_condition_met")

    @api.depends("amount_type", "percent", "agreement_id.lianghua_amount")
    def _compute_amount(self):
        for milestone in self:
            if milestone.amount_type == "percent":
                milestone.amount = milestone.agreement_id.lianghua_amount * milestone.percent / 100
            elif not milestone.amount:
                milestone.amount = 0.0

    @api.depends(
        "condition",
        "date_planned",
        "project_milestone_id.is_reached",
        "agreement_id.lianghua_retention_release_date",
        "agreement_id.lianghua_project_id",
    )
    def _compute_condition_met(self):
        reasons = self._lianghua_unmet_reasons()
        for milestone in self:
            reason = reasons.get(milestone.id)
            milestone.condition_met = not reason
            milestone.condition_status = reason or _("Condition met")

    @api.constrains("amount", "percent", "amount_type")
    def _check_amount(self):
        for milestone in self:
            if milestone.amount < 0 or not 0 <= milestone.percent <= 100:
                raise ValidationError(
                    _("Payment %(name)s must be a positive amount.", name=milestone.name)
                )

    @api.constrains("condition", "date_planned", "project_milestone_id")
    def _check_condition(self):
        for milestone in self:
            if milestone.condition == "date" and not milestone.date_planned:
                raise ValidationError(
                    _("Payment %(name)s is due on a date: set it.", name=milestone.name)
                )
            if milestone.condition == "milestone" and not milestone.project_milestone_id:
                raise ValidationError(
                    _(
                        "Payment %(name)s waits for a project milestone: choose it.",
                        name=milestone.name,
                    )
                )
            if (
                milestone.condition == "acceptance"
                and not milestone.agreement_id.lianghua_project_id
            ):
                raise ValidationError(
                    _(
                        "Payment %(name)s waits for the acceptance of the contract's project: "
                        "set the project on the contract first.",
                        name=milestone.name,
                    )
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        contracts = self._lianghua_vals_records(vals_list, "agreement_id")
        if not self.env.su:
            self._lianghua_check_workflow_fields(
                vals_list, _("The status and the bill of a payment are set by its workflow.")
            )
            contracts._lianghua_check_text_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            self._lianghua_check_workflow_fields(
                [vals], _("The status and the bill of a payment are set by its workflow.")
            )
            self.agreement_id._lianghua_check_text_editable()
            if "agreement_id" in vals:
                raise UserError(_("A payment stays on its contract."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.filtered("move_id"):
            raise UserError(_("A billed payment cannot be removed."))
        if not self.env.su:
            self.agreement_id._lianghua_check_text_editable()

    # Actions

    def action_bill(self):
        """Bill due payments now (IT managers, finance)."""
        self._check_can_bill()
        bills_sudo = self.sudo()._do_bill()  # finance's bills, made by the workflow
        return self._lianghua_bills_action(bills_sudo.with_env(self.env))

    def action_cancel(self):
        self._check_can_cancel()
        milestones_sudo = self.sudo()  # the status is written by the workflow only
        milestones_sudo.write({"state": "cancel"})
        # Penalties no payment is left to carry are credited.
        milestones_sudo.agreement_id.lianghua_breach_ids._lianghua_credit_when_nothing_to_bill()
        return True

    def action_view_bill(self):
        self.ensure_one()
        self.check_access("read")
        return self._lianghua_bills_action(self.move_id)

    def _lianghua_bills_action(self, bills):
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_in_invoice_type")
        action["domain"] = [("id", "in", bills.ids)]
        action["context"] = {"create": False}
        if len(bills) == 1:
            action.update(res_id=bills.id, views=[(False, "form")])
        return action

    # Checks

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {
            "state",
            "move_id",
            "amount_retained",
            "amount_deducted",
            "amount_billed",
        }

    def _lianghua_can_bill(self):
        user = self.env.user
        return self._lianghua_is_it_manager() or user.has_group(BILLING_GROUP)

    def _check_can_bill(self):
        if not self._lianghua_can_bill():
            raise AccessError(_("Only IT managers and finance bill contract payments."))
        self.check_access("read")
        reasons = self._lianghua_unmet_reasons()
        for milestone in self:
            rebilled = milestone.state == "billed" and milestone.sudo().move_id.state == "cancel"
            if milestone.state not in ("waiting", "due") and not rebilled:
                raise UserError(
                    _(
                        "Payment %(name)s of %(contract)s cannot be billed: it is %(state)s.",
                        name=milestone.name,
                        contract=milestone.agreement_id.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            milestone.state
                        ],
                    )
                )
            if milestone.agreement_id.lianghua_state not in ("signed", "expired"):
                raise UserError(
                    _(
                        "Payment %(name)s cannot be billed: its contract is not in force.",
                        name=milestone.name,
                    )
                )
            if reasons.get(milestone.id):
                raise UserError(
                    _(
                        "Payment %(name)s of %(contract)s cannot be billed yet: %(reason)s",
                        name=milestone.name,
                        contract=milestone.agreement_id.display_name,
                        reason=reasons[milestone.id],
                    )
                )

    def _check_can_cancel(self):
        if not self._lianghua_is_it_manager():
            raise AccessError(_("Only IT managers cancel a contract payment."))
        self.check_access("write")
        if self.filtered(lambda m: m.state in ("billed", "cancel")):
            raise UserError(_("A billed or cancelled payment cannot be cancelled."))

    def _lianghua_unmet_reasons(self):
        """{milestone id: why it is not due yet}, for those whose condition is
        not met, from one read of the projects' passed acceptances."""
        today = fields.Date.context_today(self)
        projects = self.agreement_id.lianghua_project_id
        passed = set()
        if projects:
            passed = {
                project.id
                for [project] in self.env["lianghua.acceptance"]
                .sudo()  # a fact of the project, whoever reads the payment
                ._read_group(
                    [("project_id", "in", projects.ids), ("state", "=", "passed")], ["project_id"]
                )
            }
        reasons = {}
        for milestone in self:
            contract = milestone.agreement_id
            if milestone.condition == "date":
                if not milestone.date_planned or milestone.date_planned > today:
                    reasons[milestone.id] = _(
                        "it is due on %(date)s.", date=milestone.date_planned or "-"
                    )
            elif milestone.condition == "milestone":
                if not milestone.project_milestone_id.is_reached:
                    reasons[milestone.id] = _(
                        "project milestone %(milestone)s is not reached.",
                        milestone=milestone.project_milestone_id.sudo().name or "-",
                    )
            elif milestone.condition == "acceptance":
                if contract.lianghua_project_id.id not in passed:
                    reasons[milestone.id] = _(
                        "the acceptance of project %(project)s has not passed.",
                        project=contract.lianghua_project_id.sudo().name or "-",
                    )
            elif milestone.condition == "retention":
                release = contract.lianghua_retention_release_date
                if not release or release > today:
                    reasons[milestone.id] = _(
                        "retention is released on %(date)s.", date=release or "-"
                    )
        return reasons

    # Workflow

    def _lianghua_refresh_due(self):
        """Waiting payments whose condition is met become due."""
        waiting = self.filtered(lambda m: m.state == "waiting")
        reasons = waiting._lianghua_unmet_reasons()
        waiting.filtered(lambda m: m.id not in reasons).write({"state": "due"})

    def _do_bill(self):
        """One draft vendor bill per payment: the payment, less the retention
        withheld (on every payment but the retention's release), less the
        agreed penalties of the contract not deducted yet (as far as the bill
        carries them). Returns the bills."""
        bills = self.env["account.move"]
        for milestone in self:
            contract = milestone.agreement_id
            if milestone.move_id.state == "cancel":
                # Billed again: the penalties of the cancelled bill are due again.
                contract.lianghua_breach_ids.filtered(
                    lambda b, move=milestone.move_id: b.move_id == move
                ).write({"state": "agreed", "move_id": False})
            retention = milestone.condition == "retention"
            amount = contract.lianghua_amount_retained if retention else milestone.amount
            lines = [contract._lianghua_move_line(milestone.name, amount)]
            retained = 0.0
            if not retention and contract.lianghua_retention_percent:
                retained = contract.currency_id.round(
                    amount * contract.lianghua_retention_percent / 100
                )
                label = _(
                    "Retention withheld (%(percent)s%%)",
                    percent=contract.lianghua_retention_percent,
                )
                lines.append(contract._lianghua_move_line(label, -retained))
            room = amount - retained
            deducted = 0.0
            penalties = self.env["lianghua.contract.breach"]
            agreed = contract.lianghua_breach_ids.filtered(lambda b: b.state == "agreed")
            for breach in agreed.sorted("date"):
                if float_compare(breach.amount_agreed, room - deducted, 2) > 0:
                    continue  # the next bill, or a credit note, carries it
                deducted += breach.amount_agreed
                penalties |= breach
                lines.append(breach._lianghua_penalty_line(-1))
            bill = contract._lianghua_create_vendor_move(
                "in_invoice",
                f"{contract.code} / {milestone.name}",
                lines,
                invoice_date_due=milestone.date_planned or False,
            )
            milestone.write(
                {
                    "state": "billed",
                    "move_id": bill.id,
                    "amount_retained": retained,
                    "amount_deducted": deducted,
                    "amount_billed": bill.amount_untaxed,
                }
            )
            penalties.write({"state": "deducted", "move_id": bill.id})
            contract.message_post(
                body=_(
                    "Payment %(name)s billed: %(bill)s (draft, for finance to post).",
                    name=milestone.name,
                    bill=bill._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )
            bills |= bill
        # Penalties no payment is left to carry are credited.
        self.agreement_id.lianghua_breach_ids._lianghua_credit_when_nothing_to_bill()
        return bills

    @api.model
    def _cron_bill_due_milestones(self, batch_size=100):
        """Payments whose condition is met are billed (a draft bill each),
        batch by batch; each in its own savepoint, so that one that fails
        (a vendor without an account, say) waits for the next run."""
        waiting = self.search([("state", "in", ("waiting", "due"))])
        waiting._lianghua_refresh_due()
        failed = self.browse()
        while due := self.search(
            [("state", "=", "due"), ("id", "not in", failed.ids)], limit=batch_size
        ):
            for milestone in due:
                try:
                    with self.env.cr.savepoint():
                        milestone._do_bill()
                except (UserError, ValidationError):
                    failed |= milestone  # the next run tries it again
            self.env["ir.cron"]._notify_progress(done=len(due) - len(failed & due), remaining=0)
