from odoo import api, fields, models

from odoo.addons.lianghua_service.models.plan_budget_line import BUDGET_PHASES

# The account types whose postings are costs of a project.
COST_ACCOUNT_TYPES = ("expense", "expense_direct_cost", "expense_depreciation")


class AccountAnalyticLine(models.Model):
    """The actual costs of a project: its posted analytic lines, each in a
    budget cell (phase × category). Vendor bills take the cell of the order
    line they bill, or of their product and expense account; timesheets go to
    the personnel category; both to the project's current phase unless the
    order says otherwise. Finance may reclassify a line by hand."""

    _inherit = "account.analytic.line"

    # Timesheets stay in their company (hr_timesheet declares these links
    # without the check).
    user_id = fields.Many2one(check_company=True)
    task_id = fields.Many2one(check_company=True)
    project_id = fields.Many2one(check_company=True)
    employee_id = fields.Many2one(check_company=True)
    department_id = fields.Many2one(check_company=True)

    lianghua_phase = fields.Selection(
        BUDGET_PHASES,
        string="Budget Phase",
        compute="_compute_lianghua_cell",
        store=True,
        readonly=False,
    )
    lianghua_cost_category_id = fields.Many2one(
        "lianghua.cost.category",
        string="Cost Category",
        compute="_compute_lianghua_cell",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        help="Set on the costs of a project only (bills and expenses on expense accounts, "
        "timesheets).",
    )

    @api.depends("move_line_id", "project_id", "general_account_id", "product_id", "account_id")
    def _compute_lianghua_cell(self):
        categories = (
            self.env["lianghua.cost.category"]
            .sudo()
            .search([("company_id", "in", [*self.company_id.ids, False])])
        )
        for line in self:
            company = line.company_id
            own = categories.filtered(lambda c, co=company: c.company_id in (co, co.browse()))
            project = line.project_id or line.account_id.project_ids[:1]
            order_line = line.move_line_id.purchase_line_id
            is_cost = bool(line.project_id) or (
                line.general_account_id.account_type in COST_ACCOUNT_TYPES
            )
            if not is_cost or not own:
                line.lianghua_cost_category_id = False
                line.lianghua_phase = False
                continue
            if line.project_id:
                category = own.filtered("is_personnel")[:1] or own.filtered("is_default")[:1]
            elif order_line.lianghua_cost_category_id:
                category = order_line.lianghua_cost_category_id
            else:
                category = own._lianghua_classify(line.product_id, line.general_account_id)
            line.lianghua_cost_category_id = category
            line.lianghua_phase = (
                order_line.lianghua_phase or project.lianghua_cost_phase or "development"
            )
