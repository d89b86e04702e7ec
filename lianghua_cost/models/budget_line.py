from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.lianghua_service.models.plan_budget_line import BUDGET_PHASES


class LianghuaCostBudgetLine(models.Model):
    """A cell of a budget: one phase × one category. Its figures are read,
    for a whole batch of cells at once, from the purchase order lines
    committed on the project and the analytic lines posted on its account
    (``_lianghua_figures``)."""

    _name = "lianghua.cost.budget.line"
    _description = "Budget Cell"
    _inherit = ["lianghua.document.mixin"]
    _order = "budget_id, phase, category_sequence, category_id"
    _check_company_auto = True

    budget_id = fields.Many2one(
        "lianghua.cost.budget",
        string="Project Budget",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    project_id = fields.Many2one(related="budget_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="budget_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="budget_id.currency_id")
    state = fields.Selection(related="budget_id.state", string="Budget Status")
    phase = fields.Selection(BUDGET_PHASES, required=True)
    category_id = fields.Many2one(
        "lianghua.cost.category", required=True, ondelete="restrict",
        check_company=True,
    )  # fmt: skip
    category_sequence = fields.Integer(related="category_id.sequence", store=True)
    name = fields.Char(string="Note")
    amount = fields.Monetary(string="Budget")
    overrun_ids = fields.One2many(
        "lianghua.cost.overrun", "budget_line_id", string="Overrun Requests"
    )
    funded_overrun_ids = fields.One2many(
        "lianghua.cost.overrun", "source_line_id", string="Overruns Funded"
    )
    adjustment_amount = fields.Monetary(
        string="Overruns",
        compute="_compute_adjustment_amount",
        store=True,
        help="Approved overruns of this cell, less those the cell funded from its reserve.",
    )
    available_amount = fields.Monetary(
        string="Available", compute="_compute_adjustment_amount", store=True
    )
    committed_amount = fields.Monetary(string="Committed", compute="_compute_figures")
    actual_amount = fields.Monetary(string="Actual", compute="_compute_figures")
    remaining_amount = fields.Monetary(string="Remaining", compute="_compute_figures")
    consumption = fields.Float(string="Consumed (%)", compute="_compute_figures")

    _sql_constraints = [
        (
            "cell_unique",
            "UNIQUE(budget_id, phase, category_id)",
            "A budget has one cell per phase and category.",
        ),
    ]

    # Computes

    @api.depends(
        "amount",
        "overrun_ids.state",
        "overrun_ids.amount",
        "funded_overrun_ids.state",
        "funded_overrun_ids.amount",
    )
    def _compute_adjustment_amount(self):
        for cell in self:
            received = sum(
                cell.overrun_ids.filtered(lambda o: o.state == "approved").mapped("amount")
            )
            given = sum(
                cell.funded_overrun_ids.filtered(lambda o: o.state == "approved").mapped("amount")
            )
            cell.adjustment_amount = received - given
            cell.available_amount = cell.amount + received - given

    @api.depends("available_amount")
    def _compute_figures(self):
        figures = self._lianghua_figures()
        for cell in self:
            committed, actual = figures.get(cell._lianghua_key(), (0.0, 0.0))
            cell.committed_amount = committed
            cell.actual_amount = actual
            cell.remaining_amount = cell.available_amount - committed - actual
            cell.consumption = (
                100.0 * (committed + actual) / cell.available_amount
                if cell.available_amount
                else 0.0
            )

    def _compute_display_name(self):
        labels = dict(self._fields["phase"]._description_selection(self.env))
        for cell in self:
            cell.display_name = f"{labels.get(cell.phase, '')} / {cell.category_id.name or ''}"

    # Constraints

    @api.constrains("amount")
    def _check_amount(self):
        if any(cell.amount < 0 for cell in self):
            raise ValidationError(_("A budget amount cannot be negative."))

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            budgets = self.env["lianghua.cost.budget"]._lianghua_vals_records(
                vals_list, "budget_id"
            )
            budgets._lianghua_check_cells_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.budget_id._lianghua_check_cells_editable()
            if {"budget_id", "phase", "category_id"} & set(vals):
                raise UserError(_("A cell keeps its place: change its amount instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if not self.env.su:
            self.budget_id._lianghua_check_cells_editable()

    # Business

    def _lianghua_key(self):
        return (self.project_id.id, self.phase, self.category_id.id)

    def _lianghua_figures(self):
        """{(project id, phase, category id): (committed, actual)} of these
        cells' projects, in the company's currency: one grouped read of the
        purchase order lines and one of the analytic lines, whatever the
        number of cells, orders or lines."""
        projects = self.project_id
        if not projects:
            return {}
        # Aggregates of purchases and postings the reader of the budget may
        # not read one by one: the budget's figures are theirs to see.
        committed = (
            self.env["purchase.order.line"]
            .sudo()
            ._read_group(
                [
                    ("lianghua_project_id", "in", projects.ids),
                    ("lianghua_committed_amount", "!=", 0),
                ],
                ["lianghua_project_id", "lianghua_phase", "lianghua_cost_category_id"],
                ["lianghua_committed_amount:sum"],
            )
        )
        figures = {}
        for project, phase, category, amount in committed:
            figures[(project.id, phase, category.id)] = [amount, 0.0]
        accounts = projects.account_id
        if accounts:
            actual = (
                self.env["account.analytic.line"]
                .sudo()
                ._read_group(
                    [
                        ("account_id", "in", accounts.ids),
                        ("lianghua_cost_category_id", "!=", False),
                    ],
                    ["account_id", "lianghua_phase", "lianghua_cost_category_id"],
                    ["amount:sum"],
                )
            )
            for account, phase, category, amount in actual:
                for project in projects.filtered(lambda p, a=account: p.account_id == a):
                    entry = figures.setdefault((project.id, phase, category.id), [0.0, 0.0])
                    entry[1] -= amount  # costs are negative on analytic lines
        return {key: tuple(value) for key, value in figures.items()}

    def _lianghua_lock(self):
        """Hold these cells until the transaction ends: a concurrent check of
        the same cells waits, then fails to serialize and is retried, seeing
        what this one committed (the database's own guard against two
        purchases spending the same remaining budget)."""
        if self:
            self.env.cr.execute(
                SQL(
                    "UPDATE lianghua_cost_budget_line SET write_date = write_date WHERE id IN %s",
                    tuple(self.ids),
                )
            )
