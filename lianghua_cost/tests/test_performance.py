from odoo.tests import tagged

from .common import LianghuaCostCommon


@tagged("post_install", "-at_install")
class TestCostQueries(LianghuaCostCommon):
    """The figures of a budget are a fixed number of queries, whatever the
    number of purchase order lines and analytic lines behind them."""

    def _budget_with_lines(self, count):
        budget = self._approved_budget({("development", self.category_equipment): 10**7})
        project = budget.project_id
        self._confirm(self._purchase(project, [(self.server, 1, 100)] * count))
        self.env["account.analytic.line"].with_user(self.it_user).create(
            [{"project_id": project.id, "name": f"Work {n}", "unit_amount": 1}
             for n in range(count)]
        )  # fmt: skip
        self.env.flush_all()
        return budget

    def _read_figures(self, budget):
        budget = budget.with_user(self.finance)
        budget.line_ids.mapped("remaining_amount")
        return budget.remaining_total

    def _queries(self, budget):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._read_figures(budget)
        return self.env.cr.sql_log_count - before

    def test_figures_do_not_grow_with_the_lines(self):
        small = self._budget_with_lines(5)
        large = self._budget_with_lines(50)
        self._queries(small)  # warm the registry's and ORM's caches
        expected = self._queries(small)
        self.assertLessEqual(expected, 8)
        self.env.invalidate_all()
        with self.assertQueryCount(expected):
            self._read_figures(large)
        self.assertEqual(large.with_user(self.finance).committed_total, 5000)
        self.assertEqual(large.with_user(self.finance).actual_total, 50 * 200)
