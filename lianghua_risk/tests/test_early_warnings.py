from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LianghuaRiskCommon

NOVEMBER = date(2026, 11, 1)
# 2 December 2026: November has ended (the company's calendar is in UTC).
AFTER_NOVEMBER = datetime(2026, 12, 2, 1, 0)


@tagged("post_install", "-at_install")
class TestEarlyWarnings(LianghuaRiskCommon):
    """The early-warning indicators computed from seeded records against
    figures worked out by hand, and the warnings the cron raises, escalates
    and closes from them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "UTC"
        cls.Indicator = cls.env["lianghua.indicator"]
        cls.Warning = cls.env["lianghua.risk.warning"]
        cls.slip = cls.env.ref("lianghua_risk.indicator_schedule_slip")

    # Helpers

    def _indicator(self, computation):
        return self.Indicator.search([("code", "=", f"T-{computation}")]) or self.Indicator.create(
            {"name": computation, "code": f"T-{computation}", "scope": "project",
             "computation": computation, "direction": "lower"}
        )  # fmt: skip

    def _measured(self, computation, project, day=NOVEMBER, now=AFTER_NOVEMBER):
        indicator = self._indicator(computation)
        with self.at(now):
            indicator._measure(day)
        value = indicator.value_ids.filtered(
            lambda v: v.res_id == project.id and v.date_start == indicator._period_start(day)
        )
        return round(value.value, 2), value.sample_size

    def _milestone(self, project, deadline, reached=None):
        milestone = self.env["project.milestone"].create(
            {"name": f"Due {deadline}", "project_id": project.id, "deadline": deadline}
        )
        if reached:
            self._set(milestone, is_reached=True, reached_date=reached)
        return milestone

    def _change(self, project, state, created, approved=None, cost=0.0):
        change = self.env["lianghua.change.request"].create(
            {"title": f"Change {state} {created}", "project_id": project.id, "impact_cost": cost}
        )
        self._set(change, state=state, create_date=created, date_approved=approved)
        return change

    # The computations

    def test_schedule_slip_in_days(self):
        project = self.project_sales
        self._milestone(project, date(2026, 11, 10), reached=date(2026, 11, 12))  # reached
        self._milestone(project, date(2026, 11, 20))  # 10 days late on the 30th
        self._milestone(project, date(2026, 11, 25), reached=date(2026, 12, 1))  # 5 then
        self._milestone(project, date(2026, 12, 15))  # not due
        self.assertEqual(self._measured("schedule_slip_days", project), (10.0, 4))
        # The current month is read today.
        self.assertEqual(
            self._measured(
                "schedule_slip_days", project, day=date(2026, 12, 1), now=datetime(2026, 12, 8, 9)
            ),
            (18.0, 4),
        )

    def test_change_requests_open_and_their_impact(self):
        plan = self._approved_plan()
        project = plan.project_id
        self.assertEqual(plan.budget_total, 132000)
        self._change(project, "draft", datetime(2026, 11, 2))
        self._change(project, "to_approve", datetime(2026, 11, 3))
        first = self._change(
            project, "approved", datetime(2026, 11, 4), datetime(2026, 11, 15), cost=19800
        )
        second = self._change(
            project, "approved", datetime(2026, 11, 5), datetime(2026, 11, 20), cost=6600
        )
        self._change(project, "cancel", datetime(2026, 11, 6), cost=50000)
        self._change(project, "approved", datetime(2026, 11, 7), datetime(2026, 12, 1), cost=9999)
        self._change(project, "draft", datetime(2026, 12, 1, 1))  # December's
        development, golive = project.milestone_ids.sorted("deadline")
        Rebaseline = self.env["lianghua.milestone.rebaseline"]
        Rebaseline.create(
            [
                {"milestone_id": development.id, "change_id": first.id,
                 "deadline_before": date(2027, 1, 1), "deadline_after": date(2027, 1, 11)},
                {"milestone_id": development.id, "change_id": second.id,
                 "deadline_before": date(2027, 1, 11), "deadline_after": date(2027, 1, 16)},
                {"milestone_id": golive.id, "change_id": second.id,
                 "deadline_before": date(2027, 2, 1), "deadline_after": date(2027, 2, 8)},
            ]
        )  # fmt: skip
        # Open: the draft and the one waiting (of the 5 recorded in November and not cancelled).
        self.assertEqual(self._measured("open_change_requests", project), (2.0, 5))
        # Approved in November: 19,800 + 6,600 of a 132,000 plan.
        self.assertEqual(self._measured("change_cost_impact", project), (20.0, 2))
        # The development milestone moved 10 + 5 days, the go-live 7: 15, in 3 moves.
        self.assertEqual(self._measured("change_schedule_impact", project), (15.0, 3))

    def test_sla_breach_rate_of_the_projects_systems(self):
        project = self.project_prod
        self.erp.project_id = project
        SlaLine = self.env["helpdesk.ticket.sla"]
        erp_lines = SlaLine.search([("ticket_id", "in", (self._ticket() | self._ticket()).ids)])
        self.assertGreaterEqual(len(erp_lines), 4)
        for day, (line, state) in enumerate(
            zip(
                erp_lines[:4],
                ("accomplished", "expired", "in_progress", "accomplished"),
                strict=True,
            ),
            start=5,
        ):
            self._set(line, state=state, deadline=datetime(2026, 11, day, 8))
        if erp_lines[4:]:
            self._set(erp_lines[4:], state="in_progress", deadline=datetime(2027, 1, 5))  # not due
        # The CRM's tickets are not the project's.
        crm_lines = SlaLine.search(
            [("ticket_id", "=", self._ticket(lianghua_system_id=self.crm.id).id)]
        )
        self._set(crm_lines, state="expired", deadline=datetime(2026, 11, 9))
        # Missed: the expired one and the one still running past its deadline, of 4.
        self.assertEqual(self._measured("sla_breach_rate", project), (50.0, 4))

    def test_open_security_defects_and_findings(self):
        project = self.project_sales
        Defect = self.env["lianghua.defect"]

        def defect(test_type, created, closed=None):
            record = Defect.create(
                {"name": f"{test_type} {created}", "project_id": project.id,
                 "test_type": test_type}
            )  # fmt: skip
            self._set(record, create_date=created, date_closed=closed)

        defect("security", datetime(2026, 11, 3))  # open
        defect("security", datetime(2026, 11, 4), closed=date(2026, 11, 20))  # closed in time
        defect("security", datetime(2026, 11, 5), closed=date(2026, 12, 1))  # open on the 30th
        defect("functional", datetime(2026, 11, 6))  # not security
        check = self.env["lianghua.quality.check"].create(
            {"project_id": project.id, "kind": "design_review"}
        )
        check.finding_ids = [
            Command.create({"name": "Passwords logged in clear", "lianghua_security": True}),
            Command.create({"name": "Labels misaligned"}),
        ]
        self._set(check.finding_ids, create_date=datetime(2026, 11, 10))
        self.assertEqual(self._measured("open_security_findings", project), (3.0, 4))

    def test_team_departures(self):
        project = self.project_sales
        Member = self.env["lianghua.project.member"]
        with self.at(datetime(2026, 11, 10, 9)):
            developer = Member.create(
                {"project_id": project.id, "user_id": self.it_manager.id, "role": "developer"}
            )
            contact = Member.create(
                {"project_id": project.id, "user_id": self.requester.id,
                 "role": "business_contact"}
            )  # fmt: skip
        with self.at(datetime(2026, 11, 20, 9)):
            developer.unlink()  # left
            contact.user_id = self.colleague  # replaced
            contact.responsibilities = "Key user"  # not a departure
        with self.at(datetime(2026, 12, 1, 9)):
            Member.search(
                [("project_id", "=", project.id), ("role", "=", "project_manager")]
            ).unlink()
        departures = self.env["lianghua.project.departure"].search(
            [("project_id", "=", project.id)]
        )
        self.assertEqual(
            sorted(departures.mapped(lambda d: (str(d.date), d.partner_id.name))),
            [
                ("2026-11-20", self.it_manager.name),
                ("2026-11-20", self.requester.name),
                ("2026-12-01", self.it_user.name),
            ],
        )
        # November: 2 left; the team (the replacement) is 1 and 2 left: 3.
        self.assertEqual(self._measured("team_departures", project), (2.0, 3))

    # The warnings

    def _run_cron(self, moment):
        self.slip.lianghua_warned_on = False
        with self.at(moment):
            self.Warning._cron_evaluate()
        self.env.invalidate_all()

    def test_a_warning_is_raised_once_escalated_and_closed(self):
        project = self.project_sales
        # Only the schedule slip watches in this test.
        (self.Indicator.search([("lianghua_early_warning", "=", True)]) - self.slip).write(
            {"lianghua_early_warning": False}
        )
        milestone = self._milestone(project, date(2026, 11, 20))
        self._milestone(self.project_prod, date(2026, 11, 25), reached=date(2026, 11, 24))

        self._run_cron(datetime(2026, 11, 27, 3))  # 7 days late: a warning
        self._run_cron(datetime(2026, 11, 28, 3))  # 8: the same warning
        warning = self.Warning.search([("project_id", "=", project.id)])
        self.assertRecordValues(
            warning,
            [{"level": "warning", "state": "open", "value": 7.0, "threshold": 5.0,
              "indicator_id": self.slip.id, "owner_id": self.it_user.id,
              "department_id": self.dept_sales.id}],
        )  # fmt: skip
        self.assertFalse(self.Warning.search([("project_id", "=", self.project_prod.id)]))
        risk = warning.risk_id
        self.assertRecordValues(
            risk,
            [{"source": "warning", "project_id": project.id, "category_id": self.cat_schedule.id,
              "probability_id": self.p[3].id, "impact_id": self.i[3].id,
              "level_id": self.high.id, "owner_id": self.it_user.id, "state": "identified"}],
        )  # fmt: skip
        todo = warning.activity_ids
        self.assertEqual(todo.user_id, self.it_user)
        self.assertIn("7.0", todo.summary)

        self._run_cron(datetime(2026, 12, 8, 3))  # 18 days late: the alarm
        self.assertEqual(self.Warning.search([("project_id", "=", project.id)]), warning)
        self.assertRecordValues(
            warning, [{"level": "alarm", "state": "open", "value": 18.0, "threshold": 15.0}]
        )
        self.assertTrue(warning.date_escalated)
        self.assertRecordValues(
            risk, [{"probability_id": self.p[5].id, "level_id": self.critical.id}]
        )
        self.assertIn("Alarm", warning.activity_ids.summary)
        with self.assertRaisesRegex(UserError, "open early warning"):
            risk.with_user(self.it_user).write({"close_reason": "Caught up."})
            risk.with_user(self.it_user).action_close()

        self._set(milestone, is_reached=True, reached_date=date(2026, 12, 9))
        self._run_cron(datetime(2026, 12, 10, 3))  # reached: back to 0
        self.assertRecordValues(warning, [{"state": "closed", "value": 0.0, "level": "alarm"}])
        self.assertTrue(warning.date_closed)
        self.assertFalse(warning.activity_ids)
        self.assertEqual(
            warning.reading_ids.sorted("date").mapped(lambda r: (r.event, r.value)),
            [("raised", 7.0), ("escalated", 18.0), ("closed", 0.0)],
        )
        self.assertEqual(risk.state, "identified", "the owner closes the risk")
        self.assertIn("back within its thresholds", risk.message_ids[0].body)

        # Late again: a new warning, linked to the same open risk, the old one kept.
        self._milestone(project, date(2026, 12, 1))
        self._run_cron(datetime(2026, 12, 11, 3))
        warnings = self.Warning.search([("project_id", "=", project.id)])
        self.assertEqual(len(warnings), 2)
        self.assertEqual((warnings - warning).risk_id, risk)

    def test_what_the_cron_writes_is_in_the_owners_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["lianghua_risk"], ["zh_CN"])
        self.it_user.lang = "zh_CN"
        (self.Indicator.search([("lianghua_early_warning", "=", True)]) - self.slip).write(
            {"lianghua_early_warning": False}
        )
        self._milestone(self.project_sales, date(2026, 11, 20))
        self._run_cron(datetime(2026, 11, 27, 3))
        warning = self.Warning.search([("project_id", "=", self.project_sales.id)])
        name = self.slip.with_context(lang="zh_CN").name
        self.assertNotEqual(name, "Schedule slip")
        self.assertEqual(warning.risk_id.title, f"{name} 超出阈值")
        self.assertIn(name, warning.activity_ids.summary)

    def test_a_system_warns_when_higher_is_better(self):
        """SLA attainment per system (higher is better) below its thresholds
        raises an alarm on the system, owned by its IT owner."""
        attainment = self.Indicator.create(
            {"name": "SLA attainment per system", "code": "T-SLA-SYS", "scope": "system",
             "computation": "sla_attainment", "direction": "higher", "unit": "%",
             "lianghua_early_warning": True, "lianghua_warning_threshold": 90,
             "lianghua_alarm_threshold": 80, "lianghua_risk_category_id": self.cat_security.id,
             "lianghua_warning_probability_id": self.p[3].id,
             "lianghua_alarm_probability_id": self.p[5].id,
             "lianghua_risk_impact_id": self.i[4].id}
        )  # fmt: skip
        self.env["lianghua.system"].search([]).write({"state": "live"})
        lines = self.env["helpdesk.ticket.sla"].search(
            [("ticket_id", "in", (self._ticket() | self._ticket()).ids)]
        )
        for day, (line, state) in enumerate(
            zip(
                lines[:4], ("accomplished", "expired", "accomplished", "accomplished"), strict=True
            ),
            start=5,
        ):
            self._set(line, state=state, deadline=datetime(2026, 11, day, 8))
        if lines[4:]:
            self._set(lines[4:], state="in_progress", deadline=datetime(2027, 1, 5))
        with self.at(datetime(2026, 11, 27, 3)):
            attainment._measure(NOVEMBER)
            self.Warning._evaluate(attainment, self.env.company, NOVEMBER)
        warning = self.Warning.search([("indicator_id", "=", attainment.id)])
        self.assertRecordValues(
            warning,
            [{"system_id": self.erp.id, "level": "alarm", "value": 75.0, "threshold": 80.0,
              "owner_id": self.it_user.id, "department_id": self.dept_production.id}],
        )  # fmt: skip
        self.assertRecordValues(
            warning.risk_id,
            [{"system_id": self.erp.id, "project_id": False, "probability_id": self.p[5].id,
              "level_id": self.critical.id, "category_id": self.cat_security.id}],
        )  # fmt: skip
        self.erp.invalidate_recordset()
        self.assertEqual(self.erp.lianghua_risk_count, 1)

    def test_the_cron_is_query_constant(self):
        (self.Indicator.search([("lianghua_early_warning", "=", True)]) - self.slip).write(
            {"lianghua_early_warning": False}
        )
        self._milestone(self.project_sales, date(2026, 11, 20))  # a warning
        self._milestone(self.project_prod, date(2026, 11, 10))  # an alarm
        queries, existing = {}, 2
        for size in (10, 100):
            projects = self._projects(size - existing, start=existing)
            existing = size
            self.env["project.milestone"].create(
                [{"name": "On time", "project_id": p.id, "deadline": date(2026, 12, 20)}
                 for p in projects]
            )  # fmt: skip
            self._run_cron(datetime(2026, 11, 27, 3))  # raises what crossed
            self.slip.lianghua_warned_on = False
            self.env.flush_all()
            self.env.invalidate_all()
            with self.at(datetime(2026, 11, 28, 3)):
                if size == 10:
                    before = self.env.cr.sql_log_count
                    self.Warning._cron_evaluate()
                    self.env.flush_all()
                    queries[size] = self.env.cr.sql_log_count - before
                else:
                    with self.assertQueryCount(queries[10]):
                        self.Warning._cron_evaluate()
                        self.env.flush_all()
        self.assertLess(queries[10], 40)
        open_warnings = self.Warning.search(
            [("state", "=", "open"), ("indicator_id", "=", self.slip.id)]
        )
        self.assertEqual(sorted(open_warnings.mapped("level")), ["alarm", "warning"])
        self.assertEqual(len(self.slip.value_ids.filtered(lambda v: v.date_start == NOVEMBER)), 100)

    # Bad input

    def test_thresholds_and_scopes_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "alarm threshold"):
            self.slip.lianghua_alarm_threshold = 2
        with self.assertRaisesRegex(ValidationError, "per project or per system"):
            self.env["lianghua.indicator"].create(
                {"name": "Evaluated on time", "code": "T-EVAL", "scope": "company",
                 "computation": "requests_evaluated_on_time", "parameter": 5,
                 "lianghua_early_warning": True, "lianghua_warning_threshold": 1,
                 "lianghua_alarm_threshold": 2,
                 "lianghua_risk_category_id": self.cat_schedule.id,
                 "lianghua_warning_probability_id": self.p[3].id,
                 "lianghua_alarm_probability_id": self.p[4].id,
                 "lianghua_risk_impact_id": self.i[3].id}
            )  # fmt: skip
        with self.assertRaisesRegex(ValidationError, "needs the category"):
            self.env.ref("lianghua_risk.indicator_open_changes").lianghua_risk_category_id = False

    def test_warnings_are_not_typed_in(self):
        Warning = self.Warning.with_user(self.it_manager)
        with self.assertRaisesRegex(UserError, "not by hand"):
            Warning.create(
                {"indicator_id": self.slip.id, "company_id": self.env.company.id,
                 "res_id": self.project_sales.id, "project_id": self.project_sales.id,
                 "level": "alarm"}
            )  # fmt: skip
        self._milestone(self.project_sales, date(2026, 11, 1))
        self._run_cron(datetime(2026, 11, 27, 3))
        warning = self.Warning.search([("project_id", "=", self.project_sales.id)])
        self.assertTrue(warning)
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            warning.with_user(self.it_manager).state = "closed"
        with self.assertRaises(AccessError):
            warning.with_user(self.it_manager).unlink()
