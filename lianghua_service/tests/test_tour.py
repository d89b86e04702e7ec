from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestRequestTour(HttpCase, LianghuaServiceCommon):
    """A business user files an urgent request; a company leader approves it."""

    def test_urgent_request_filed_and_approved_in_the_web_client(self):
        self.env.ref("lianghua_service.service_type_digital_marketing").it_user_id = self.it_user

        self.start_tour("/odoo", "lianghua_request_urgent_file", login=self.requester.login)

        request = self.env["lianghua.request"].search(
            [("title", "=", "Trade fair registration app")]
        )
        self.assertRecordValues(
            request,
            [
                {
                    "requester_id": self.requester.id,
                    "department_id": self.dept_sales.id,
                    "urgency": "urgent",
                    "state": "to_approve",
                    "validation_status": "pending",
                }
            ],
        )
        self.assertIn("mini program", request.description)

        self.start_tour("/odoo", "lianghua_request_urgent_approve", login=self.leader.login)

        request.invalidate_recordset()
        self.assertRecordValues(
            request, [{"state": "to_evaluate", "validation_status": "validated"}]
        )
        self.assertEqual(request.review_ids.done_by, self.leader)
        self.assertEqual(request.activity_ids.user_id, self.it_user)


@tagged("post_install", "-at_install")
class TestProjectTour(HttpCase, LianghuaServiceCommon):
    """Plan approval and acceptance, clicked through in the web client."""

    def test_plan_approval_and_acceptance_in_the_web_client(self):
        plan = self._draft_plan()
        plan.action_submit()

        self.start_tour("/odoo", "lianghua_plan_department_review", login=self.dept_manager.login)
        plan.invalidate_recordset()
        self.assertRecordValues(plan, [{"state": "to_review"}])
        self.assertEqual(
            plan.review_ids.sorted("sequence").mapped("status"), ["approved", "pending"]
        )
        self.start_tour("/odoo", "lianghua_plan_leader_approval", login=self.leader.login)
        plan.invalidate_recordset()
        self.assertRecordValues(plan, [{"state": "approved"}])
        project = plan.project_id
        self.assertTrue(project)

        self._golive(project)
        acceptance = self._filed_acceptance(project)
        acceptance.with_user(self.dept_manager).write(
            {"member_ids": [Command.create({"user_id": self.requester.id, "is_leader": True})]}
        )
        acceptance.with_user(self.dept_manager).action_start_assessment()

        self.start_tour(
            "/odoo", "lianghua_acceptance_assess_and_conclude", login=self.requester.login
        )
        acceptance.invalidate_recordset()
        self.assertRecordValues(acceptance, [{"state": "passed"}])
        self.assertEqual(acceptance.assessment_ids.mapped("result"), ["pass"] * 4)
        self.assertEqual(plan.request_id.state, "done")


@tagged("post_install", "-at_install")
class TestIndicatorTour(HttpCase, LianghuaServiceCommon):
    """The owner of an indicator entered by hand records a value in the web client."""

    def test_owner_enters_a_value_with_its_evidence(self):
        indicator = self.env["lianghua.indicator"].create(
            {"name": "Training hours", "code": "TRAIN", "scope": "department",
             "owner_id": self.dept_manager.id, "unit": "h"}
        )  # fmt: skip
        self.start_tour("/odoo", "lianghua_indicator_enter_value", login=self.dept_manager.login)
        self.assertRecordValues(
            indicator.value_ids,
            [{"department_id": self.dept_sales.id, "value": 12.0, "date_start": date(2026, 11, 1),
              "comment": "Sign-in sheets of the two CRM sessions"}],
        )  # fmt: skip
