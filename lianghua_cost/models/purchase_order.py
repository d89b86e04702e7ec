from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.lianghua_service.models.plan_budget_line import BUDGET_PHASES


class PurchaseOrder(models.Model):
    """A purchase charged to a Lianghua project: confirming it is checked
    against the remaining budget of each cell it spends (policy 5.2.1, every
    expense approved against the budget)."""

    _inherit = "purchase.order"
    _check_company_auto = True

    # project_purchase's project of the order: a project of the Lianghua
    # services has its purchases checked against its budget.
    project_id = fields.Many2one(check_company=True, tracking=True, index="btree_not_null")
    # Company-checked links (purchase declares them without the check).
    invoice_ids = fields.Many2many(check_company=True)
    fiscal_position_id = fields.Many2one(check_company=True)
    payment_term_id = fields.Many2one(check_company=True)
    lianghua_phase = fields.Selection(
        BUDGET_PHASES,
        string="Budget Phase",
        default="development",
        tracking=True,
        help="The phase of the budget the order's lines are charged to, unless a line says "
        "otherwise.",
    )
    lianghua_budget_id = fields.Many2one(
        "lianghua.cost.budget", string="Budget", compute="_compute_lianghua_budget_id"
    )

    @api.depends("project_id")
    def _compute_lianghua_budget_id(self):
        budgets = (
            self.env["lianghua.cost.budget"]
            .sudo()
            .search([("project_id", "in", self.project_id.ids), ("state", "=", "approved")])
        )
        by_project = {budget.project_id: budget for budget in budgets}
        for order in self:
            # The approved budget's name, for buyers who may not read budgets.
            order.lianghua_budget_id = by_project.get(order.project_id, False)

    def button_confirm(self):
        self.check_access("write")
        self.filtered(lambda o: o.state in ("draft", "sent"))._lianghua_check_budget()
        res = super().button_confirm()
        # The cells' figures read before the confirmation are stale now.
        self.env["lianghua.cost.budget.line"].invalidate_model(self._lianghua_figure_fields())
        return res

    @api.model
    def _lianghua_figure_fields(self):
        return ["committed_amount", "actual_amount", "remaining_amount", "consumption"]

    # base_tier_validation's buttons write reviews for whoever calls them:
    # on a purchase order, they are for those who may change it.

    def request_validation(self):
        self.check_access("write")
        return super().request_validation()

    def restart_validation(self):
        self.check_access("write")
        return super().restart_validation()

    def validate_tier(self):
        self.check_access("write")
        return super().validate_tier()

    def reject_tier(self):
        self.check_access("write")
        return super().reject_tier()

    def _lianghua_check_budget(self):
        """Refuse orders whose lines would spend more than what remains in
        their budget cells (overruns approved included). The cells are
        locked first, so that two orders confirmed at the same moment cannot
        both spend what remains."""
        lines = self.order_line.filtered(
            lambda line: line.lianghua_project_id and not line.display_type
        )
        if not lines:
            return
        Budget = self.env["lianghua.cost.budget"].sudo()  # buyers check budgets they may not read
        budgets = Budget.search(
            [("project_id", "in", lines.lianghua_project_id.ids), ("state", "=", "approved")]
        )
        by_project = {budget.project_id: budget for budget in budgets}
        missing = lines.lianghua_project_id.filtered(lambda p: p not in by_project)
        if missing:
            raise UserError(
                _(
                    "Project %(project)s has no approved budget: its purchases wait for one.",
                    project=missing[:1].display_name,
                )
            )
        needs = {}
        for line in lines:
            budget = by_project[line.lianghua_project_id]
            cell = budget.line_ids.filtered(
                lambda c, line=line: (
                    c.phase == line.lianghua_phase
                    and c.category_id == line.lianghua_cost_category_id
                )
            )
            if not cell:
                raise UserError(
                    _(
                        "Line %(line)s of %(order)s has no cell in budget %(budget)s: set its "
                        "budget phase and cost category.",
                        line=line.name,
                        order=line.order_id.name,
                        budget=budget.display_name,
                    )
                )
            if cell.category_id.is_contingency:
                raise UserError(
                    _(
                        "Nothing is bought on the contingency reserve (%(cell)s): request an "
                        "overrun of the cell that needs it.",
                        cell=cell.display_name,
                    )
                )
            needs[cell] = needs.get(cell, 0.0) + line._lianghua_commitment()
        cells = self.env["lianghua.cost.budget.line"].sudo().concat(*needs)
        cells._lianghua_lock()
        cells.invalidate_recordset()
        for cell, amount in needs.items():
            if (
                float_compare(
                    amount, cell.remaining_amount, precision_rounding=cell.currency_id.rounding
                )
                > 0
            ):
                raise UserError(
                    _(
                        "%(orders)s exceeds budget %(budget)s in %(cell)s: %(remaining)s remain, "
                        "the order needs %(amount)s, %(excess)s too much. Ask for an overrun of "
                        "the cell before confirming.",
                        orders=", ".join(self.mapped("name")),
                        budget=cell.budget_id.display_name,
                        cell=cell.display_name,
                        remaining=cell.currency_id.format(cell.remaining_amount),
                        amount=cell.currency_id.format(amount),
                        excess=cell.currency_id.format(amount - cell.remaining_amount),
                    )
                )

    def action_lianghua_view_budget(self):
        self.ensure_one()
        budget = self.lianghua_budget_id
        if not budget or not budget.has_access("read"):
            raise UserError(_("You may not read this budget."))
        return budget._get_lianghua_form_action()
