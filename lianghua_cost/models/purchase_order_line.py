from odoo import api, fields, models

from odoo.addons.lianghua_service.models.plan_budget_line import BUDGET_PHASES


class PurchaseOrderLine(models.Model):
    """Where a line is charged (a budget cell: project, phase, category) and
    what it still commits: the untaxed amount of what is ordered and not
    billed yet by a posted bill, in the company's currency, for the share of
    the line charged to the project's analytic account."""

    _inherit = "purchase.order.line"
    _check_company_auto = True

    lianghua_project_id = fields.Many2one(
        "project.project",
        string="Budgeted Project",
        compute="_compute_lianghua_project_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        help="The order's project when it is a project of the Lianghua services (or has a "
        "budget): the line is checked against and counted in its budget.",
    )
    lianghua_phase = fields.Selection(
        BUDGET_PHASES,
        string="Budget Phase",
        compute="_compute_lianghua_phase",
        store=True,
        readonly=False,
        precompute=True,
    )
    lianghua_cost_category_id = fields.Many2one(
        "lianghua.cost.category",
        string="Cost Category",
        compute="_compute_lianghua_cost_category_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )
    lianghua_qty_billed = fields.Float(
        string="Billed (posted)",
        compute="_compute_lianghua_committed_amount",
        store=True,
        digits="Product Unit of Measure",
    )
    lianghua_committed_amount = fields.Monetary(
        string="Committed",
        compute="_compute_lianghua_committed_amount",
        store=True,
        currency_field="company_currency_id",
    )
    order_id = fields.Many2one(check_company=True)
    product_id = fields.Many2one(check_company=True)
    taxes_id = fields.Many2many(check_company=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )

    @api.depends("order_id.project_id.lianghua_plan_id", "order_id.project_id.lianghua_budget_ids")
    def _compute_lianghua_project_id(self):
        for line in self:
            project = line.order_id.project_id
            budgeted = project.lianghua_plan_id or project.sudo().lianghua_budget_ids
            line.lianghua_project_id = project if budgeted else False

    @api.depends("order_id.lianghua_phase")
    def _compute_lianghua_phase(self):
        for line in self:
            line.lianghua_phase = line.order_id.lianghua_phase or line.lianghua_phase

    @api.depends("product_id", "lianghua_project_id")
    def _compute_lianghua_cost_category_id(self):
        categories = (
            self.env["lianghua.cost.category"]
            .sudo()
            .search([("company_id", "in", [*self.company_id.ids, False])])
        )
        for line in self.filtered("lianghua_project_id"):
            company = line.company_id
            own = categories.filtered(lambda c, co=company: c.company_id in (co, co.browse()))
            account = (
                line.product_id.product_tmpl_id.with_company(company)._get_product_accounts()[
                    "expense"
                ]
                if line.product_id
                else None
            )
            line.lianghua_cost_category_id = own._lianghua_classify(line.product_id, account)

    @api.depends(
        "order_id.state",
        "product_qty",
        "price_subtotal",
        "analytic_distribution",
        "lianghua_project_id.account_id",
        "invoice_lines.move_id.state",
        "invoice_lines.quantity",
    )
    def _compute_lianghua_committed_amount(self):
        for line in self:
            billed = 0.0
            for bill_line in line.invoice_lines.filtered(lambda b: b.move_id.state == "posted"):
                qty = bill_line.product_uom_id._compute_quantity(
                    bill_line.quantity, line.product_uom
                )
                billed += qty if bill_line.move_id.move_type == "in_invoice" else -qty
            line.lianghua_qty_billed = billed
            if line.order_id.state not in ("purchase", "done") or not line.product_qty:
                line.lianghua_committed_amount = 0.0
                continue
            open_ratio = max(line.product_qty - billed, 0.0) / line.product_qty
            line.lianghua_committed_amount = line._lianghua_commitment() * open_ratio

    def _lianghua_commitment(self):
        """The untaxed amount of the whole line, in the company's currency,
        for the share charged to its project's analytic account."""
        self.ensure_one()
        account = self.lianghua_project_id.account_id
        if not account or not self.analytic_distribution or self.display_type:
            return 0.0
        share = sum(
            percent
            for key, percent in self.analytic_distribution.items()
            if str(account.id) in key.split(",")
        )
        order = self.order_id
        amount = order.currency_id._convert(
            self.price_subtotal,
            self.company_id.currency_id,
            self.company_id,
            (order.date_approve or order.date_order or fields.Datetime.now()).date(),
        )
        return amount * share / 100.0
