from odoo.tests import tagged

from odoo.addons.lianghua_cost.tests.common import LianghuaCostCommon


@tagged("post_install", "-at_install")
class TestCostWarnings(LianghuaCostCommon):
    """The cost indicators warn of overruns: a project's costs past the
    thresholds raise an early warning and a cost overrun risk; back within
    them, the warning closes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumption = cls.env.ref("lianghua_cost.indicator_budget_consumption")
        cls.variance = cls.env.ref("lianghua_cost.indicator_cost_variance")
        cls.category_cost = cls.env.ref("lianghua_risk_cost.risk_category_cost")
        cls.possible = cls.env.ref("lianghua_risk.risk_probability_3")
        cls.likely = cls.env.ref("lianghua_risk.risk_probability_4")
        cls.major = cls.env.ref("lianghua_risk.risk_impact_4")
        cls.Warning = cls.env["lianghua.risk.warning"]

    def _budget_of(self, amounts):
        """An approved budget of only ``amounts`` ({(phase, category):
        amount}): the plan's personnel and reserve set to nothing."""
        cells = {
            ("development", self.category_personnel): 0,
            ("development", self.category_contingency): 0,
            **amounts,
        }
        return self._approved_budget(cells)

    def _warn(self, indicator):
        """Measure ``indicator`` today and compare it with its thresholds, as
        the warning cron does for each company."""
        company = self.env.company
        day = indicator._local_today(company)
        # The measures read the tables in SQL: what the test did is flushed
        # first, as it is committed before the cron runs.
        self.env.flush_all()
        indicator._measure(day, companies=company)
        self.Warning._evaluate(indicator, company, day)

    def _warnings(self, indicator, project):
        return self.Warning.search(
            [("indicator_id", "=", indicator.id), ("project_id", "=", project.id)]
        )

    def test_cost_indicators_are_early_warnings(self):
        risk = {
            "lianghua_early_warning": True,
            "lianghua_risk_category_id": self.category_cost.id,
            "lianghua_warning_probability_id": self.possible.id,
            "lianghua_alarm_probability_id": self.likely.id,
            "lianghua_risk_impact_id": self.major.id,
        }
        self.assertRecordValues(
            self.consumption | self.variance,
            [
                {**risk, "lianghua_warning_threshold": 90, "lianghua_alarm_threshold": 100},
                {**risk, "lianghua_warning_threshold": 5, "lianghua_alarm_threshold": 15},
            ],
        )
        self.assertRecordValues(self.category_cost, [{"name": "Cost overrun", "code": "COST"}])
        self.assertIn("compare the actual costs with the budget", self.category_cost.guidance)

    def test_budget_consumed_warns_escalates_and_closes(self):
        budget = self._budget_of({("development", self.category_equipment): 50000})
        project = budget.project_id
        order = self._confirm(self._purchase(project, [(self.server, 2, 23000)]))  # 92%

        # The daily cron watches the cost indicators now.
        self.env.flush_all()  # committed before the cron runs
        self.Warning._cron_evaluate()
        warning = self._warnings(self.consumption, project)
        self.assertRecordValues(
            warning,
            [{"state": "open", "level": "warning", "value": 92.0, "threshold": 90,
              "company_id": self.env.company.id}],
        )  # fmt: skip
        self.assertRecordValues(
            warning.risk_id,
            [{"project_id": project.id, "category_id": self.category_cost.id,
              "probability_id": self.possible.id, "impact_id": self.major.id,
              "source": "warning", "indicator_id": self.consumption.id, "state": "identified"}],
        )  # fmt: skip
        self.assertFalse(self._warnings(self.variance, project), "8% under the budget")

        # 100% of the budget committed: the alarm, the risk likely.
        more = self._confirm(self._purchase(project, [(self.server, 1, 4000)]))
        self._warn(self.consumption)
        self.assertRecordValues(warning, [{"state": "open", "level": "alarm", "value": 100.0}])
        self.assertEqual(warning.risk_id.probability_id, self.likely)

        # The orders cancelled: the costs are back within the thresholds.
        (order | more).with_user(self.finance).button_cancel()
        self._warn(self.consumption)
        self.assertRecordValues(warning, [{"state": "closed", "value": 0.0}])
        self.assertEqual(
            warning.reading_ids.sorted("id").mapped("event"), ["raised", "escalated", "closed"]
        )
        self.assertEqual(warning.risk_id.state, "identified", "its owner closes the risk")

    def test_costs_over_the_budget_warn_of_the_variance(self):
        budget = self._budget_of({("development", self.category_personnel): 10000})
        project = budget.project_id
        self._timesheet(project, 55)  # 11,000: 10% over the budget
        self._warn(self.consumption)
        self._warn(self.variance)
        consumed = self._warnings(self.consumption, project)
        variance = self._warnings(self.variance, project)
        self.assertRecordValues(
            consumed | variance,
            [{"level": "alarm", "value": 110.0}, {"level": "warning", "value": 10.0}],
        )
        # One cost overrun risk per indicator watching the project.
        self.assertEqual(len(consumed.risk_id | variance.risk_id), 2)
        self.assertEqual((consumed | variance).risk_id.category_id, self.category_cost)
        self.assertEqual(variance.risk_id.probability_id, self.possible)
