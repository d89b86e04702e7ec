from datetime import date, datetime
from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, warmup
from odoo.tools import SQL, mute_logger

from .common import LianghuaOperationsCommon

NOVEMBER = date(2026, 11, 1)
# Early on 2 December 2026, Shanghai time: November has ended.
NOW = datetime(2026, 12, 2, 1, 0)


@tagged("post_install", "-at_install")
class TestIndicators(LianghuaOperationsCommon):
    """Each computation against figures worked out by hand, on records dated
    around the month's boundaries in Shanghai (UTC+8): a ticket closed at
    17:00 UTC on 30 November was closed on 1 December there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.Indicator = cls.env["lianghua.indicator"]
        cls.team_2 = cls.env["helpdesk.ticket.team"].create({"name": "Network desk"})
        cls.env["lianghua.system"].search([]).write({"state": "live"})
        cls._set(cls.crm | cls.erp, date_go_live=date(2026, 1, 1))

    # Helpers

    def _indicator(self, computation, scope, **vals):
        return self.Indicator.create(
            {
                "name": f"{computation} per {scope}",
                "code": f"T-{computation}-{scope}",
                "scope": scope,
                "computation": computation,
                "has_target": True,
                "target": 50,
                **vals,
            }
        )

    def _measured(self, indicator, day=NOVEMBER):
        """{scope record id: (value, sample size, status)} of the period of ``day``."""
        with self.at(NOW):
            indicator._measure(day)
        start = indicator._period_start(day)
        return {
            value.res_id: (round(value.value, 2), value.sample_size, value.status)
            for value in indicator.value_ids
            if value.date_start == start
        }

    def _cron_until_done(self):
        """The cron as Odoo runs it: batch after batch while it notifies that
        indicators remain (every addon installed adds its own)."""
        domain = [
            ("computation", "!=", False),
            "|",
            ("measured_on", "=", False),
            ("measured_on", "<", fields.Date.context_today(self.Indicator)),
        ]
        for __ in range(10):
            self.Indicator._cron_measure()
            if not self.Indicator.search_count(domain):
                return
        self.fail("the indicator cron does not finish")

    def _closed_ticket(self, opened, closed, **vals):
        ticket = self._ticket(**vals)
        self._set(ticket, create_date=opened, closed_date=closed, stage_id=self.stage_done.id)
        return ticket

    # Computations

    def test_mean_time_to_resolve_per_team_in_local_months(self):
        self._closed_ticket(datetime(2026, 11, 2, 1), datetime(2026, 11, 2, 5))  # 4 h
        self._closed_ticket(datetime(2026, 11, 10, 0), datetime(2026, 11, 10, 10))  # 10 h
        # 16:30 UTC on 31 October is half past midnight on 1 November in Shanghai.
        self._closed_ticket(datetime(2026, 10, 31, 15), datetime(2026, 10, 31, 16, 30))  # 1.5 h
        # 17:00 UTC on 30 November is 1 December in Shanghai: not November's.
        self._closed_ticket(datetime(2026, 11, 30, 10), datetime(2026, 11, 30, 17))
        indicator = self._indicator("resolution_hours", "team", direction="lower", target=8)
        values = self._measured(indicator)
        self.assertEqual(values[self.team.id], (5.17, 3, "on_target"))
        # A team with no ticket closed reads "no data", not 0 hours.
        self.assertEqual(values[self.team_2.id], (0.0, 0, "no_data"))

    def test_sla_attainment_per_team_and_system(self):
        erp = self._ticket() | self._ticket()
        crm = self._ticket(lianghua_system_id=self.crm.id) | self._ticket(
            lianghua_system_id=self.crm.id
        )
        self._set(
            (erp | crm).ticket_sla_ids, deadline=datetime(2026, 10, 20)
        )  # October's, left out
        met, missed, running, december = (ticket.ticket_sla_ids[:1] for ticket in erp | crm)
        self._set(met, deadline=datetime(2026, 11, 5), state="accomplished")
        self._set(missed, deadline=datetime(2026, 11, 6), state="expired")
        # Still running past its deadline: missed.
        self._set(running, deadline=datetime(2026, 11, 30, 15), state="in_progress")
        # 16:30 UTC on 30 November: due on 1 December in Shanghai.
        self._set(december, deadline=datetime(2026, 11, 30, 16, 30), state="accomplished")
        values = self._measured(self._indicator("sla_attainment", "team"))
        self.assertEqual(values[self.team.id], (33.33, 3, "off_target"))
        self.assertEqual(values[self.team_2.id][1:], (0, "no_data"))
        by_system = self._measured(self._indicator("sla_attainment", "system"))
        self.assertEqual(by_system[self.erp.id], (50.0, 2, "on_target"))
        self.assertEqual(by_system[self.crm.id], (0.0, 1, "off_target"))

    def test_satisfaction_per_team_and_system(self):
        tickets = self._ticket() | self._ticket() | self._ticket(lianghua_system_id=self.crm.id)
        Rating = self.env["rating.rating"]
        model = self.env["ir.model"]._get_id("helpdesk.ticket")
        ratings = Rating.create(
            [
                {"res_model_id": model, "res_id": ticket.id, "rating": score, "consumed": True}
                for ticket, score in zip(tickets, (5, 2, 4), strict=True)
            ]
        )
        late = Rating.create(
            {"res_model_id": model, "res_id": tickets[0].id, "rating": 1, "consumed": True}
        )
        unanswered = Rating.create({"res_model_id": model, "res_id": tickets[1].id})
        self._set(ratings | unanswered, write_date=datetime(2026, 11, 15))
        self._set(late, write_date=datetime(2026, 11, 30, 16, 5))  # 1 December in Shanghai
        self.assertEqual(
            self._measured(self._indicator("satisfaction", "team"))[self.team.id],
            (3.67, 3, "off_target"),
        )
        by_system = self._measured(self._indicator("satisfaction", "system"))
        self.assertEqual(by_system[self.erp.id][:2], (3.5, 2))
        self.assertEqual(by_system[self.crm.id][:2], (4.0, 1))

    def test_system_availability_in_local_months(self):
        incident = self._ticket(lianghua_system_id=self.crm.id, lianghua_kind="incident")
        # 7 h 12 min down in November (Shanghai): 720 h in service, 99 %.
        self._set(
            incident,
            lianghua_down_start=datetime(2026, 11, 10, 0),
            lianghua_down_end=datetime(2026, 11, 10, 7, 12),
        )
        values = self._measured(self._indicator("system_availability", "system", target=99.5))
        self.assertEqual(values[self.crm.id], (99.0, 720, "off_target"))
        self.assertEqual(values[self.erp.id], (100.0, 720, "on_target"))

    def _projects(self, count):
        """Projects carrying requests of Sales (the first) and Production."""
        Project = self.env["project.project"]
        projects = Project
        for index in range(count):
            request = self._create_request(self.requester if index == 0 else self.requester_prod)
            projects |= Project.create(
                {"name": f"Project {index}", "lianghua_request_id": request.id,
                 "company_id": self.env.company.id}
            )  # fmt: skip
        return projects

    def test_first_pass_acceptance_per_project_and_department(self):
        sales, production, late = self._projects(3)
        Acceptance = self.env["lianghua.acceptance"]

        def concluded(project, state, when, round_=1):
            acceptance = Acceptance.create({"project_id": project.id})
            self._set(acceptance, state=state, date_concluded=when, round=round_)
            return acceptance

        concluded(sales, "passed", datetime(2026, 11, 3))
        concluded(production, "failed", datetime(2026, 11, 20))
        concluded(production, "passed", datetime(2026, 11, 25), round_=2)  # not a first pass
        concluded(late, "passed", datetime(2026, 12, 31, 17))  # 1 January in Shanghai
        quarter = date(2026, 10, 1)
        by_project = self._measured(
            self._indicator("first_pass_acceptance", "project", period="quarter"), quarter
        )
        self.assertEqual(by_project[sales.id][:2], (100.0, 1))
        self.assertEqual(by_project[production.id][:2], (0.0, 1))
        self.assertEqual(by_project[late.id][1:], (0, "no_data"))
        by_department = self._measured(
            self._indicator("first_pass_acceptance", "department", period="quarter"), quarter
        )
        self.assertEqual(by_department[self.dept_sales.id][:2], (100.0, 1))
        self.assertEqual(by_department[self.dept_production.id][:2], (0.0, 1))

    def test_milestones_on_time(self):
        project = self._projects(1)
        Milestone = self.env["project.milestone"]

        def milestone(deadline, reached=None):
            record = Milestone.create(
                {"name": f"Due {deadline}", "project_id": project.id, "deadline": deadline}
            )
            if reached:
                self._set(record, is_reached=True, reached_date=reached)
            return record

        milestone(date(2026, 11, 10), reached=date(2026, 11, 9))  # on time
        milestone(date(2026, 11, 20), reached=date(2026, 11, 22))  # late
        milestone(date(2026, 11, 25))  # not reached, its deadline passed: late
        milestone(date(2026, 11, 30), reached=date(2026, 11, 30))  # on time
        milestone(date(2026, 12, 15))  # December's
        values = self._measured(self._indicator("milestones_on_time", "project"))
        self.assertEqual(values[project.id], (50.0, 4, "on_target"))

    def test_open_critical_defects_at_the_end_of_the_month(self):
        project = self._projects(1)
        Defect = self.env["lianghua.defect"]

        def defect(severity, created, closed=None):
            record = Defect.create(
                {"name": f"{severity} {created}", "project_id": project.id, "severity": severity}
            )
            self._set(record, create_date=created, date_closed=closed)
            return record

        defect("critical", datetime(2026, 11, 5))  # open
        defect("critical", datetime(2026, 11, 6), closed=date(2026, 11, 20))  # closed in time
        defect("critical", datetime(2026, 11, 7), closed=date(2026, 12, 1))  # open on the 30th
        defect("major", datetime(2026, 11, 8))
        defect("critical", datetime(2026, 11, 30, 17))  # recorded on 1 December in Shanghai
        values = self._measured(
            self._indicator("open_critical_defects", "project", direction="lower", target=0)
        )
        self.assertEqual(values[project.id], (2.0, 4, "off_target"))

    def test_requests_evaluated_within_the_lead_time(self):
        def evaluated(department, submitted, concluded):
            request = self._create_request(requesters[department])
            request.action_submit()
            evaluation = self.env["lianghua.evaluation"].create({"request_id": request.id})
            self._set(request, date_submitted=submitted)
            self._set(evaluation, date_concluded=concluded)

        requesters = {self.dept_sales: self.requester, self.dept_production: self.requester_prod}

        evaluated(self.dept_sales, datetime(2026, 11, 1), datetime(2026, 11, 4))  # 3 days
        evaluated(self.dept_sales, datetime(2026, 11, 1), datetime(2026, 11, 10))  # 9 days
        evaluated(self.dept_sales, datetime(2026, 10, 28), datetime(2026, 11, 2))  # 5 days
        evaluated(self.dept_sales, datetime(2026, 11, 28), datetime(2026, 11, 30, 16, 30))
        indicator = self._indicator(
            "requests_evaluated_on_time", "department", parameter=5, target=90
        )
        values = self._measured(indicator)
        self.assertEqual(values[self.dept_sales.id], (66.67, 3, "off_target"))
        self.assertEqual(values[self.dept_production.id][1:], (0, "no_data"))

    # Engine

    def test_a_computation_only_measures_its_scopes(self):
        with self.assertRaisesRegex(ValidationError, "measured per"):
            self._indicator("resolution_hours", "project")

    def test_values_are_one_per_indicator_scope_and_period(self):
        indicator = self._indicator("resolution_hours", "team")
        self._measured(indicator)
        self._measured(indicator)
        self.assertEqual(len(indicator.value_ids), 2)  # two teams, one month
        value = indicator.value_ids[:1]
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    "INSERT INTO lianghua_indicator_value (indicator_id, company_id, res_id,"
                    " date_start) VALUES (%s, %s, %s, %s)",
                    indicator.id,
                    value.company_id.id,
                    value.res_id,
                    value.date_start,
                )
            )

    def test_closed_periods_stay_as_measured(self):
        indicator = self._indicator("resolution_hours", "team")
        self._closed_ticket(datetime(2026, 11, 2, 1), datetime(2026, 11, 2, 5))
        values = self._measured(indicator)
        self.assertEqual(values[self.team.id][:2], (4.0, 1))
        value = indicator.value_ids.filtered(lambda v: v.res_id == self.team.id)
        self.assertTrue(value.closed)
        self._closed_ticket(datetime(2026, 11, 3, 1), datetime(2026, 11, 3, 9))
        self.assertEqual(self._measured(indicator)[self.team.id][:2], (4.0, 1))
        with self.at(NOW):
            value.with_user(self.it_manager).action_recompute()
        self.assertEqual(value.value, 6.0)

    @warmup
    def test_measuring_is_query_constant(self):
        System = self.env["lianghua.system"]
        indicator = self._indicator("system_availability", "system")
        counts = []
        for size in (10, 100):
            System.create(
                [
                    {"name": f"App {size}-{i}", "code": f"A{size}-{i}", "state": "live",
                     "department_id": self.dept_sales.id, "it_owner_id": self.it_user.id,
                     "category_id": self.crm.category_id.id}
                    for i in range(size - len(System.search([])))
                ]
            )  # fmt: skip
            self.env.flush_all()
            self.env.invalidate_all()
            with self.at(NOW), self.assertQueryCount(10):
                indicator._measure(NOVEMBER)
            counts.append(len(indicator.value_ids))
        self.assertEqual(counts, [10, 100])

    def test_cron_reruns_without_duplicates(self):
        self._closed_ticket(datetime(2026, 11, 2, 1), datetime(2026, 11, 2, 5))
        indicators = self.Indicator.search([("computation", "!=", False)])
        with self.at(NOW):
            # Interrupted after its first batch.
            self.Indicator._cron_measure(batch_size=2)
            self.assertEqual(len(indicators.filtered("measured_on")), 2)
            self._cron_until_done()
            first = indicators.value_ids.read(["value", "sample_size"])
            # Run again, as if the days it noted had been lost.
            self._set(indicators, measured_on=None)
            self._cron_until_done()
        self.env.cr.execute(
            """
            SELECT indicator_id, company_id, res_id, date_start FROM lianghua_indicator_value
             GROUP BY indicator_id, company_id, res_id, date_start HAVING count(*) > 1
            """
        )
        self.assertFalse(self.env.cr.fetchall())
        self.assertEqual(indicators.value_ids.read(["value", "sample_size"]), first)
        # Both November (closed) and December (open) are measured.
        months = set(indicators.value_ids.mapped("date_start"))
        self.assertEqual(months & {NOVEMBER, date(2026, 12, 1)}, {NOVEMBER, date(2026, 12, 1)})

    def test_cron_survives_an_indicator_that_fails(self):
        broken = self._indicator("resolution_hours", "team", code="BROKEN")
        others = self.Indicator.search([("computation", "!=", False), ("id", "!=", broken.id)])
        original = type(self.Indicator)._measure_resolution_hours

        def fail_once(indicator, scopes, period):
            if indicator.code == "BROKEN":
                raise ValueError("broken")
            return original(indicator, scopes, period)

        with (
            self.at(NOW),
            patch.object(type(self.Indicator), "_measure_resolution_hours", fail_once),
            mute_logger("odoo.addons.lianghua_service.models.indicator"),
        ):
            self._cron_until_done()
        self.assertFalse(broken.value_ids)
        self.assertEqual(set(others.mapped("measured_on")), {NOW.date()})
        self.assertTrue(self.env.ref("lianghua_service.indicator_resolution_hours").value_ids)

    # Manual indicators

    def test_manual_values_are_entered_by_their_owner_with_evidence(self):
        indicator = self.Indicator.create(
            {"name": "Training hours", "code": "TRAIN", "scope": "department",
             "owner_id": self.dept_manager.id, "unit": "h"}
        )  # fmt: skip
        Value = self.env["lianghua.indicator.value"]
        vals = {
            "indicator_id": indicator.id,
            "department_id": self.dept_sales.id,
            "date_start": date(2026, 11, 17),
            "value": 12,
        }
        with self.assertRaisesRegex(ValidationError, "evidence"):
            Value.with_user(self.dept_manager).create(vals)
        with self.assertRaises(AccessError):
            Value.with_user(self.requester).create({**vals, "comment": "Sign-in sheets"})
        value = Value.with_user(self.dept_manager).create({**vals, "comment": "Sign-in sheets"})
        self.assertRecordValues(
            value,
            [{"date_start": NOVEMBER, "date_end": date(2026, 11, 30), "status": "no_target",
              "scope_name": "Sales", "res_id": self.dept_sales.id}],
        )  # fmt: skip
        computed = self._indicator("resolution_hours", "team")
        with self.assertRaisesRegex(UserError, "computed from the records"):
            Value.with_user(self.it_manager).create(
                {"indicator_id": computed.id, "team_id": self.team.id,
                 "date_start": NOVEMBER, "comment": "By hand"}
            )  # fmt: skip

    # Rights

    def test_department_managers_see_their_department_and_systems(self):
        self._measured(self._indicator("sla_attainment", "system"))
        self._measured(self._indicator("first_pass_acceptance", "department"))
        Value = self.env["lianghua.indicator.value"]
        seen = Value.with_user(self.dept_manager).search([])
        self.assertIn(self.crm, seen.system_id)
        self.assertNotIn(self.erp, seen.system_id)
        self.assertEqual(set(seen.department_id.ids), {self.dept_sales.id})
        self.assertFalse(Value.with_user(self.dept_manager_prod).search([]).system_id & self.crm)
        with self.assertRaises(AccessError):
            Value.with_user(self.dept_manager).browse(
                Value.search([("system_id", "=", self.erp.id)]).ids
            ).read(["value"])
        self.assertEqual(Value.with_user(self.auditor).search_count([]), Value.search_count([]))
        with self.assertRaises(AccessError):
            self.Indicator.with_user(self.it_user).create({"name": "X", "code": "X"})
        with self.assertRaises(AccessError):
            self.Indicator.search([], limit=1).with_user(self.dept_manager).action_measure_now()

    # What the review found

    def test_recomputing_stays_in_the_users_companies(self):
        company_b = self.env["res.company"].create({"name": "Lianghua Subsidiary"})
        company_b.resource_calendar_id.tz = "Asia/Shanghai"
        team_b = self.env["helpdesk.ticket.team"].create(
            {"name": "Subsidiary desk", "company_id": company_b.id}
        )
        indicator = self._indicator("resolution_hours", "team")
        self._closed_ticket(datetime(2026, 11, 2, 1), datetime(2026, 11, 2, 5))
        self._closed_ticket(
            datetime(2026, 11, 2, 1), datetime(2026, 11, 2, 3), team_id=team_b.id,
            company_id=company_b.id, user_id=False, partner_id=False, lianghua_system_id=False,
        )  # fmt: skip
        self._measured(indicator)
        self._closed_ticket(
            datetime(2026, 11, 3, 1), datetime(2026, 11, 3, 9), team_id=team_b.id,
            company_id=company_b.id, user_id=False, partner_id=False, lianghua_system_id=False,
        )  # fmt: skip
        ours = indicator.value_ids.filtered(lambda v: v.team_id == self.team)
        with self.at(NOW):
            ours.with_user(self.it_manager).action_recompute()
            indicator.with_user(self.it_manager).action_measure_now()
        theirs = indicator.value_ids.filtered(lambda v: v.team_id == team_b)
        self.assertRecordValues(theirs, [{"value": 2.0, "sample_size": 1, "closed": True}])

    def test_a_period_closes_at_midnight_in_the_company(self):
        self.env.company.resource_calendar_id.tz = "America/New_York"
        indicator = self._indicator("resolution_hours", "team")
        self._closed_ticket(datetime(2026, 11, 2, 15), datetime(2026, 11, 2, 17))
        # 22:00 on 30 November in New York.
        self._closed_ticket(datetime(2026, 12, 1, 1), datetime(2026, 12, 1, 3))
        with self.at(datetime(2026, 12, 1, 2)):  # 21:00 on 30 November there
            self._cron_until_done()
        november = indicator.value_ids.filtered(
            lambda v: v.team_id == self.team and v.date_start == NOVEMBER
        )
        self.assertFalse(november.closed, "still 30 November in New York")
        with self.at(datetime(2026, 12, 2, 2)):
            self._cron_until_done()
        self.assertRecordValues(november, [{"value": 2.0, "sample_size": 2, "closed": True}])

    def test_manual_values_keep_their_evidence_and_bookkeeping(self):
        indicator = self.Indicator.create(
            {"name": "Training hours", "code": "TRAIN", "scope": "department",
             "owner_id": self.dept_manager.id}
        )  # fmt: skip
        Value = self.env["lianghua.indicator.value"].with_user(self.dept_manager)
        vals = {"indicator_id": indicator.id, "department_id": self.dept_sales.id, "value": 3}
        with self.assertRaisesRegex(ValidationError, "needs a day of its period"):
            Value.create({**vals, "comment": "Sheets"})
        with self.assertRaisesRegex(ValidationError, "needs a day of its period"):
            Value.create({**vals, "comment": "Sheets", "date_start": "2026-13-45"})
        value = Value.create(
            {**vals, "comment": "Sheets", "date_start": "2026-11-05", "scope_name": "Fake",
             "sample_size": 5, "closed": True}
        )  # fmt: skip
        self.assertRecordValues(value, [{"scope_name": "Sales", "sample_size": 0, "closed": False}])
        with self.assertRaisesRegex(ValidationError, "evidence"):
            value.write({"comment": False})
        for field, new in (("scope_name", "Fake"), ("date_end", "2030-01-01"), ("sample_size", 5)):
            with self.assertRaisesRegex(UserError, "Enter a new value"):
                value.write({field: new})

    def test_availability_counts_from_the_local_go_live_day(self):
        self._set(self.crm, date_go_live=date(2026, 11, 16))
        values = self._measured(self._indicator("system_availability", "system"))
        self.assertEqual(values[self.crm.id][:2], (100.0, 360))

    def test_what_an_indicator_measures_stays_once_it_has_values(self):
        indicator = self._indicator("resolution_hours", "team")
        indicator.period = "quarter"  # no values yet
        self._measured(indicator)
        for field, new in (("scope", "system"), ("period", "month"), ("computation", False)):
            with self.assertRaisesRegex(UserError, "Archive it"):
                indicator.with_user(self.it_manager).write({field: new})
        indicator.with_user(self.it_manager).write({"target": 12, "name": "MTTR"})
        with self.assertRaisesRegex(ValidationError, "once per company"):
            self.Indicator.create({"name": "Again", "code": indicator.code, "scope": "team"})

    def test_a_period_closes_when_its_scopes_are_gone(self):
        indicator = self._indicator("resolution_hours", "team")
        with self.at(datetime(2026, 11, 20)):
            indicator._measure(NOVEMBER)
        self.assertEqual(set(indicator.value_ids.mapped("closed")), {False})
        self.env["helpdesk.ticket.team"].search([]).action_archive()
        self._measured(indicator)
        self.assertEqual(set(indicator.value_ids.mapped("closed")), {True})
        self.assertTrue(indicator._is_closed(NOVEMBER, self.env.company))
