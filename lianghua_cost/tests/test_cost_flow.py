from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LianghuaCostCommon


@tagged("post_install", "-at_install")
class TestCostFlow(LianghuaCostCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    def test_budget_drafted_from_plan_and_approved_by_finance(self):
        budget = self._draft_budget()
        self.assertEqual(budget.state, "draft")
        self.assertEqual(len(budget.line_ids), 18)  # 3 phases × 6 categories
        self.assertRecordValues(
            self._cell(budget, "development", self.category_personnel), [{"amount": 120000}]
        )
        self.assertRecordValues(
            self._cell(budget, "development", self.category_contingency), [{"amount": 12000}]
        )
        self.assertEqual(budget.amount_total, 132000)
        budget.with_user(self.it_user).action_submit()
        self.assertEqual(budget.state, "review")
        self._review(budget, self.finance)
        self.assertEqual(budget.state, "approved")

    def test_committed_and_actual_from_orders_bills_and_timesheets(self):
        budget = self._approved_budget(
            {("development", self.category_equipment): 50000,
             ("development", self.category_software): 30000}
        )  # fmt: skip
        project = budget.project_id
        order = self._purchase(project, [(self.server, 2, 10000), (self.licence, 1, 8000)])
        self._confirm(order)
        equipment = self._cell(budget, "development", self.category_equipment)
        software = self._cell(budget, "development", self.category_software)
        self.assertRecordValues(
            equipment | software,
            [{"committed_amount": 20000, "actual_amount": 0, "remaining_amount": 30000},
             {"committed_amount": 8000, "actual_amount": 0, "remaining_amount": 22000}],
        )  # fmt: skip
        bill = self._bill(order, quantities=[1, 1])
        (equipment | software).invalidate_recordset()
        self.assertRecordValues(
            equipment | software,
            [{"committed_amount": 10000, "actual_amount": 10000, "remaining_amount": 30000},
             {"committed_amount": 0, "actual_amount": 8000, "remaining_amount": 22000}],
        )  # fmt: skip
        bill.with_user(self.finance).button_draft()
        (equipment | software).invalidate_recordset()
        self.assertRecordValues(
            equipment | software,
            [{"committed_amount": 20000, "actual_amount": 0},
             {"committed_amount": 8000, "actual_amount": 0}],
        )  # fmt: skip
        timesheet = self._timesheet(project, 10)
        personnel = self._cell(budget, "development", self.category_personnel)
        self.assertEqual(personnel.actual_amount, 2000)
        timesheet.with_user(self.it_user).unit_amount = 4
        personnel.invalidate_recordset()
        self.assertEqual(personnel.actual_amount, 800)
        self.assertEqual(budget.actual_total, 800)

    def test_purchase_over_the_remaining_budget_is_refused(self):
        budget = self._approved_budget({("development", self.category_equipment): 15000})
        order = self._purchase(budget.project_id, [(self.server, 2, 10000)])
        self._approve_purchase(order)
        with self.assertRaisesRegex(UserError, "5,000.00"):
            order.with_user(self.finance).button_confirm()
