from odoo.tests import tagged, warmup

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestQueryCounts(LianghuaServiceCommon):
    """Hot paths read a fixed number of queries, whatever the number of records."""

    @warmup
    def test_request_list_and_kanban(self):
        """What the requests list and kanban read, as a requester (record rules on)."""
        specification = {
            name: {}
            for name in (
                "priority",
                "name",
                "title",
                "urgency",
                "date_required",
                "state",
                "activity_ids",
                "evaluation_count",
            )
        }
        for relation in ("requester_id", "department_id", "service_type_id"):
            specification[relation] = {"fields": {"display_name": {}}}
        Request = self.env["lianghua.request"].with_user(self.requester)
        for count in (3, 15):
            requests = self.env["lianghua.request"].create(
                [
                    self._request_vals(title=f"Need {i}", requester_id=self.requester.id)
                    for i in range(count)
                ]
            )
            self.env.invalidate_all()
            with self.assertQueryCount(11):
                result = Request.web_search_read(
                    [("id", "in", requests.ids)], specification, order="id desc"
                )
            self.assertEqual(result["length"], count)

    @warmup
    def test_request_form(self):
        """Opening a request: rights flags, smart buttons, approval state."""
        specification = {
            name: {}
            for name in (
                "name",
                "title",
                "state",
                "can_submit",
                "can_cancel",
                "can_reset",
                "can_evaluate",
                "evaluation_count",
                "review_ids",
                "validation_status",
                "can_review",
            )
        }
        request = self._submitted_urgent_request().with_user(self.requester)
        self.env.invalidate_all()
        # 8: the read rule of reviews ("read with its document") is checked on
        # the reviews read by one query for all of them.
        with self.assertQueryCount(8):
            request.web_read(specification)

    @warmup
    def test_project_counters(self):
        """The smart buttons of Lianghua projects: one query per kind of record, for any
        number of projects."""
        plan = self._approved_plan()
        projects = plan.project_id
        for index in range(3):
            projects |= plan.project_id.sudo().copy({"name": f"Copy {index}"})
        for batch in (projects[:1], projects):
            self.env.invalidate_all()
            with self.assertQueryCount(5):
                batch.with_user(self.it_user).mapped("lianghua_meeting_count")
