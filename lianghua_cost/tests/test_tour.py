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

    def test_final_cost_report_downloads_as_a_spreadsheet(self):
        budget = self._approved_budget({("development", self.category_equipment): 18000})
        url = f"/lianghua_cost/budget/{budget.id}/xlsx"
        self.authenticate(self.finance.login, self.finance.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        # A requester may not read budgets: no spreadsheet either.
        self.authenticate(self.requester.login, self.requester.login)
        response = self.url_open(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotEqual(response.content[:2], b"PK")
