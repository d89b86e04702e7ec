from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare


class LianghuaCostOverrun(models.Model):
    """A request to spend beyond a budget cell (policy 5.2.3): its reason,
    its amount and how it is funded, a transfer from the phase's contingency
    reserve or a revision of the budget. Finance, then leaders above the
    company's amount, approve it; once approved the cell has that much more
    available (and the reserve that much less) and purchases it covers pass
    the budget check."""

    _name = "lianghua.cost.overrun"
    _description = "Budget Overrun"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.tier.mixin",
        "lianghua.document.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.cost.overrun"

    _state_from = ["review"]
    _state_to = ["approved"]
    _cancel_state = "cancel"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    budget_id = fields.Many2one(
        "lianghua.cost.budget", required=True, index=True, check_company=True, tracking=True,
        domain="[('state', '=', 'approved')]",
    )  # fmt: skip
    project_id = fields.Many2one(related="budget_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="budget_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="budget_id.currency_id")
    budget_line_id = fields.Many2one(
        "lianghua.cost.budget.line", string="Cell", required=True, index=True, check_company=True,
        tracking=True, domain="[('budget_id', '=', budget_id)]",
    )  # fmt: skip
    purchase_order_id = fields.Many2one(
        "purchase.order", check_company=True, index="btree_not_null",
        domain="[('project_id', '=', project_id)]",
    )  # fmt: skip
    amount = fields.Monetary(required=True, tracking=True)
    reason = fields.Text(required=True, tracking=True)
    funding = fields.Selection(
        [("contingency", "Transfer from the Contingency Reserve"), ("revision", "Budget Revision")],
        required=True,
        default="contingency",
        tracking=True,
    )
    source_line_id = fields.Many2one(
        "lianghua.cost.budget.line",
        string="Funded From",
        compute="_compute_source_line_id",
        store=True,
        index="btree_not_null",
        check_company=True,
        help="The contingency reserve of the cell's phase, which gives the amount.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "In Approval"),
            ("approved", "Approved"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    rejection_reason = fields.Text(readonly=True, copy=False)
    needs_leader = fields.Boolean(compute="_compute_needs_leader")

    # Computes

    @api.depends("funding", "budget_line_id")
    def _compute_source_line_id(self):
        for overrun in self:
            cell = overrun.budget_line_id
            overrun.source_line_id = (
                cell.budget_id.line_ids.filtered(
                    lambda c, cell=cell: c.phase == cell.phase and c.category_id.is_contingency
                )[:1]
                if overrun.funding == "contingency"
                else False
            )

    @api.depends("amount", "company_id.lianghua_budget_leader_amount")
    def _compute_needs_leader(self):
        for overrun in self:
            overrun.needs_leader = (
                overrun.amount >= overrun.company_id.lianghua_budget_leader_amount
            )

    # Constraints

    @api.constrains("amount")
    def _check_amount(self):
        if any(overrun.amount <= 0 for overrun in self):
            raise ValidationError(_("An overrun asks for an amount above zero."))

    @api.constrains("budget_line_id", "budget_id", "funding")
    def _check_budget_line_id(self):
        for overrun in self:
            if overrun.budget_line_id.budget_id != overrun.budget_id:
                raise ValidationError(_("The cell of an overrun is one of its budget's."))
            if (
                overrun.funding == "contingency"
                and overrun.budget_line_id.category_id.is_contingency
            ):
                raise ValidationError(
                    _("The contingency reserve cannot fund itself: choose the cell that overruns.")
                )

    # Hooks

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {"state", "rejection_reason"}

    def _lianghua_it_only_message(self):
        return _("Only IT staff and finance request overruns.")

    def _lianghua_is_preparer(self):
        # Who prepares budgets asks for their overruns.
        return self.env["lianghua.cost.budget"]._lianghua_is_preparer()

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._lianghua_check_workflow_fields(
            vals_list, _("The status of an overrun is set by its workflow.")
        )
        if not self._lianghua_is_preparer():
            raise UserError(self._lianghua_it_only_message())
        budgets = self._lianghua_vals_records(vals_list, "budget_id")
        if any(budget.state != "approved" for budget in budgets):
            raise UserError(_("An overrun is asked of an approved budget."))
        self._lianghua_assign_numbers(vals_list, [budget.company_id for budget in budgets])
        return super().create(vals_list)

    def write(self, vals):
        self._lianghua_check_workflow_fields(
            [vals], _("The status of an overrun is set by its workflow.")
        )
        if not self.env.su and self._lianghua_user_fields(vals):
            if not self._lianghua_is_preparer():
                raise UserError(self._lianghua_it_only_message())
            if any(overrun.state != "draft" for overrun in self):
                raise UserError(_("Only a draft overrun changes."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(overrun.state != "draft" for overrun in self):
            raise UserError(_("Only a draft overrun can be deleted; cancel it instead."))

    # Actions

    def action_submit(self):
        self._check_can_submit()
        self.sudo().write({"state": "review", "rejection_reason": False})  # the workflow's
        self._request_approval()
        return True

    def action_cancel(self):
        if not self._lianghua_is_preparer():
            raise UserError(self._lianghua_it_only_message())
        if any(overrun.state not in ("draft", "review") for overrun in self):
            raise UserError(_("Only an overrun not yet approved can be cancelled."))
        overruns_sudo = self.sudo()  # the status is written by the workflow only
        overruns_sudo.review_ids.filtered(lambda r: r.status in ("waiting", "pending")).write(
            {"status": "cancel"}
        )
        overruns_sudo.write({"state": "cancel"})
        return True

    def action_view_budget(self):
        return self.budget_id._get_lianghua_form_action()

    # Checks

    def _check_can_submit(self):
        if not self._lianghua_is_preparer():
            raise UserError(self._lianghua_it_only_message())
        for overrun in self:
            if overrun.state != "draft":
                raise UserError(_("%(overrun)s is not a draft.", overrun=overrun.name))
            if overrun.budget_id.state != "approved":
                raise UserError(_("An overrun is asked of an approved budget."))
            overrun._check_reserve()

    def _check_reserve(self):
        """A transfer needs the amount left in the phase's reserve."""
        self.ensure_one()
        if self.funding != "contingency":
            return
        reserve = self.source_line_id
        if not reserve:
            raise UserError(
                _(
                    "Budget %(budget)s has no contingency reserve for %(cell)s.",
                    budget=self.budget_id.display_name,
                    cell=self.budget_line_id.display_name,
                )
            )
        if (
            float_compare(
                reserve.remaining_amount, self.amount, precision_rounding=self.currency_id.rounding
            )
            < 0
        ):
            raise UserError(
                _(
                    "The contingency reserve %(reserve)s has %(remaining)s left; the overrun "
                    "asks %(amount)s.",
                    reserve=reserve.display_name,
                    remaining=self.currency_id.format(reserve.remaining_amount),
                    amount=self.currency_id.format(self.amount),
                )
            )

    # Workflow

    def _on_approved(self):
        overruns_sudo = self.sudo()  # the status is written by the workflow only
        (overruns_sudo.budget_line_id | overruns_sudo.source_line_id)._lianghua_lock()
        overruns_sudo.source_line_id.invalidate_recordset()
        for overrun_sudo in overruns_sudo:
            overrun_sudo._check_reserve()
        overruns_sudo.write({"state": "approved"})
        for overrun_sudo in overruns_sudo:
            overrun_sudo.budget_id.message_post(
                body=_(
                    "Overrun %(overrun)s approved: %(amount)s more on %(cell)s (%(funding)s). "
                    "%(reason)s",
                    overrun=overrun_sudo.name,
                    amount=overrun_sudo.currency_id.format(overrun_sudo.amount),
                    cell=overrun_sudo.budget_line_id.display_name,
                    funding=dict(self._fields["funding"]._description_selection(self.env))[
                        overrun_sudo.funding
                    ],
                    reason=overrun_sudo.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _on_rejected(self, reason):
        overruns_sudo = self.sudo()  # the status is written by the workflow only
        overruns_sudo.write({"state": "draft", "rejection_reason": reason})
        for overrun_sudo in overruns_sudo:
            overrun_sudo.message_post(
                body=_("Returned for changes: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
            overrun_sudo.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=overrun_sudo.create_uid.id,
                summary=_("Overrun returned by its approval"),
                note=reason,
            )
