from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.lianghua_service.models.indicator import measures

# Per project of the scope: the budget available in its approved budget, its
# purchase order lines still committed, and the costs posted on its analytic
# account up to the period's last day (the cells' figures, as of that day).
PROJECT_COSTS = """
    WITH budget AS (
        SELECT b.project_id, sum(l.available_amount) AS available,
               count(*) FILTER (WHERE l.available_amount != 0) AS cells
          FROM lianghua_cost_budget b
          JOIN lianghua_cost_budget_line l ON l.budget_id = b.id
         WHERE b.state = 'approved' AND b.project_id IN %(ids)s
         GROUP BY b.project_id
    ), posted AS (
        SELECT p.id AS project_id, -sum(a.amount) AS amount
          FROM account_analytic_line a
          JOIN project_project p ON p.account_id = a.account_id
         WHERE p.id IN %(ids)s AND a.lianghua_cost_category_id IS NOT NULL
           AND a.date <= %(last)s
         GROUP BY p.id
    ), committed AS (
        SELECT lianghua_project_id AS project_id, sum(lianghua_committed_amount) AS amount
          FROM purchase_order_line
         WHERE lianghua_project_id IN %(ids)s
         GROUP BY lianghua_project_id
    )
    SELECT b.project_id, %(value)s, b.cells
      FROM budget b
      LEFT JOIN posted s ON s.project_id = b.project_id
      LEFT JOIN committed m ON m.project_id = b.project_id
     WHERE b.available > 0
"""


class LianghuaIndicator(models.Model):
    """The cost computations (policy 5.2.3, budget vs actual monitored),
    measured per project from its approved budget, its purchase orders and
    its posted costs; risks and quality read them like any indicator."""

    _inherit = "lianghua.indicator"

    computation = fields.Selection(
        selection_add=[
            ("budget_consumption", "Cost: budget consumed (committed and actual)"),
            ("cost_variance", "Cost: variance against the budget"),
        ],
        ondelete={"budget_consumption": "set null", "cost_variance": "set null"},
    )

    @measures("project")
    def _measure_budget_consumption(self, scopes, period):
        """Committed and actual costs of each project as a share (%) of its
        approved budget."""
        return self._grouped_figures(
            PROJECT_COSTS,
            scopes,
            period,
            value=SQL("100.0 * (coalesce(s.amount, 0) + coalesce(m.amount, 0)) / b.available"),
        )

    @measures("project")
    def _measure_cost_variance(self, scopes, period):
        """How far (%) committed and actual costs of each project are above
        (positive) or below (negative) its approved budget."""
        return self._grouped_figures(
            PROJECT_COSTS,
            scopes,
            period,
            value=SQL(
                "100.0 * (coalesce(s.amount, 0) + coalesce(m.amount, 0) - b.available) "
                "/ b.available"
            ),
        )
