from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.lianghua_service.models.plan_budget_line import BUDGET_PHASES


class LianghuaCostReport(models.Model):
    """Budget against committed and actual costs, by project, phase,
    category and month (policy 5.2.3): the approved budgets' cells on their
    start date, the purchase order lines still committed on their order's
    approval date, and the costs posted on the projects' analytic accounts
    on their date."""

    _name = "lianghua.cost.report"
    _description = "Budget vs Actual"
    _auto = False
    _order = "date desc"
    _rec_name = "project_id"

    date = fields.Date(readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    budget_id = fields.Many2one("lianghua.cost.budget", string="Project Budget", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    phase = fields.Selection(BUDGET_PHASES, readonly=True)
    category_id = fields.Many2one("lianghua.cost.category", readonly=True)
    source = fields.Selection(
        [("budget", "Budget"), ("purchase", "Purchase Order"), ("posted", "Posted Cost")],
        readonly=True,
    )
    budget_amount = fields.Monetary(string="Budget", readonly=True)
    committed_amount = fields.Monetary(string="Committed", readonly=True)
    actual_amount = fields.Monetary(string="Actual", readonly=True)
    remaining_amount = fields.Monetary(string="Remaining", readonly=True)

    # The view reads other models' tables: their pending writes go first.

    @api.model
    def _read_group(self, *args, **kwargs):
        self._lianghua_flush_sources()
        return super()._read_group(*args, **kwargs)

    @api.model
    def search_fetch(self, *args, **kwargs):
        self._lianghua_flush_sources()
        return super().search_fetch(*args, **kwargs)

    @api.model
    def _lianghua_flush_sources(self):
        for model in (
            "lianghua.cost.budget",
            "lianghua.cost.budget.line",
            "purchase.order",
            "purchase.order.line",
            "account.analytic.line",
        ):
            self.env[model].flush_model()

    def _query(self):
        return SQL(
            """
            SELECT row_number() OVER () AS id, r.*,
                   r.budget_amount - r.committed_amount - r.actual_amount AS remaining_amount
              FROM (
                SELECT coalesce(b.date_from, b.approved_date) AS date, b.project_id,
                       b.id AS budget_id, b.company_id, c.currency_id, l.phase, l.category_id,
                       'budget' AS source, l.available_amount AS budget_amount,
                       0.0 AS committed_amount, 0.0 AS actual_amount
                  FROM lianghua_cost_budget_line l
                  JOIN lianghua_cost_budget b ON b.id = l.budget_id
                  JOIN res_company c ON c.id = b.company_id
                 WHERE b.state = 'approved' AND l.available_amount != 0
                UNION ALL
                SELECT o.date_approve::date, pl.lianghua_project_id, b.id, o.company_id,
                       c.currency_id, pl.lianghua_phase, pl.lianghua_cost_category_id,
                       'purchase', 0.0, pl.lianghua_committed_amount, 0.0
                  FROM purchase_order_line pl
                  JOIN purchase_order o ON o.id = pl.order_id
                  JOIN res_company c ON c.id = o.company_id
                  LEFT JOIN lianghua_cost_budget b
                         ON b.project_id = pl.lianghua_project_id AND b.state = 'approved'
                 WHERE pl.lianghua_project_id IS NOT NULL AND pl.lianghua_committed_amount != 0
                UNION ALL
                SELECT a.date, p.id, b.id, a.company_id, c.currency_id, a.lianghua_phase,
                       a.lianghua_cost_category_id, 'posted', 0.0, 0.0, -a.amount
                  FROM account_analytic_line a
                  JOIN project_project p ON p.account_id = a.account_id
                  JOIN res_company c ON c.id = a.company_id
                  LEFT JOIN lianghua_cost_budget b
                         ON b.project_id = p.id AND b.state = 'approved'
                 WHERE a.lianghua_cost_category_id IS NOT NULL
              ) r
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
