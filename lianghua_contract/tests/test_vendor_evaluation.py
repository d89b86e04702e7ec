from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.lianghua_service.tests.common import LianghuaOperationsCommon

from .common import LianghuaContractCommon

Q3 = date(2026, 7, 1)
# Early on 2 October 2026, Shanghai time: the third quarter has ended.
NOW = datetime(2026, 10, 2, 1, 0)


@tagged("post_install", "-at_install")
class TestVendorEvaluation(LianghuaContractCommon, LianghuaOperationsCommon):
    """A vendor's third quarter of 2026, seeded record by record, against the
    figures worked out by hand (in the company's time zone, Shanghai).

    Tickets of the vendor: T1 (ERP, a system of its contract in force), T2
    (CRM, a system it supplies), T3 (filed under its contract), T4 (handled by
    its engineer), T6 (ERP and filed under its contract: counted once); T5
    (MES, whose contract with the vendor ended in June) is not its.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.env["lianghua.system"].search([]).write({"state": "live"})
        cls.mes = cls.env["lianghua.system"].create(
            {"name": "MES", "code": "MES", "department_id": cls.dept_production.id,
             "it_owner_id": cls.it_user.id, "state": "live",
             "category_id": cls.env.ref("lianghua_service.system_category_erp").id}
        )  # fmt: skip
        cls.crm.vendor_id = cls.vendor
        cls.engineer = new_test_user(
            cls.env,
            login="lh_vendor_engineer",
            name="Vendor Engineer",
            email="engineer@example.com",
            groups="base.group_user,lianghua_service.group_lianghua_it_user",
        )
        cls.engineer.partner_id.parent_id = cls.vendor
        # The suite's helpers are methods of a test: one runs the seeding.
        cls.seeder = cls("test_rights")
        cls.projects = cls._make_projects(3)
        cls.p1, cls.p2, cls.p3 = cls.projects
        cls.contract = cls._signed_contract_cls(
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            lianghua_system_ids=[Command.set(cls.erp.ids)],
            lianghua_project_id=cls.p1.id,
            lianghua_department_id=cls.dept_sales.id,
        )
        # Its contract on MES ended in June: MES's tickets of the quarter are not its.
        cls.contract_2 = cls._signed_contract_cls(
            name="MES support",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 6, 30),
            lianghua_system_ids=[Command.set(cls.mes.ids)],
            lianghua_project_id=cls.p2.id,
        )
        cls.other_contract = cls._signed_contract_cls(
            partner_id=cls.other_vendor.id,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            lianghua_project_id=cls.p3.id,
        )
        cls._seed_tickets()
        cls._seed_projects()
        cls.Evaluation = cls.env["lianghua.vendor.evaluation"]

    # Seeding

    @classmethod
    def _signed_contract_cls(cls, **vals):
        return cls.seeder._signed_contract(**vals)

    @classmethod
    def _make_projects(cls, count):
        Project = cls.env["project.project"]
        projects = Project
        for index in range(count):
            request = cls.seeder._create_request()
            projects |= Project.create(
                {"name": f"Vendor project {index}", "lianghua_request_id": request.id,
                 "company_id": cls.env.company.id}
            )  # fmt: skip
        return projects

    @classmethod
    def _seed_tickets(cls):
        ticket = cls.seeder._ticket
        t1 = ticket()
        t2 = ticket(lianghua_system_id=cls.crm.id)
        t3 = ticket(lianghua_system_id=cls.mes.id, agreement_id=cls.contract.id)
        t4 = ticket(lianghua_system_id=cls.mes.id, user_id=cls.engineer.id)
        t5 = ticket(lianghua_system_id=cls.mes.id)
        t6 = ticket(agreement_id=cls.contract.id)
        t7 = ticket()
        tickets = t1 | t2 | t3 | t4 | t5 | t6 | t7
        # Every SLA target due in June: not the quarter's...
        cls._set(tickets.ticket_sla_ids, deadline=datetime(2026, 6, 20), state="accomplished")
        # ... but one per ticket.
        first = {t: t.ticket_sla_ids.sorted("id")[:1] for t in tickets}
        cls._set(first[t1], deadline=datetime(2026, 8, 5), state="accomplished")  # met
        cls._set(first[t2], deadline=datetime(2026, 8, 6), state="expired")  # missed
        cls._set(first[t3], deadline=datetime(2026, 9, 10), state="accomplished")  # met
        # Still running past its deadline: missed.
        cls._set(first[t4], deadline=datetime(2026, 9, 20), state="in_progress")
        cls._set(first[t5], deadline=datetime(2026, 9, 1), state="accomplished")  # not its
        cls._set(first[t6], deadline=datetime(2026, 7, 15), state="accomplished")  # met
        # 16:30 UTC on 30 September is 1 October in Shanghai: the next quarter's.
        cls._set(first[t7], deadline=datetime(2026, 9, 30, 16, 30), state="expired")
        Rating = cls.env["rating.rating"]
        model = cls.env["ir.model"]._get_id("helpdesk.ticket")

        def rating(ticket_, score, when):
            record = Rating.create(
                {"res_model_id": model, "res_id": ticket_.id, "rating": score, "consumed": True}
            )
            cls._set(record, write_date=when)

        rating(t1, 5, datetime(2026, 8, 10))
        rating(t2, 4, datetime(2026, 8, 11))
        rating(t3, 2, datetime(2026, 9, 2))
        rating(t5, 1, datetime(2026, 9, 3))  # not its ticket
        rating(t4, 1, datetime(2026, 10, 5))  # the next quarter's
        cls.tickets = tickets

    @classmethod
    def _seed_projects(cls):
        p1, p2, p3 = cls.projects
        Acceptance = cls.env["lianghua.acceptance"]

        def concluded(project, state, when, round_=1):
            acceptance = Acceptance.create({"project_id": project.id})
            cls._set(acceptance, state=state, date_concluded=when, round=round_)

        concluded(p1, "passed", datetime(2026, 8, 3))
        concluded(p2, "failed", datetime(2026, 8, 20))
        concluded(p2, "passed", datetime(2026, 9, 1), round_=2)  # not a first pass
        concluded(p3, "failed", datetime(2026, 8, 21))  # the other vendor's
        Milestone = cls.env["project.milestone"]

        def milestone(project, deadline, reached=None):
            record = Milestone.create(
                {"name": f"Due {deadline}", "project_id": project.id, "deadline": deadline}
            )
            if reached:
                cls._set(record, is_reached=True, reached_date=reached)

        milestone(p1, date(2026, 7, 10), reached=date(2026, 7, 9))  # on time
        milestone(p1, date(2026, 8, 10), reached=date(2026, 8, 12))  # late
        milestone(p2, date(2026, 9, 15))  # not reached, deadline passed: late
        milestone(p2, date(2026, 10, 15))  # the next quarter's
        milestone(p3, date(2026, 8, 1), reached=date(2026, 8, 1))  # the other vendor's
        Check = cls.env["lianghua.quality.check"]
        live = Check.create({"project_id": p1.id, "kind": "go_live"})
        cls._set(live, state="done", date=date(2026, 8, 1))
        draft = Check.create({"project_id": p2.id, "kind": "go_live"})  # not done: not live
        cls._set(draft, date=date(2026, 7, 1))
        other = Check.create({"project_id": p3.id, "kind": "go_live"})
        cls._set(other, state="done", date=date(2026, 7, 1))
        Defect = cls.env["lianghua.defect"]

        def defect(project, created):
            record = Defect.create({"name": f"Defect {created}", "project_id": project.id})
            cls._set(record, create_date=created)

        defect(p1, datetime(2026, 7, 20))  # before its go-live
        # 17:00 UTC on 31 July is 1 August in Shanghai: the go-live day.
        defect(p1, datetime(2026, 7, 31, 17))
        defect(p1, datetime(2026, 9, 29))
        defect(p1, datetime(2026, 10, 5))  # the next quarter's
        defect(p2, datetime(2026, 8, 10))  # not live
        defect(p3, datetime(2026, 8, 10))  # the other vendor's

    # Helpers

    def _evaluation(self, user=None, **vals):
        return self.Evaluation.with_user(user or self.it_user).create(
            {"partner_id": self.vendor.id, "date_start": Q3, **vals}
        )

    def _computed(self, **vals):
        with self.at(NOW):
            evaluation = self._evaluation(**vals)
            evaluation.action_compute()
        return evaluation

    def _lines(self, evaluation):
        return {
            line.indicator_id.computation: (
                round(line.value, 2),
                line.sample_size,
                round(line.score, 2),
                line.counted,
            )
            for line in evaluation.indicator_line_ids
        }

    # Tests

    def test_indicators_measured_from_the_vendors_records(self):
        evaluation = self._computed(agreement_id=self.contract.id)
        self.assertEqual(evaluation.period_name, "2026 Q3")
        self.assertEqual(evaluation.date_end, date(2026, 9, 30))
        self.assertEqual(
            self._lines(evaluation),
            {
                # T1, T3, T6 met; T2, T4 missed: 3 / 5.
                "vendor_sla_attainment": (60.0, 5, 60.0, True),
                # P1 passed at round 1, P2 failed at round 1: 1 / 2.
                "vendor_first_pass_acceptance": (50.0, 2, 50.0, True),
                # P1 on time and late, P2 not reached: 1 / 3.
                "vendor_milestones_on_time": (33.33, 3, 33.33, True),
                # P1 live from 1 August: 2 defects since; 100 - 2 x 20.
                "vendor_defects_after_go_live": (2.0, 1, 60.0, True),
                # (5 + 4 + 2) / 3 ratings; x 20.
                "vendor_satisfaction": (3.67, 3, 73.33, True),
            },
        )
        # Through the engine: the vendor's values of the quarter, closed.
        values = self.env["lianghua.indicator.value"].search(
            [("partner_id", "=", self.vendor.id), ("date_start", "=", Q3)]
        )
        self.assertEqual(len(values), 5)
        self.assertTrue(all(values.mapped("closed")))
        self.assertEqual(evaluation.indicator_line_ids.value_id, values)
        # The other vendor: its own projects only, no ticket.
        other = self._computed(partner_id=self.other_vendor.id)
        self.assertEqual(
            self._lines(other),
            {
                "vendor_sla_attainment": (0.0, 0, 0.0, False),
                "vendor_first_pass_acceptance": (0.0, 1, 0.0, True),
                "vendor_milestones_on_time": (100.0, 1, 100.0, True),
                "vendor_defects_after_go_live": (1.0, 1, 80.0, True),
                "vendor_satisfaction": (0.0, 0, 0.0, False),
            },
        )
        self.assertAlmostEqual(other.score, 60.0, places=2)  # (0 + 100 + 80) / 3

    def test_weighted_total_and_done(self):
        evaluation = self._computed(
            agreement_id=self.contract.id,
            review_line_ids=[
                Command.create({"name": "Cooperation", "weight": 2}),
                Command.create({"name": "Documentation", "weight": 1}),
            ],
        )
        sla = evaluation.indicator_line_ids.filtered(
            lambda line: line.indicator_id.computation == "vendor_sla_attainment"
        )
        sla.weight = 2
        cooperation, documentation = evaluation.review_line_ids
        with self.assertRaisesRegex(ValidationError, "Cooperation, Documentation"):
            evaluation.with_user(self.it_manager).action_done()
        cooperation.score = 80
        documentation.with_user(self.it_manager).score = 90
        self.assertEqual(cooperation.reviewer_id, self.it_user)
        self.assertEqual(documentation.reviewer_id, self.it_manager)
        # The line scores are kept to two decimals, as shown:
        # (2 x 60 + 50 + 33.33 + 60 + 73.33 + 2 x 80 + 90) / 9 = 586.66 / 9 = 65.18
        self.assertEqual(evaluation.score, 65.18)
        with self.at(NOW):
            evaluation.with_user(self.it_manager).action_done()
        self.assertRecordValues(evaluation, [{"state": "done", "score": 65.18}])
        # Kept as it is.
        with self.assertRaisesRegex(UserError, "done"):
            evaluation.summary = "Changed afterwards."
        with self.assertRaisesRegex(UserError, "done"):
            cooperation.score = 100
        with self.assertRaisesRegex(UserError, "done"):
            evaluation.action_compute()
        with self.assertRaisesRegex(UserError, "kept"):
            evaluation.with_user(self.it_manager).unlink()
        # Shown on the contract and on the vendor (and its contacts).
        self.assertEqual(self.contract.lianghua_evaluation_count, 1)
        self.assertEqual(self.vendor.lianghua_evaluation_count, 1)
        self.assertEqual(self.vendor_portal.partner_id.lianghua_evaluation_count, 1)
        action = self.contract.action_view_lianghua_evaluations()
        self.assertEqual(self.Evaluation.search(action["domain"]), evaluation)
        action = self.vendor_portal.partner_id.action_view_lianghua_evaluations()
        self.assertEqual(self.Evaluation.search(action["domain"]), evaluation)

    def test_closed_values_are_read_as_measured(self):
        first = self._computed()
        late = self._ticket(agreement_id=self.contract.id)
        self._set(late.ticket_sla_ids, deadline=datetime(2026, 9, 1), state="accomplished")
        second = self._computed()
        # The quarter was closed by the first measure: the same 60 % on 5.
        self.assertEqual(self._lines(first), self._lines(second))

    def test_rights(self):
        evaluation = self._computed(
            agreement_id=self.contract.id,
            review_line_ids=[Command.create({"name": "Cooperation", "score": 70})],
        )
        for user in (self.requester, self.auditor, self.vendor_portal, self.legal):
            with self.subTest(user=user.login):
                with self.at(NOW), self.assertRaises(UserError):
                    self._evaluation(user)
                with self.assertRaises(UserError):
                    evaluation.with_user(user).action_compute()
                with self.assertRaises(AccessError):
                    evaluation.with_user(user).action_done()
                with self.assertRaises(UserError):  # AccessError or UserError
                    evaluation.review_line_ids.with_user(user).score = 100
        with self.assertRaises(AccessError):
            evaluation.with_user(self.it_user).action_done()
        # Readers: the department served, not another one; IT, auditors, legal.
        for user in (self.requester, self.auditor, self.legal, self.leader, self.it_user):
            evaluation.with_user(user).check_access("read")
        with self.assertRaises(AccessError):
            evaluation.with_user(self.requester_prod).check_access("read")
        # The vendor's contacts read it once done; another vendor's never.
        with self.assertRaises(AccessError):
            evaluation.with_user(self.vendor_portal).check_access("read")
        with self.at(NOW):
            evaluation.with_user(self.it_manager).action_done()
        evaluation.with_user(self.vendor_portal).check_access("read")
        evaluation.review_line_ids.with_user(self.vendor_portal).check_access("read")
        for record in (evaluation, evaluation.line_ids):
            with self.assertRaises(AccessError):
                record.with_user(self.other_portal).check_access("read")
        self.assertEqual(self.Evaluation.with_user(self.other_portal).search([]), self.Evaluation)

    def test_bad_input(self):
        evaluation = self._computed()
        with self.at(NOW):
            self._check_bad_input(evaluation)

    def _check_bad_input(self, evaluation):
        line = evaluation.indicator_line_ids[:1]
        for weight in (0, -1):
            with self.assertRaisesRegex(ValidationError, "weight"):
                line.weight = weight
        with self.assertRaisesRegex(UserError, "comes from its value"):
            line.score = 100
        with self.assertRaisesRegex(UserError, "Compute"):
            line.value = 99
        with self.assertRaisesRegex(UserError, "stays"):
            line.unlink()
        Line = self.env["lianghua.vendor.evaluation.line"].with_user(self.it_user)
        for score in (120, -5):
            with self.assertRaisesRegex(ValidationError, "from 0 to 100"):
                Line.create({"evaluation_id": evaluation.id, "name": "Speed", "score": score})
        with self.assertRaisesRegex(UserError, "Compute"):
            Line.create({"evaluation_id": evaluation.id, "name": "SLA", "kind": "indicator"})
        with self.assertRaisesRegex(ValidationError, "signed service contract of that vendor"):
            self._evaluation(agreement_id=self.other_contract.id)
        with self.assertRaisesRegex(ValidationError, "not one of its contacts"):
            self._evaluation(partner_id=self.vendor_portal.partner_id.id)
        with self.assertRaisesRegex(ValidationError, "future"):
            self._evaluation(date_start=date(2027, 1, 1))
        with self.assertRaisesRegex(ValidationError, "date"):
            self._evaluation(date_start="not a date")
        with self.assertRaisesRegex(UserError, "set by its buttons"):
            self._evaluation(state="done")
        with self.assertRaisesRegex(UserError, "set by its buttons"):
            evaluation.score = 100
        # Any day of the quarter stands for the quarter.
        self.assertEqual(self._evaluation(date_start=date(2026, 8, 17)).date_start, Q3)
        # Another vendor or quarter: the indicators are computed again.
        evaluation.date_start = date(2026, 4, 1)
        self.assertFalse(evaluation.indicator_line_ids)
        self.assertFalse(evaluation.computed_on)
        with self.assertRaisesRegex(UserError, "Compute the indicators"):
            evaluation.with_user(self.it_manager).action_done()
