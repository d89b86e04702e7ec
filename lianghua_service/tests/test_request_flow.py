from odoo.tests import tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestRequestFlow(LianghuaServiceCommon):
    """The request form, from filing to IT's conclusion."""

    def test_planned_request_goes_straight_to_it(self):
        request = self._create_request()
        self.assertRecordValues(
            request,
            [
                {
                    "state": "draft",
                    "department_id": self.dept_sales.id,
                    "evaluator_id": self.it_user.id,
                    "origin": "form",
                }
            ],
        )
        self.assertTrue(request.name.startswith("REQ/"))

        request.action_submit()

        self.assertRecordValues(request, [{"state": "to_evaluate", "validation_status": "no"}])
        self.assertTrue(request.date_submitted)
        self.assertFalse(request.review_ids, "no approval tier applies to planned requests")
        activity = request.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("lianghua_service.mail_activity_evaluate")
        )
        self.assertEqual(activity.user_id, self.it_user)

    def test_urgent_request_needs_leader_then_it(self):
        request = self._submitted_urgent_request()
        self.assertRecordValues(request, [{"state": "to_approve", "validation_status": "pending"}])
        self.assertEqual(request.review_ids.reviewer_ids, self.leader)

        self._leader_decides(request, "validate", "Approved for the fair.")

        self.assertRecordValues(
            request, [{"state": "to_evaluate", "validation_status": "validated"}]
        )
        self.assertRecordValues(
            request.review_ids,
            [
                {
                    "status": "approved",
                    "done_by": self.leader.id,
                    "comment": "Approved for the fair.",
                }
            ],
        )

    def test_evaluation_accepts(self):
        request = self._create_request()
        request.action_submit()

        action = request.with_user(self.it_user).action_start_evaluation()
        evaluation = request.evaluation_id
        self.assertEqual(action["res_id"], evaluation.id)
        self.assertRecordValues(request, [{"state": "evaluating", "evaluator_id": self.it_user.id}])
        dimensions = self.env["lianghua.evaluation.dimension"].search([])
        self.assertEqual(evaluation.line_ids.dimension_id, dimensions)
        self.assertFalse(request.activity_ids, "starting the evaluation closes IT's to-do")

        evaluation = self._evaluate_started(evaluation, "accepted", scores=("5", "4", "3", "4"))

        self.assertRecordValues(evaluation, [{"state": "done", "score": 4.0}])
        self.assertRecordValues(request, [{"state": "accepted"}])
        self.assertTrue(request.date_concluded)

    def test_evaluation_rejects_with_reason_sent_to_requester(self):
        request = self._create_request()
        request.action_submit()
        self._evaluate(request, "rejected", note="Already covered by the ERP upgrade.")

        self.assertRecordValues(
            request,
            [{"state": "rejected", "rejection_reason": "Already covered by the ERP upgrade."}],
        )
        message = request.message_ids.filtered(
            lambda m: self.requester.partner_id in m.partner_ids
        )[:1]
        self.assertIn("Already covered by the ERP upgrade.", message.body)

    def test_more_information_loop(self):
        request = self._submitted_urgent_request()
        self._leader_decides(request, "validate", "OK")
        self._evaluate(request, "more_info", note="How many users?")

        self.assertRecordValues(
            request, [{"state": "more_info", "info_requested": "How many users?"}]
        )
        todo = request.activity_ids
        self.assertEqual(todo.user_id, self.requester)
        self.assertEqual(
            todo.activity_type_id, self.env.ref("lianghua_service.mail_activity_provide_info")
        )

        # The requester answers and resubmits. The answer changed the request:
        # the leaders approve it again before IT evaluates it again.
        request.with_user(self.requester).write(
            {"expected_goal": "120 users, visits logged daily."}
        )
        request.with_user(self.requester).action_submit()
        self.assertRecordValues(request, [{"state": "to_approve", "validation_status": "pending"}])
        self.assertFalse(request.activity_ids, "the requester's to-do is done")
        first_decision = request.message_ids.filtered(
            lambda m: "Company leader approval of urgent requests: Approved by" in m.body
        )
        self.assertTrue(first_decision, "the first approval stays in the chatter")

        self._leader_decides(request, "validate", "Still OK")
        self.assertRecordValues(request, [{"state": "to_evaluate"}])
        self.assertEqual(request.activity_ids.user_id, self.it_user)

        second = self._evaluate(request, "accepted")
        self.assertEqual(request.evaluation_count, 2)
        self.assertEqual(request.evaluation_id, second)
        self.assertEqual(request.state, "accepted")

    def test_planned_request_turned_urgent_after_more_information_is_approved(self):
        request = self._create_request()
        request.action_submit()
        self._evaluate(request, "more_info", note="Is it urgent?")
        request.with_user(self.requester).write(
            {"urgency": "urgent", "urgency_reason": "Yes: the fair moved to next month."}
        )
        request.with_user(self.requester).action_submit()
        self.assertRecordValues(request, [{"state": "to_approve", "validation_status": "pending"}])

    def test_cancel_and_reset(self):
        request = self._submitted_urgent_request()
        request.with_user(self.requester).action_cancel()
        self.assertRecordValues(request, [{"state": "cancel"}])
        self.assertFalse(request.review_ids, "cancelling drops the open approval")

        request.with_user(self.requester).action_reset_to_draft()
        self.assertRecordValues(request, [{"state": "draft"}])
        request.with_user(self.requester).action_submit()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.review_ids.status, "pending")

    def _evaluate_started(self, evaluation, conclusion, scores):
        evaluation = evaluation.with_user(self.it_user)
        for line, score in zip(evaluation.line_ids, scores, strict=True):
            line.score = score
        evaluation.conclusion = conclusion
        evaluation.action_conclude()
        return evaluation
