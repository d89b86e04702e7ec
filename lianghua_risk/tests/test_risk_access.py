from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LianghuaRiskCommon


@tagged("post_install", "-at_install")
class TestRiskAccess(LianghuaRiskCommon):
    """Who sees and changes which risks: the requesting department reads the
    register of its projects, owners their risks and responses, IT works on
    all, leaders and auditors read all; another department, another company
    and the portal see nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="lh_risk_portal", groups="base.group_portal")
        cls.other_company = cls.env["res.company"].create({"name": "Lh Risk Subsidiary"})
        cls.it_user.company_ids = [Command.link(cls.other_company.id)]
        cls.risk_sales = cls._make_risk(cls.project_sales)
        cls.risk_prod = cls._make_risk(cls.project_prod)
        cls.response = cls.env["lianghua.risk.response"].create(
            {"risk_id": cls.risk_prod.id, "name": "Ask the plant for a key user",
             "owner_id": cls.requester.id, "deadline": date(2027, 1, 1)}
        )  # fmt: skip
        cls.other_project = cls.env["project.project"].create(
            {"name": "Subsidiary project", "company_id": cls.other_company.id,
             "privacy_visibility": "followers"}
        )  # fmt: skip
        cls.risk_other = cls._make_risk(cls.other_project)
        cls.review = cls.env["lianghua.risk.review"].create({"project_id": cls.project_sales.id})

    @classmethod
    def _make_risk(cls, project):
        return cls.env["lianghua.risk"].create(
            {"title": f"Risk of {project.name}", "project_id": project.id,
             "category_id": cls.cat_schedule.id, "probability_id": cls.p[3].id,
             "impact_id": cls.i[3].id, "owner_id": cls.it_user.id}
        )  # fmt: skip

    def test_another_department_sees_nothing(self):
        Risk = self.env["lianghua.risk"]
        self.assertEqual(Risk.with_user(self.requester).search([]), self.risk_sales)
        self.assertEqual(Risk.with_user(self.requester_prod).search([]), self.risk_prod)
        with self.assertRaises(AccessError):
            self.risk_prod.with_user(self.dept_manager).read(["title"])
        with self.assertRaises(AccessError):
            self.review.with_user(self.requester_prod).read(["summary"])
        self.assertFalse(self.env["lianghua.risk.review"].with_user(self.requester_prod).search([]))

    def test_the_department_reads_and_does_not_write(self):
        self.risk_sales.with_user(self.requester).read(["title", "level_id"])
        with self.assertRaisesRegex(UserError, "Only IT staff"):
            self.risk_sales.with_user(self.requester).write({"title": "Mine now"})
        with self.assertRaises(AccessError):
            self.risk_sales.with_user(self.dept_manager).unlink()

    def test_owners_read_their_responses_across_departments(self):
        # The Sales requester owns a response of the plant's risk.
        Response = self.env["lianghua.risk.response"].with_user(self.requester)
        self.assertEqual(Response.search([]), self.response)
        self.response.with_user(self.requester).result = "The plant lends Mr Wang."
        self.response.with_user(self.requester).action_done()
        self.assertEqual(self.response.state, "done")

    def test_leaders_and_auditors_read_everything_and_write_nothing(self):
        for user in (self.leader, self.auditor):
            with self.subTest(user=user.login):
                Risk = self.env["lianghua.risk"].with_user(user)
                self.assertEqual(Risk.search([]), self.risk_sales | self.risk_prod)
                # Refused by the IT check before the access rights (both UserErrors).
                with self.assertRaises(UserError):
                    self.risk_sales.with_user(user).write({"title": "Changed"})
                with self.assertRaises(UserError):
                    self.risk_sales.with_user(user).action_reopen()

    def test_the_portal_sees_nothing(self):
        for model in ("lianghua.risk", "lianghua.risk.response", "lianghua.risk.review",
                      "lianghua.risk.warning", "lianghua.risk.category"):  # fmt: skip
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.env["lianghua.risk"].with_user(self.portal).get_heat_map()

    def test_another_company_sees_nothing(self):
        Risk = self.env["lianghua.risk"].with_user(self.it_user)
        main = Risk.with_context(allowed_company_ids=self.env.company.ids)
        self.assertNotIn(self.risk_other, main.search([]))
        self.assertIn(
            self.risk_other,
            Risk.with_context(allowed_company_ids=self.other_company.ids).search([]),
        )
        self.assertNotIn(self.risk_other, Risk.with_user(self.auditor).search([]))
        with self.assertRaises(AccessError):
            self.risk_other.with_user(self.auditor).read(["title"])

    def test_another_companys_it_calls_nothing_on_ours(self):
        """An IT user of the subsidiary only, calling the actions on the main
        company's records (as over RPC): each is refused, nothing changes."""
        dept = self.env["hr.department"].create(
            {"name": "Subsidiary IT", "company_id": self.other_company.id}
        )
        it_other = self._user("lh_it_other", "it_user", dept, company=self.other_company)
        self.risk_sales.close_reason = "Would be closed."
        calls = [
            lambda: self.risk_sales.with_user(it_other).action_close(),
            lambda: self.risk_sales.with_user(it_other).write({"title": "Theirs"}),
            lambda: self.response.with_user(it_other).action_cancel(),
            lambda: self.review.with_user(it_other).action_done(),
            lambda: self.project_sales.with_user(it_other).action_lianghua_start_risk_review(),
            lambda: (
                self.env["lianghua.risk"].with_user(it_other).get_heat_map(self.project_sales.id)
            ),
        ]
        for call in calls:
            with self.subTest(call=call), self.assertRaises(AccessError):
                call()
        self.assertRecordValues(
            self.risk_sales | self.risk_prod, [{"state": "identified"}, {"state": "responding"}]
        )
        self.assertEqual(self.response.state, "open")
        self.assertEqual(self.review.state, "draft")
