from odoo.tests import HttpCase, tagged

from .common import LianghuaCostCommon


@tagged("post_install", "-at_install")
class TestCostInTheBrowser(HttpCase, LianghuaCostCommon):
    def test_budget_drafted_in_the_grid_and_approved_by_finance(self):
        """IT drafts the budget from the project's form, fills the grid and
        submits it; finance approves it from Project Costs > To Approve."""
        project = self._approved_plan().project_id
        self.start_tour(
            f"/odoo/project.project/{project.id}", "lianghua_cost_budget_draft",
            login=self.it_user.login,
        )  # fmt: skip
        budget = self.env["lianghua.cost.budget"].search([("project_id", "=", project.id)])
        self.assertRecordValues(budget, [{"state": "review", "amount_total": 220000}])
        amounts = {
            ("development", self.category_personnel): 120000,
            ("development", self.category_equipment): 50000,
            ("development", self.category_contingency): 12000,
            ("implementation", self.category_outsourcing): 30000,
            ("operation", self.category_personnel): 8000,
        }
        self.assertEqual(
            {(c.phase, c.category_id): c.amount for c in budget.line_ids if c.amount}, amounts
        )
        self.assertEqual(len(budget.line_ids), 18)  # no cell lost or added by the grid

        self.start_tour("/odoo", "lianghua_cost_budget_approve", login=self.finance.login)
        budget.invalidate_recordset()
        self.assertEqual(budget.state, "approved")
        self.assertRecordValues(
            budget.review_ids,
            [{"status": "approved", "done_by": self.finance.id, "comment": "Within the plan."}],
        )
