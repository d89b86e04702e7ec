import io

import xlsxwriter

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.lianghua_service.models.plan_budget_line import BUDGET_PHASES

FINANCE_GROUP = "lianghua_cost.group_lianghua_finance"


class LianghuaCostBudget(models.Model):
    """A project's budget (policy 5.1), one version of it: cells of phase ×
    category on the project's analytic account. Finance, then leaders above
    the company's amount, approve it; an approved version stays as it was, a
    revision is the next version with its reason. What was committed and
    spent is read from purchase orders and analytic lines (see the cells)."""

    _name = "lianghua.cost.budget"
    _description = "Project Budget"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.tier.mixin",
        "lianghua.document.mixin",
    ]
    _order = "project_id, version desc, id desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.cost.budget"
    _rec_names_search = ["name", "project_id"]

    _state_from = ["review"]
    _state_to = ["approved"]
    _cancel_state = "cancel"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    project_id = fields.Many2one(
        "project.project", required=True, index=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    analytic_account_id = fields.Many2one(
        related="project_id.account_id", string="Analytic Account", store=True
    )
    plan_id = fields.Many2one(related="project_id.lianghua_plan_id", string="Solution Plan")
    user_id = fields.Many2one(related="project_id.user_id", string="Project Manager")
    version = fields.Integer(default=1, readonly=True, copy=False, aggregator="max")
    previous_id = fields.Many2one(
        "lianghua.cost.budget", string="Previous Version", readonly=True, copy=False,
        check_company=True, index="btree_not_null",
    )  # fmt: skip
    revision_reason = fields.Text(tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "In Approval"),
            ("approved", "Approved"),
            ("superseded", "Superseded"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_from = fields.Date(string="From", tracking=True)
    date_to = fields.Date(string="To", tracking=True)
    line_ids = fields.One2many("lianghua.cost.budget.line", "budget_id", string="Cells")
    overrun_ids = fields.One2many("lianghua.cost.overrun", "budget_id", string="Overruns")
    amount_total = fields.Monetary(
        string="Budget", compute="_compute_amount_total", store=True, tracking=True
    )
    needs_leader = fields.Boolean(
        compute="_compute_needs_leader",
        help="The budget reaches the company's amount for the leaders' approval.",
    )
    rejection_reason = fields.Text(readonly=True, copy=False)
    approved_date = fields.Date(readonly=True, copy=False)
    available_total = fields.Monetary(string="Available", compute="_compute_figures")
    committed_total = fields.Monetary(string="Committed", compute="_compute_figures")
    actual_total = fields.Monetary(string="Actual", compute="_compute_figures")
    remaining_total = fields.Monetary(string="Remaining", compute="_compute_figures")
    consumption = fields.Float(
        string="Consumed (%)",
        compute="_compute_figures",
        help="Committed and actual costs, as a share of the budget available.",
    )
    alert = fields.Boolean(
        string="Cost Alert",
        readonly=True,
        copy=False,
        tracking=True,
        help="Committed and actual costs reached the company's alert share of the budget.",
    )
    variance_cause = fields.Text(string="Cause of the Variance", tracking=True, copy=False)
    variance_measure = fields.Text(string="Measure Taken", tracking=True, copy=False)
    overrun_count = fields.Integer(compute="_compute_overrun_count")

    # Computes

    @api.depends("project_id.company_id")
    def _compute_company_id(self):
        for budget in self:
            # A project shared between companies is budgeted in the user's.
            budget.company_id = budget.project_id.company_id or self.env.company

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for budget in self:
            budget.amount_total = sum(budget.line_ids.mapped("amount"))

    @api.depends("amount_total", "company_id.lianghua_budget_leader_amount")
    def _compute_needs_leader(self):
        for budget in self:
            budget.needs_leader = (
                budget.amount_total >= budget.company_id.lianghua_budget_leader_amount
            )

    @api.depends("line_ids.available_amount")
    def _compute_figures(self):
        # The cells of every budget are computed together: one pass over
        # the purchase and analytic lines (see _lianghua_figures).
        for budget in self:
            cells = budget.line_ids
            available = sum(cells.mapped("available_amount"))
            committed = sum(cells.mapped("committed_amount"))
            actual = sum(cells.mapped("actual_amount"))
            budget.available_total = available
            budget.committed_total = committed
            budget.actual_total = actual
            budget.remaining_total = available - committed - actual
            budget.consumption = 100.0 * (committed + actual) / available if available else 0.0

    @api.depends("overrun_ids")
    def _compute_overrun_count(self):
        counts = dict(
            self.env["lianghua.cost.overrun"]._read_group(
                [("budget_id", "in", self.ids)], ["budget_id"], ["__count"]
            )
        )
        for budget in self:
            budget.overrun_count = counts.get(budget, 0)

    def _compute_display_name(self):
        for budget in self:
            budget.display_name = _(
                "%(number)s v%(version)s (%(project)s)",
                number=budget.name,
                version=budget.version,
                project=budget.project_id.name or "",
            )

    # Constraints

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for budget in self:
            if budget.date_from and budget.date_to and budget.date_from > budget.date_to:
                raise UserError(_("A budget cannot end before it starts."))

    # Hooks

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {
            "state",
            "version",
            "previous_id",
            "rejection_reason",
            "approved_date",
            "alert",
        }

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "lianghua_cost_budget_one_open": (
                ["project_id"],
                "state IN ('draft', 'review')",
                lambda: _("A project has one budget in preparation at a time."),
            ),
            "lianghua_cost_budget_one_approved": (
                ["project_id"],
                "state = 'approved'",
                lambda: _("A project has one approved budget at a time."),
            ),
        }

    def _lianghua_it_only_message(self):
        return _("Only IT staff and finance prepare budgets.")

    def _lianghua_is_preparer(self):
        """IT staff and finance prepare budgets (or the workflow)."""
        return self._lianghua_is_it() or self.env.user.has_group(FINANCE_GROUP)

    def _approval_submitter(self):
        self.ensure_one()
        return self.create_uid

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._lianghua_check_workflow_fields(
            vals_list, _("The status of a budget is set by its workflow.")
        )
        if not self._lianghua_is_preparer():
            raise UserError(self._lianghua_it_only_message())
        projects = self._lianghua_vals_records(vals_list, "project_id")
        for vals, project in zip(vals_list, projects, strict=True):
            if not vals.get("date_from"):
                vals["date_from"] = project.date_start
            if not vals.get("date_to"):
                vals["date_to"] = project.date
        self._lianghua_assign_numbers(
            vals_list, [project.company_id or self.env.company for project in projects]
        )
        budgets = super().create(vals_list)
        budgets._lianghua_ensure_account()
        budgets._lianghua_fill_cells()
        return budgets

    def write(self, vals):
        self._lianghua_check_workflow_fields(
            [vals], _("The status of a budget is set by its workflow.")
        )
        if not self.env.su:
            changed = self._lianghua_user_fields(vals)
            if changed and not self._lianghua_is_preparer():
                raise UserError(self._lianghua_it_only_message())
            explanation = {"variance_cause", "variance_measure"}
            if changed - explanation and any(b.state != "draft" for b in self):
                raise UserError(
                    _("Only a draft budget changes; revise an approved budget instead.")
                )
            if "project_id" in vals and any(b.project_id.id != vals["project_id"] for b in self):
                raise UserError(_("A budget stays with its project."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if any(budget.state != "draft" or budget.version > 1 for budget in self):
            raise UserError(_("Only a first draft of a budget can be deleted; cancel it instead."))

    # Actions

    def action_submit(self):
        self._check_can_submit()
        budgets_sudo = self.sudo()  # the status is written by the workflow only
        budgets_sudo.write({"state": "review", "rejection_reason": False})
        self._request_approval()
        return True

    def action_revise(self):
        """The next version of an approved budget, a draft starting from what
        is available in each cell (the overruns approved included)."""
        self._check_can_revise()
        revision = self._do_revise()
        return revision._get_lianghua_form_action()

    def action_cancel(self):
        self._check_can_cancel()
        budgets_sudo = self.sudo()  # the status is written by the workflow only
        budgets_sudo.review_ids.filtered(lambda r: r.status in ("waiting", "pending")).write(
            {"status": "cancel"}
        )
        budgets_sudo.write({"state": "cancel"})
        return True

    def action_view_overruns(self):
        return self._get_lianghua_records_action(
            "lianghua_cost.lianghua_cost_overrun_action", "budget_id",
            create=self.state == "approved",
        )  # fmt: skip

    def action_view_cells(self):
        return self._get_lianghua_records_action(
            "lianghua_cost.lianghua_cost_budget_line_action", "budget_id", create=False
        )

    def action_view_project(self):
        return self.project_id._get_lianghua_form_action()

    def action_print_cost_report(self):
        self.check_access("read")
        return self.env.ref("lianghua_cost.action_report_lianghua_cost_budget").report_action(self)

    def action_export_cost_report(self):
        """The final cost report as a spreadsheet (see the controller)."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/lianghua_cost/budget/{self.id}/xlsx",
            "target": "download",
        }

    # Checks

    def _check_can_submit(self):
        if not self._lianghua_is_preparer():
            raise UserError(self._lianghua_it_only_message())
        for budget in self:
            if budget.state != "draft":
                raise UserError(_("%(budget)s is not a draft.", budget=budget.display_name))
            if (
                float_compare(
                    budget.amount_total, 0.0, precision_rounding=budget.currency_id.rounding
                )
                <= 0
            ):
                raise UserError(
                    _("%(budget)s has no amount to approve.", budget=budget.display_name)
                )
            if budget.previous_id and not (budget.revision_reason or "").strip():
                raise UserError(
                    _(
                        "%(budget)s revises version %(version)s: give the reason of the revision.",
                        budget=budget.display_name,
                        version=budget.previous_id.version,
                    )
                )

    def _check_can_revise(self):
        if not self._lianghua_is_preparer():
            raise UserError(self._lianghua_it_only_message())
        for budget in self:
            if budget.state != "approved":
                raise UserError(_("Only the approved budget of a project is revised."))

    def _check_can_cancel(self):
        if not self._lianghua_is_preparer():
            raise UserError(self._lianghua_it_only_message())
        if any(budget.state not in ("draft", "review") for budget in self):
            raise UserError(_("Only a budget in preparation can be cancelled."))

    # Workflow

    def _do_revise(self):
        revisions = self.env["lianghua.cost.budget"]
        for budget in self:
            budget_sudo = budget.sudo()  # the new version is the workflow's
            revision_sudo = budget_sudo.copy(
                {
                    "name": budget.name,
                    "version": budget.version + 1,
                    "previous_id": budget.id,
                    "revision_reason": False,
                    "line_ids": [
                        Command.create(
                            {
                                "phase": cell.phase,
                                "category_id": cell.category_id.id,
                                "amount": cell.available_amount,
                                "name": cell.name,
                            }
                        )
                        for cell in budget.line_ids
                    ],
                }
            )
            revision_sudo.message_post(
                body=_("Revision of version %(version)s.", version=budget.version),
                subtype_xmlid="mail.mt_note",
            )
            revisions |= revision_sudo
        return revisions.with_env(self.env)

    def _on_approved(self):
        budgets_sudo = self.sudo()  # the status is written by the workflow only
        for budget_sudo in budgets_sudo:
            earlier_sudo = self.sudo().search(
                [("project_id", "=", budget_sudo.project_id.id), ("state", "=", "approved"),
                 ("id", "!=", budget_sudo.id)]
            )  # fmt: skip
            earlier_sudo.write({"state": "superseded"})
            budget_sudo.write(
                {"state": "approved", "approved_date": fields.Date.context_today(self)}
            )
            budget_sudo.message_post(
                body=_("Budget approved: purchases of the project are checked against it."),
                subtype_xmlid="mail.mt_note",
            )

    def _on_rejected(self, reason):
        budgets_sudo = self.sudo()  # the status is written by the workflow only
        budgets_sudo.write({"state": "draft", "rejection_reason": reason})
        for budget_sudo in budgets_sudo:
            budget_sudo.message_post(
                body=_("Returned for changes: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
            budget_sudo.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=budget_sudo.create_uid.id,
                summary=_("Budget returned by its approval"),
                note=reason,
            )

    # Business

    def _lianghua_check_cells_editable(self):
        """Cells change with their draft budget, by those who prepare it."""
        if not self._lianghua_is_preparer():
            raise UserError(self._lianghua_it_only_message())
        if any(budget.state != "draft" for budget in self):
            raise UserError(_("Only a draft budget changes; revise an approved budget instead."))

    def _lianghua_ensure_account(self):
        """Costs are read on the project's analytic account: a project
        without one gets it (as project does for timesheets)."""
        projects_sudo = self.project_id.sudo().filtered(lambda p: not p.account_id)
        if projects_sudo:
            projects_sudo._create_analytic_account()

    def _lianghua_fill_cells(self):
        """Every phase × category cell of the company's categories, so the
        grid shows them all; those the values gave are kept."""
        Category = self.env["lianghua.cost.category"].sudo()
        cells = []
        for budget in self:
            categories = Category._lianghua_categories(budget.company_id)
            present = {(cell.phase, cell.category_id) for cell in budget.line_ids}
            cells += [
                {"budget_id": budget.id, "phase": phase, "category_id": category.id}
                for phase, __ in BUDGET_PHASES
                for category in categories
                if (phase, category) not in present
            ]
        if cells:
            self.env["lianghua.cost.budget.line"].sudo().create(cells)

    @api.model
    def _lianghua_draft_from_plan(self, project):
        """A first draft of ``project``'s budget from its approved solution
        plan: each plan line in the cell of its phase and category."""
        plan = project.lianghua_plan_id
        budget = self.create({"project_id": project.id})
        categories = self.env["lianghua.cost.category"]._lianghua_categories(project.company_id)
        by_plan_category = {c.plan_category: c for c in categories if c.plan_category}
        default = categories.filtered("is_default")[:1]
        amounts = {}
        for line in plan.budget_line_ids:
            category = by_plan_category.get(line.category, default)
            if not category:
                continue
            key = (line.phase, category)
            amounts[key] = amounts.get(key, 0.0) + line.currency_id._convert(
                line.amount, budget.currency_id, budget.company_id, fields.Date.context_today(self)
            )
        budget_sudo = budget.sudo()  # the cells are the budget's own
        for cell in budget_sudo.line_ids:
            amount = amounts.get((cell.phase, cell.category_id))
            if amount:
                cell.amount = amount
        if plan:
            budget_sudo.message_post(
                body=_("Drafted from solution plan %(plan)s.", plan=plan.display_name),
                subtype_xmlid="mail.mt_note",
            )
        return budget

    @api.model
    def _cron_check_cost_alerts(self):
        """Flag the approved budgets whose committed and actual costs reach
        the company's alert share, and ask the project manager to explain the
        cause and the measure; lift the flag once back under it."""
        budgets = self.search([("state", "=", "approved")])
        # Figures read earlier in this transaction may be stale.
        self.env["lianghua.cost.budget.line"].invalidate_model(
            self.env["purchase.order"]._lianghua_figure_fields()
        )
        budgets.invalidate_recordset(
            ["available_total", "committed_total", "actual_total", "remaining_total", "consumption"]
        )
        activity_type = self.env.ref("lianghua_cost.mail_activity_cost_variance")
        for budget in budgets:  # figures computed for all of them at once
            limit = budget.company_id.lianghua_cost_alert_percent
            over = bool(budget.available_total) and budget.consumption >= limit
            if over and not budget.alert:
                budget.alert = True
                budget._lianghua_ask_explanation(activity_type)
            elif not over and budget.alert:
                budget.alert = False
        self.env["ir.cron"]._notify_progress(done=len(budgets), remaining=0)

    def _lianghua_ask_explanation(self, activity_type):
        self.ensure_one()
        manager = self.project_id.user_id or self.create_uid
        self.message_post(
            body=_(
                "Costs reached %(percent)s%% of the budget (committed %(committed)s, actual "
                "%(actual)s, available %(available)s).",
                percent=round(self.consumption, 1),
                committed=self._lianghua_amount(self.committed_total),
                actual=self._lianghua_amount(self.actual_total),
                available=self._lianghua_amount(self.available_total),
            ),
            subtype_xmlid="mail.mt_note",
        )
        if not self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
            self.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=manager.id,
                note=_("Write the cause of the variance and the measure taken on the budget."),
            )

    def _lianghua_cost_report_headers(self):
        return [
            _("Phase"),
            _("Category"),
            _("Budget"),
            _("Overruns"),
            _("Committed"),
            _("Actual"),
            _("Remaining"),
        ]

    def _lianghua_cost_report_rows(self):
        """Budget against committed and actual costs per cell with money in
        it, then the total: the rows of the final cost report."""
        self.ensure_one()
        phases = dict(self.line_ids._fields["phase"]._description_selection(self.env))
        cells = self.line_ids.filtered(
            lambda c: c.available_amount or c.committed_amount or c.actual_amount
        )
        rows = [
            [phases[c.phase], c.category_id.name, c.amount, c.adjustment_amount,
             c.committed_amount, c.actual_amount, c.remaining_amount]
            for c in cells
        ]  # fmt: skip
        rows.append(
            [_("Total"), "", self.amount_total, self.available_total - self.amount_total,
             self.committed_total, self.actual_total, self.remaining_total]
        )  # fmt: skip
        return rows

    def _lianghua_cost_report_xlsx(self):
        """The final cost report as an xlsx file (bytes)."""
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet((self.project_id.name or self.name)[:31])
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        headers = self._lianghua_cost_report_headers()
        sheet.write_row(0, 0, [self.display_name, self.currency_id.name], bold)
        sheet.write_row(2, 0, headers, bold)
        for row, values in enumerate(self._lianghua_cost_report_rows(), start=3):
            sheet.write_row(row, 0, values[:2])
            for col, value in enumerate(values[2:], start=2):
                sheet.write_number(row, col, value, money)
        sheet.set_column(0, 1, 24)
        sheet.set_column(2, len(headers) - 1, 16)
        workbook.close()
        return output.getvalue()

    def _lianghua_amount(self, amount):
        """``amount`` with the budget's currency, for messages."""
        self.ensure_one()
        return self.currency_id.format(amount)
