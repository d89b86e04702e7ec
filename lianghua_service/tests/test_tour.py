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
