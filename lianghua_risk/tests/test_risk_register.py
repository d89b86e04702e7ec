from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LianghuaRiskCommon


@tagged("post_install", "-at_install")
class TestRiskRegister(LianghuaRiskCommon):
    """The register: levels from the matrix, responses followed to closure,
    risks carried from the solution plan, and the heat map."""

    # Matrix

    def test_the_level_comes_from_the_matrix(self):
        rare_minor = self._risk(probability=1, impact=2)
        likely_major = self._risk(probability=4, impact=4)
        certain_severe = self._risk(probability=5, impact=5)
        self.assertRecordValues(
            rare_minor | likely_major | certain_severe,
            [
                {"level_id": self.low.id, "score": 2, "is_high": False},
                {"level_id": self.critical.id, "score": 16, "is_high": True},
                {"level_id": self.critical.id, "score": 25, "is_high": True},
            ],
        )

    def test_a_changed_matrix_relevels_its_risks(self):
        risk = self._risk(probability=2, impact=3)
        other = self._risk(probability=3, impact=2)
        self.assertEqual(risk.level_id, self.medium)
        cell = self.env["lianghua.risk.matrix.cell"].search(
            [("probability_id", "=", self.p[2].id), ("impact_id", "=", self.i[3].id)]
        )
        cell.with_user(self.it_manager).level_id = self.high
        self.assertEqual(risk.level_id, self.high)
        self.assertTrue(risk.is_high)
        self.assertEqual(other.level_id, self.medium, "another cell keeps its level")
        # A new risk of the cell takes the new level too.
        self.assertEqual(self._risk(probability=2, impact=3).level_id, self.high)

    def test_a_new_step_of_a_scale_gets_its_cells(self):
        step = (
            self.env["lianghua.risk.scale"]
            .with_user(self.it_manager)
            .create({"name": "Catastrophic", "axis": "impact", "score": 6})
        )
        cells = self.env["lianghua.risk.matrix.cell"].search([("impact_id", "=", step.id)])
        self.assertEqual(len(cells), 5)
        self.assertEqual(self._risk(probability=5, impact=3).level_id, self.critical)
        risk = self._risk(probability=1)
        risk.impact_id = step
        self.assertEqual(risk.level_id, self.low, "the lowest level until the matrix says more")

    def test_only_it_managers_change_the_matrix(self):
        cell = self.env["lianghua.risk.matrix.cell"].search([], limit=1)
        with self.assertRaises(AccessError):
            cell.with_user(self.it_user).level_id = self.critical
        with self.assertRaises(ValidationError):
            self.low.with_user(self.it_manager).color = "green"

    # Register

    def test_a_risk_is_the_risk_of_a_project_or_a_system(self):
        with self.assertRaisesRegex(ValidationError, "names what it threatens"):
            self._risk(project=self.env["project.project"], project_id=False)
        with self.assertRaisesRegex(ValidationError, "names what it threatens"):
            self.env["lianghua.risk"].with_user(self.it_user).create(
                {"title": "Nothing threatened", "category_id": self.cat_schedule.id,
                 "probability_id": self.p[1].id, "impact_id": self.i[1].id}
            )  # fmt: skip
        system_risk = self._risk(project_id=False, system_id=self.erp.id)
        self.assertEqual(system_risk.department_id, self.dept_production)
        self.assertTrue(system_risk.name.startswith("FX"))
        self.assertEqual(self._risk().department_id, self.dept_sales)

    def test_only_it_identifies_risks(self):
        with self.assertRaisesRegex(UserError, "Only IT staff"):
            self._risk(user=self.requester)
        with self.assertRaisesRegex(UserError, "status moves with its buttons"):
            self._risk(state="closed")

    def test_responses_are_followed_to_closure(self):
        risk = self._risk()
        self.assertEqual(risk.state, "identified")
        response = (
            self.env["lianghua.risk.response"]
            .with_user(self.it_user)
            .create(
                {
                    "risk_id": risk.id,
                    "strategy": "mitigate",
                    "name": "Book the key user two days a week",
                    "owner_id": self.requester.id,
                    "deadline": self.future,
                }
            )
        )
        self.assertEqual(risk.state, "responding")
        activity = response.activity_ids
        self.assertRecordValues(
            activity, [{"user_id": self.requester.id, "date_deadline": self.future}]
        )
        # The owner records the result; someone else cannot.
        with self.assertRaises(AccessError):
            response.with_user(self.colleague).write({"result": "Done."})
        with self.assertRaisesRegex(UserError, "Write the result"):
            response.with_user(self.requester).action_done()
        with self.assertRaises(AccessError):
            response.with_user(self.requester).write({"deadline": self.today})
        response.with_user(self.requester).result = "Booked Tuesdays and Thursdays."
        # Not closed while a response is open, nor without a reason.
        risk.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "open responses"):
            risk.with_user(self.it_user).action_close()
        response.with_user(self.requester).action_done()
        self.assertRecordValues(response, [{"state": "done", "date_done": self.today}])
        self.assertFalse(response.activity_ids)
        risk.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "Say why"):
            risk.with_user(self.it_user).action_close()
        risk.with_user(self.it_user).close_reason = "The key user is now full time."
        risk.with_user(self.it_user).action_close()
        self.assertRecordValues(risk, [{"state": "closed", "date_closed": self.today}])
        with self.assertRaisesRegex(UserError, "is closed"):
            risk.with_user(self.it_user).title = "Renamed"
        with self.assertRaisesRegex(UserError, "reopen it"):
            self.env["lianghua.risk.response"].with_user(self.it_user).create(
                {"risk_id": risk.id, "name": "More", "owner_id": self.it_user.id,
                 "deadline": self.future}
            )  # fmt: skip
        risk.with_user(self.it_user).action_reopen()
        self.assertEqual(risk.state, "responding")
        with self.assertRaisesRegex(UserError, "stays as it is"):
            response.with_user(self.it_user).name = "Changed history"

    def test_a_high_risk_is_not_simply_accepted(self):
        risk = self._risk(probability=4, impact=4)
        with self.assertRaisesRegex(ValidationError, "cannot simply be accepted"):
            risk.with_user(self.it_user).response_ids = [
                Command.create({"strategy": "accept", "name": "Live with it",
                                "owner_id": self.it_user.id, "deadline": self.future})
            ]  # fmt: skip
        low = self._risk(probability=1, impact=1)
        low.with_user(self.it_user).response_ids = [
            Command.create({"strategy": "accept", "name": "Live with it",
                            "owner_id": self.it_user.id, "deadline": self.future})
        ]  # fmt: skip
        self.assertEqual(low.response_ids.strategy, "accept")

    def test_overdue_responses_show(self):
        risk = self._risk()
        Response = self.env["lianghua.risk.response"].with_user(self.it_user)
        late = Response.create(
            {"risk_id": risk.id, "name": "Late", "owner_id": self.it_user.id,
             "deadline": self.future}
        )  # fmt: skip
        self._set(late, deadline=self.today.replace(year=self.today.year - 1))
        Response.create(
            {"risk_id": risk.id, "name": "In time", "owner_id": self.it_user.id,
             "deadline": self.future}
        )  # fmt: skip
        self.assertEqual(Response.search([("is_overdue", "=", True)]), late)
        self.assertIn(
            risk, self.env["lianghua.risk"].search([("response_ids.is_overdue", "=", True)])
        )

    # From the solution plan

    def test_plan_risks_are_carried_into_the_register_once(self):
        plan = self._draft_plan()
        plan.lianghua_risk_line_ids = [
            Command.create({"name": "Offline synchronisation fails in the field",
                            "category_id": self.cat_technical.id, "probability_id": self.p[3].id,
                            "impact_id": self.i[4].id, "strategy": "mitigate",
                            "response": "Prototype the synchronisation first."}),
            Command.create({"name": "Sales reps leave before go-live",
                            "category_id": self.env.ref("lianghua_risk.risk_category_personnel").id,
                            "probability_id": self.p[1].id, "impact_id": self.i[2].id,
                            "strategy": "accept"}),
        ]  # fmt: skip
        self.assertEqual(plan.lianghua_risk_line_ids[0].level_id, self.high)
        plan.action_submit()
        self._review(plan, self.dept_manager, comment="The department agrees.")
        self._review(plan, self.leader, comment="Approved.")
        project = plan.project_id
        risks = project.lianghua_risk_ids
        self.assertRecordValues(
            risks.sorted("id"),
            [
                {"title": "Offline synchronisation fails in the field", "source": "plan",
                 "level_id": self.high.id, "state": "responding", "owner_id": self.it_user.id},
                {"title": "Sales reps leave before go-live", "source": "plan",
                 "level_id": self.low.id, "state": "identified", "owner_id": self.it_user.id},
            ],
        )  # fmt: skip
        self.assertEqual(risks[0].response_ids.name, "Prototype the synchronisation first.")
        self.assertTrue(project.lianghua_risk_review_next)
        # A revision carries its new lines only.
        revision = self.env["lianghua.plan"].browse(
            plan.with_user(self.it_user).action_revise()["res_id"]
        )
        revision.with_user(self.it_user).lianghua_risk_line_ids = [
            Command.create({"name": "Data migration late", "category_id": self.cat_schedule.id,
                            "probability_id": self.p[2].id, "impact_id": self.i[3].id})
        ]  # fmt: skip
        self.assertEqual(revision.lianghua_risk_line_ids[:2].origin_id, plan.lianghua_risk_line_ids)
        revision.with_user(self.it_user).action_submit()
        for tier_user in (self.dept_manager, self.leader):
            if revision.state == "to_review":
                self._review(revision, tier_user, comment="Approved.")
        self.assertEqual(revision.state, "approved")
        self.assertEqual(
            sorted(project.lianghua_risk_ids.mapped("title")),
            ["Data migration late", "Offline synchronisation fails in the field",
             "Sales reps leave before go-live"],
        )  # fmt: skip

    # Heat map

    def test_the_heat_map_counts_match_the_register(self):
        for probability, impact in ((3, 3), (3, 3), (5, 4), (1, 2)):
            self._risk(probability=probability, impact=impact)
        self._risk(project=self.project_prod, probability=5, impact=4)
        closed = self._risk(probability=2, impact=2)
        closed.sudo().write({"state": "closed", "close_reason": "Gone."})
        Risk = self.env["lianghua.risk"]
        for project, user in (
            (self.project_sales, self.it_user),
            (False, self.it_user),
            (False, self.requester),
        ):
            with self.subTest(project=project and project.name, user=user.login):
                heat = Risk.with_user(user).get_heat_map(project and project.id)
                seen = Risk.with_user(user).search(
                    [("state", "!=", "closed")]
                    + ([("project_id", "=", project.id)] if project else [])
                )
                self.assertEqual(heat["total"], len(seen))
                self.assertEqual(len(heat["rows"]), 5)
                self.assertEqual(heat["rows"][0][0]["color"], self.medium.color)
                for row in heat["rows"]:
                    for cell in row:
                        in_cell = seen.filtered(
                            lambda r, c=cell: (
                                r.probability_id.id == c["probability_id"]
                                and r.impact_id.id == c["impact_id"]
                            )
                        )
                        self.assertEqual(cell["count"], len(in_cell))
                        action = Risk.with_user(user).action_heat_map_cell(
                            cell["probability_id"], cell["impact_id"], project and project.id
                        )
                        self.assertEqual(Risk.with_user(user).search(action["domain"]), in_cell)
                self.assertEqual(
                    {risk["id"] for risk in heat["high_risks"]},
                    set(seen.filtered("is_high").ids),
                )
                levels = {level["name"]: level["count"] for level in heat["levels"]}
                self.assertEqual(
                    levels[self.critical.name],
                    len(seen.filtered(lambda r: r.level_id == self.critical)),
                )
        # The requester of Sales sees the Sales project's risks only.
        self.assertEqual(Risk.with_user(self.requester).get_heat_map()["total"], 4)
        with self.assertRaises(AccessError):
            Risk.with_user(self.requester).get_heat_map(self.project_prod.id)
        with self.assertRaisesRegex(UserError, "probability and an impact"):
            Risk.with_user(self.requester).action_heat_map_cell("1 OR 1=1", 2)

    def test_the_project_shows_its_risks(self):
        self._risk(probability=5, impact=5)
        self._risk(probability=1, impact=1)
        self.project_sales.invalidate_recordset()
        self.assertRecordValues(
            self.project_sales,
            [{"lianghua_risk_count": 2, "lianghua_high_risk_count": 1}],
        )
        action = self.project_sales.with_user(self.it_user).action_lianghua_heat_map()
        self.assertEqual(action["params"], {"project_id": self.project_sales.id})
        form = Form(self.env["lianghua.risk"].with_user(self.it_user))
        form.title = "Vendor cannot staff the project"
        form.project_id = self.project_sales
        form.category_id = self.cat_schedule
        form.probability_id = self.p[4]
        form.impact_id = self.i[3]
        self.assertEqual(form.level_id, self.high)
        self.assertEqual(form.company_id, self.env.company)
        form.save()
