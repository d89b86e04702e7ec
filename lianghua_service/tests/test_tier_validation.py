from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestTierValidation(LianghuaServiceCommon):
    """Leader approval of urgent requests through base_tier_validation."""

    def test_urgent_request_is_blocked_until_a_leader_approves(self):
        request = self._submitted_urgent_request()
        self.assertEqual(request.state, "to_approve")

        # IT cannot evaluate it yet.
        with self.assertRefused(UserError, "not waiting for evaluation"):
            request.with_user(self.it_user).action_start_evaluation()
        # Neither the requester nor IT can approve it.
        for user in (self.requester, self.it_user, self.dept_manager):
            with self.assertRefused(UserError, "not waiting for your approval"):
                request.with_user(user).validate_tier()
        # Nor forge the decision on the review itself.
        with self.assertRaises(AccessError):
            request.review_ids.with_user(self.requester).write({"status": "approved"})
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.requester).create(
                {
                    "model": request._name,
                    "res_id": request.id,
                    "status": "approved",
                    "definition_id": self.tier_urgent.id,
                }
            )
        self.assertRecordValues(request, [{"state": "to_approve", "validation_status": "pending"}])
        self.assertFalse(request.evaluation_ids)

        self._leader_decides(request, "validate", "Go ahead.")
        self.assertEqual(request.state, "to_evaluate")
        request.with_user(self.it_user).action_start_evaluation()
        self.assertEqual(request.state, "evaluating")

    def test_leader_rejection_closes_the_request_with_the_reason(self):
        request = self._submitted_urgent_request()

        self._leader_decides(request, "reject", "Not a priority this year.")

        self.assertRecordValues(
            request,
            [
                {
                    "state": "rejected",
                    "validation_status": "rejected",
                    "rejection_reason": "Not a priority this year.",
                }
            ],
        )
        notice = request.message_ids.filtered(lambda m: self.requester.partner_id in m.partner_ids)
        self.assertTrue(notice, "the requester is told why")
        self.assertIn("Not a priority this year.", notice[0].body)

        # The requester may rework it; the new version is approved afresh.
        request.with_user(self.requester).action_reset_to_draft()
        self.assertRecordValues(request, [{"state": "draft", "rejection_reason": False}])
        self.assertFalse(request.review_ids)
        request.with_user(self.requester).write({"urgency_reason": "The fair moved earlier."})
        request.with_user(self.requester).action_submit()
        self.assertRecordValues(request, [{"state": "to_approve", "validation_status": "pending"}])

    def test_request_under_approval_is_frozen(self):
        request = self._submitted_urgent_request()
        with self.assertRaises(UserError):
            request.with_user(self.requester).write({"title": "Something else"})
        self.assertEqual(request.title, "CRM mobile client")

    def test_administrator_configures_the_tiers(self):
        """Default tiers are data an administrator edits: here, planned requests too."""
        tier = self.tier_urgent.with_user(self.admin)
        tier.write({"definition_domain": "[]", "name": "Leader approval of every request"})
        request = self._create_request(urgency="planned")
        request.action_submit()
        self.assertEqual(request.state, "to_approve")

        # A requester may not touch the configuration.
        with self.assertRaises(AccessError):
            self.tier_urgent.with_user(self.requester).write({"active": False})

    def test_reviews_cannot_be_forged_by_hand(self):
        """Every path around the approval buttons is closed for a requester."""
        request = self._submitted_urgent_request()
        review = request.review_ids
        Review = self.env["tier.review"].with_user(self.requester)
        # Moving the review to another model, deciding it there, and moving it back.
        with self.assertRaises(AccessError):
            review.with_user(self.requester).write({"model": "res.partner"})
        # Deleting it, or rewriting the evidence.
        with self.assertRaises(AccessError):
            review.with_user(self.requester).unlink()
        with self.assertRaises(AccessError):
            review.with_user(self.requester).write({"done_by": self.requester.id})
        for user in (self.requester, self.auditor, self.it_manager):
            with self.assertRaises(AccessError):
                review.with_user(user).write({"comment": "Approved, trust me"})
        # Creating a decided review for another model and moving it over.
        foreign = Review.create({"model": "res.partner", "res_id": 1, "status": "approved"})
        with self.assertRaises(AccessError):
            foreign.write({"model": "lianghua.request", "res_id": request.id})
        # The comment wizard, fed with the request's reviews.
        wizard = (
            self.env["comment.wizard"]
            .with_user(self.requester)
            .create(
                {
                    "res_model": request._name,
                    "res_id": request.id,
                    "review_ids": [(6, 0, review.ids)],
                    "validate_reject": "validate",
                    "comment": "Self-approved",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.add_comment()
        self.assertUnchanged(request, {"state": "to_approve", "validation_status": "pending"})
        self.assertRecordValues(review, [{"status": "pending", "comment": False}])

    def test_leader_does_not_approve_their_own_request(self):
        request = self._create_request(
            user=self.leader, urgency="urgent", urgency_reason="Board meeting"
        )
        request.with_user(self.leader).action_submit()
        with self.assertRefused(UserError, "another approver must decide it"):
            request.with_user(self.leader).validate_tier()
        self.assertUnchanged(request, {"state": "to_approve"})

    def test_decisions_outlive_a_cancellation(self):
        request = self._submitted_urgent_request()
        self._leader_decides(request, "validate", "Go ahead.")
        request.with_user(self.it_manager).action_cancel()
        self.assertRecordValues(request, [{"state": "cancel"}])
        log = request.message_ids.filtered(lambda m: "Approved by Lh Leader" in m.body)
        self.assertEqual(len(log), 1)
        self.assertIn("Go ahead.", log.body)
