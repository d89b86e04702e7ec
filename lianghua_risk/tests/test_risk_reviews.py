from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import LianghuaRiskCommon


@tagged("post_install", "-at_install")
class TestRiskReviews(LianghuaRiskCommon):
    """The project's review cycle: a review goes through the open risks,
    re-scores them, records what changed and schedules the next one;
    overdue reviews show and give the manager a to-do."""

    def test_a_review_rescores_and_schedules_the_next(self):
        project = self.project_sales
        project.lianghua_risk_review_days = 14
        growing = self._risk(probability=2, impact=3)
        fading = self._risk(probability=4, impact=4)
        closed = self._risk(probability=3, impact=3)
        closed.sudo().write({"state": "closed", "close_reason": "Gone."})
        action = project.with_user(self.it_user).action_lianghua_start_risk_review()
        review = self.env["lianghua.risk.review"].browse(action["res_id"]).with_user(self.it_user)
        self.assertEqual(review.line_ids.risk_id, growing | fading, "the open risks")
        self.assertEqual(review.next_date, review.date + timedelta(days=14))
        # Started twice, it is the same review.
        again = project.with_user(self.it_user).action_lianghua_start_risk_review()
        self.assertEqual(again["res_id"], review.id)
        line_growing = review.line_ids.filtered(lambda line: line.risk_id == growing)
        line_growing.write(
            {"probability_id": self.p[4].id, "note": "The vendor lost two developers."}
        )
        review.line_ids.filtered(lambda line: line.risk_id == fading).write(
            {"probability_id": self.p[1].id, "note": "The prototype works."}
        )
        # A risk identified during the review.
        new = self._risk(title="Licence audit", review_id=review.id)
        self.assertEqual(new.source, "review")
        self.assertIn(new, review.new_risk_ids)
        with self.assertRaisesRegex(UserError, "Write what changed"):
            review.action_done()
        review.summary = "<p>The vendor's team shrank; the prototype removed the sync risk.</p>"
        review.action_done()
        self.assertRecordValues(
            growing | fading,
            [
                {"probability_id": self.p[4].id, "level_id": self.high.id},
                {"probability_id": self.p[1].id, "level_id": self.medium.id},
            ],
        )
        self.assertRecordValues(
            line_growing,
            [{"probability_before_id": self.p[2].id, "level_before_id": self.medium.id}],
        )
        self.assertEqual(project.lianghua_risk_review_next, review.next_date)
        self.assertEqual(review.state, "done")
        with self.assertRaisesRegex(UserError, "is concluded"):
            review.summary = "<p>Rewritten.</p>"
        with self.assertRaisesRegex(UserError, "is concluded"):
            line_growing.note = "Rewritten."
        with self.assertRaisesRegex(UserError, "history"):
            review.unlink()
        self.assertEqual(growing.review_line_ids, line_growing)

    def test_bad_review_input(self):
        Review = self.env["lianghua.risk.review"]
        with self.assertRaisesRegex(UserError, "Only IT staff"):
            Review.with_user(self.requester).create({"project_id": self.project_sales.id})
        with self.assertRaisesRegex(ValidationError, "next review comes after"):
            Review.with_user(self.it_user).create(
                {"project_id": self.project_sales.id, "next_date": self.today}
            )
        with self.assertRaisesRegex(ValidationError, "does not exist"):
            Review.with_user(self.it_user).create({"project_id": 999999999})
        with self.assertRaisesRegex(UserError, "concluded with its button"):
            Review.with_user(self.it_user).create(
                {"project_id": self.project_sales.id, "state": "done"}
            )
        review = Review.with_user(self.it_user).create({"project_id": self.project_sales.id})
        with self.assertRaisesRegex(ValidationError, "one risk review in progress"):
            Review.with_user(self.it_user).create({"project_id": self.project_sales.id})
        self.assertTrue(review.exists())

    def test_an_overdue_review_shows_and_notifies_once(self):
        project = self.project_sales
        project.lianghua_risk_review_next = date(2026, 11, 30)
        self.project_prod.lianghua_risk_review_next = date(2026, 12, 31)
        Project = self.env["project.project"]
        activity_type = self.env.ref("lianghua_risk.mail_activity_risk_review")
        with freeze_time("2026-12-08 02:00:00"):
            project.invalidate_recordset()
            self.assertTrue(project.lianghua_risk_review_overdue)
            self.assertFalse(self.project_prod.lianghua_risk_review_overdue)
            overdue = Project.search([("lianghua_risk_review_overdue", "=", True)])
            self.assertIn(project, overdue)
            self.assertNotIn(self.project_prod, overdue)
            Project._cron_lianghua_risk_reviews()
            Project._cron_lianghua_risk_reviews()
        activities = project.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activities), 1, "once, not once per run")
        self.assertEqual(activities.user_id, self.it_user)
        self.assertFalse(self.project_prod.activity_ids)
        # The review done, the to-do is done and the cycle starts again.
        review = (
            self.env["lianghua.risk.review"]
            .with_user(self.it_user)
            .create({"project_id": project.id, "summary": "<p>Nothing new.</p>"})
        )
        review.action_done()
        self.assertFalse(
            project.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )
        self.assertEqual(project.lianghua_risk_review_next, review.date + timedelta(days=30))
