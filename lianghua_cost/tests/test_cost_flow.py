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

    def test_cancelled_order_releases_its_commitment(self):
        budget = self._approved_budget({("development", self.category_equipment): 50000})
        order = self._confirm(self._purchase(budget.project_id, [(self.server, 3, 10000)]))
        equipment = self._cell(budget, "development", self.category_equipment)
        self.assertEqual(equipment.committed_amount, 30000)
        order.with_user(self.finance).button_cancel()
        equipment.invalidate_recordset()
        self.assertRecordValues(equipment, [{"committed_amount": 0, "remaining_amount": 50000}])

    def test_order_lines_find_their_cell(self):
        budget = self._approved_budget({("implementation", self.category_outsourcing): 90000})
        order = self._purchase(
            budget.project_id, [(self.consulting, 1, 60000)], phase="implementation"
        )
        self.assertRecordValues(
            order.order_line,
            [{"lianghua_phase": "implementation",
              "lianghua_cost_category_id": self.category_outsourcing.id,
              "analytic_distribution": {str(budget.project_id.account_id.id): 100}}],
        )  # fmt: skip
        self._confirm(order)
        bill = self._bill(order)
        analytic = bill.invoice_line_ids.analytic_line_ids
        self.assertRecordValues(
            analytic,
            [{"lianghua_phase": "implementation",
              "lianghua_cost_category_id": self.category_outsourcing.id, "amount": -60000}],
        )  # fmt: skip
        cell = self._cell(budget, "implementation", self.category_outsourcing)
        self.assertRecordValues(
            cell, [{"committed_amount": 0, "actual_amount": 60000, "remaining_amount": 30000}]
        )

    def test_overrun_from_the_reserve_lets_the_order_pass(self):
        budget = self._approved_budget(
            {("development", self.category_equipment): 15000,
             ("development", self.category_contingency): 12000}
        )  # fmt: skip
        order = self._purchase(budget.project_id, [(self.server, 2, 10000)])
        self._approve_purchase(order)
        with self.assertRaisesRegex(UserError, r"5,000\.00 too much"):
            order.with_user(self.finance).button_confirm()
        equipment = self._cell(budget, "development", self.category_equipment)
        overrun = (
            self.env["lianghua.cost.overrun"]
            .with_user(self.it_user)
            .create(
                {"budget_id": budget.id, "budget_line_id": equipment.id,
                 "purchase_order_id": order.id, "amount": 5000,
                 "reason": "A second server for the standby database."}
            )
        )  # fmt: skip
        overrun.action_submit()
        self.assertEqual(overrun.state, "review")
        self._review(overrun, self.finance, comment="Funded from the reserve.")
        self.assertEqual(overrun.state, "approved")
        reserve = self._cell(budget, "development", self.category_contingency)
        self.assertRecordValues(
            equipment | reserve,
            [{"amount": 15000, "adjustment_amount": 5000, "available_amount": 20000},
             {"amount": 12000, "adjustment_amount": -5000, "available_amount": 7000}],
        )  # fmt: skip
        order.with_user(self.finance).button_confirm()
        self.assertEqual(order.state, "purchase")
        equipment.invalidate_recordset()
        self.assertEqual(equipment.remaining_amount, 0)
        self.assertIn(overrun.name, budget.message_ids[0].body)

    def test_overrun_beyond_the_reserve_is_refused(self):
        budget = self._approved_budget(
            {("development", self.category_equipment): 15000,
             ("development", self.category_contingency): 3000}
        )  # fmt: skip
        overrun = (
            self.env["lianghua.cost.overrun"]
            .with_user(self.it_user)
            .create(
                {"budget_id": budget.id,
                 "budget_line_id": self._cell(budget, "development", self.category_equipment).id,
                 "amount": 5000, "reason": "More servers."}
            )
        )  # fmt: skip
        with self.assertRaisesRegex(UserError, "has ¥?\\$?3,000.00|3,000.00 left"):
            overrun.action_submit()
        self.assertEqual(overrun.state, "draft")
        overrun.funding = "revision"
        overrun.action_submit()
        self._review(overrun, self.finance)
        self.assertEqual(
            self._cell(budget, "development", self.category_equipment).available_amount, 20000
        )

    def test_leader_approves_large_budgets_and_overruns(self):
        self.env.company.lianghua_budget_leader_amount = 100000
        budget = self._draft_budget()  # 132,000 from the plan
        self.assertTrue(budget.needs_leader)
        budget.with_user(self.it_user).action_submit()
        self._review(budget, self.finance)
        self.assertEqual(budget.state, "review")
        with self.assertRaises(UserError):
            self._review(budget, self.finance_2)  # finance's tier is done: not theirs
        self._review(budget, self.leader)
        self.assertEqual(budget.state, "approved")
        self.assertEqual(budget.review_ids.done_by, self.finance | self.leader)

    def test_rejected_budget_returns_to_draft_with_a_to_do(self):
        budget = self._draft_budget()
        budget.with_user(self.it_user).action_submit()
        self._review(budget, self.finance, decision="reject", comment="Licences are missing.")
        self.assertRecordValues(
            budget, [{"state": "draft", "rejection_reason": "Licences are missing."}]
        )
        self.assertEqual(budget.activity_ids.user_id, self.it_user)

    def test_revision_is_the_next_version_with_its_reason(self):
        budget = self._approved_budget({("development", self.category_equipment): 15000})
        equipment = self._cell(budget, "development", self.category_equipment)
        overrun = (
            self.env["lianghua.cost.overrun"]
            .with_user(self.it_user)
            .create(
                {"budget_id": budget.id, "budget_line_id": equipment.id, "amount": 2000,
                 "funding": "contingency", "reason": "Rack."}
            )
        )  # fmt: skip
        overrun.action_submit()
        self._review(overrun, self.finance)
        action = budget.with_user(self.it_user).action_revise()
        revision = self.env["lianghua.cost.budget"].browse(action["res_id"])
        self.assertRecordValues(
            revision,
            [{"version": 2, "previous_id": budget.id, "state": "draft", "name": budget.name}],
        )
        self.assertEqual(self._cell(revision, "development", self.category_equipment).amount, 17000)
        self.assertEqual(
            self._cell(revision, "development", self.category_contingency).amount, 10000
        )
        with self.assertRaisesRegex(UserError, "give the reason"):
            revision.with_user(self.it_user).action_submit()
        revision.with_user(self.it_user).revision_reason = "Scope grew by a standby site."
        self._set_cells(revision, {("operation", self.category_software): 8000})
        revision.with_user(self.it_user).action_submit()
        self._review(revision, self.finance)
        self.assertRecordValues(budget | revision, [{"state": "superseded"}, {"state": "approved"}])
        # Purchases are checked against the approved version.
        order = self._purchase(budget.project_id, [(self.licence, 1, 8000)], phase="operation")
        self.assertEqual(order.lianghua_budget_id, revision)

    def test_cost_alert_asks_the_project_manager_to_explain(self):
        budget = self._approved_budget({("development", self.category_equipment): 10000})
        project = budget.project_id
        project.user_id = self.it_manager
        self.env.company.lianghua_cost_alert_percent = 50
        self.env["lianghua.cost.budget"]._cron_check_cost_alerts()
        self.assertFalse(budget.alert)
        self._confirm(self._purchase(project, [(self.server, 1, 9000)]))
        self._timesheet(project, 100)  # 20,000 of personnel: 29,000 of 142,000 (20%)
        self.env["lianghua.cost.budget"]._cron_check_cost_alerts()
        self.assertFalse(budget.alert)
        self._timesheet(project, 300)  # 60,000 more: 89,000 of 142,000 (63%)
        budget.invalidate_recordset()
        self.env["lianghua.cost.budget"]._cron_check_cost_alerts()
        self.assertTrue(budget.alert)
        activity = budget.activity_ids
        self.assertRecordValues(
            activity,
            [{"user_id": self.it_manager.id,
              "activity_type_id": self.env.ref("lianghua_cost.mail_activity_cost_variance").id}],
        )  # fmt: skip
        self.env["lianghua.cost.budget"]._cron_check_cost_alerts()
        self.assertEqual(budget.activity_ids, activity)  # asked once
        budget.with_user(self.it_manager).write(
            {"variance_cause": "Integration took twice the hours planned.",
             "variance_measure": "Second phase reduced; vendor support bought."}
        )  # fmt: skip
        self.env.company.lianghua_cost_alert_percent = 90
        budget.invalidate_recordset()
        self.env["lianghua.cost.budget"]._cron_check_cost_alerts()
        self.assertFalse(budget.alert)

    def test_variance_report_and_indicators(self):
        budget = self._approved_budget(
            {("development", self.category_equipment): 18000,
             ("development", self.category_software): 6000}
        )  # fmt: skip
        project = budget.project_id
        self._confirm(self._purchase(project, [(self.server, 2, 9000)]))
        order = self._confirm(self._purchase(project, [(self.licence, 1, 6000)]))
        self._bill(order)
        self._timesheet(project, 10)  # 2,000
        report = self.env["lianghua.cost.report"].with_user(self.finance)
        rows = report._read_group(
            [("project_id", "=", project.id)],
            ["phase"],
            ["budget_amount:sum", "committed_amount:sum", "actual_amount:sum",
             "remaining_amount:sum"],
        )  # fmt: skip
        self.assertEqual(rows, [("development", 156000, 18000, 8000, 130000)])
        for computation, expected in (
            ("budget_consumption", 100.0 * 26000 / 156000),
            ("cost_variance", 100.0 * (26000 - 156000) / 156000),
        ):
            indicator = self.env["lianghua.indicator"].create(
                {"name": computation, "code": computation, "scope": "project",
                 "period": "month", "computation": computation, "direction": "lower"}
            )  # fmt: skip
            indicator._measure(self.today)
            value = indicator.value_ids.filtered(lambda v, p=project: v.res_id == p.id)
            self.assertAlmostEqual(value.value, expected, places=2)

    def test_final_cost_report_prints_and_exports(self):
        budget = self._approved_budget({("development", self.category_equipment): 18000})
        order = self._confirm(self._purchase(budget.project_id, [(self.server, 1, 9000)]))
        self._bill(order)
        rows = budget.with_user(self.finance)._lianghua_cost_report_rows()
        self.assertEqual(
            rows,
            [["Development", "Personnel", 120000, 0, 0, 0, 120000],
             ["Development", "Equipment", 18000, 0, 0, 9000, 9000],
             ["Development", "Contingency Reserve", 12000, 0, 0, 0, 12000],
             ["Total", "", 150000, 0, 0, 9000, 141000]],
        )  # fmt: skip
        content = budget.with_user(self.finance)._lianghua_cost_report_xlsx()
        self.assertEqual(content[:2], b"PK")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("lianghua_cost.report_lianghua_cost_budget", budget.ids)[0]
            .decode()
        )
        self.assertIn("Equipment", html)
        self.assertIn(budget.project_id.name, html)
