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
