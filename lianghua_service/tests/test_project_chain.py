from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestProjectChain(LianghuaServiceCommon):
    """From an accepted request to an accepted delivery, record by record:
    plan approval, project, meeting with issues, change request re-baselining,
    go-live checklist, acceptance failed, rectification, acceptance passed."""

    def test_full_chain(self):
        # 1. An accepted request gets its solution plan, from IT.
        request = self._accepted_request()
        plan = self._draft_plan(request)
        self.assertRecordValues(
            plan,
            [{"request_id": request.id, "title": request.title, "version": 1, "state": "draft",
              "department_id": self.dept_sales.id, "department_manager_id": self.dept_manager.id,
              "budget_total": 132000.0, "author_id": self.it_user.id}],
        )  # fmt: skip
        self.assertEqual(request.plan_count, 1)

        # 2. Reviewed by the requesting department, then by a company leader.
        plan.action_submit()
        self.assertRecordValues(plan, [{"state": "to_review", "validation_status": "pending"}])
        with self.assertRefused(UserError, "not waiting for your approval"):
            plan.with_user(self.leader).validate_tier()  # the department reviews first
        self._review(plan, self.dept_manager, comment="The department agrees.")
        self.assertEqual(plan.state, "to_review")
        self._review(plan, self.leader, comment="Approved.")

        # 3. Approval creates the project, with the plan's milestones as baseline.
        project = plan.project_id
        self.assertRecordValues(plan, [{"state": "approved", "validation_status": "validated"}])
        self.assertRecordValues(
            project,
            [{"lianghua_request_id": request.id, "lianghua_plan_id": plan.id,
              "lianghua_department_id": self.dept_sales.id, "allow_milestones": True,
              "user_id": self.it_user.id}],
        )  # fmt: skip
        self.assertRecordValues(request, [{"state": "in_implementation", "project_id": project.id}])
        # Request, evaluation, plan and project open each other.
        evaluation = request.evaluation_id
        for action, record in (
            (request.action_view_plans(), plan),
            (request.action_view_project(), project),
            (evaluation.action_view_plans(), plan),
            (evaluation.action_view_project(), project),
            (plan.action_view_evaluation(), evaluation),
            (plan.action_view_request(), request),
            (plan.action_view_project(), project),
            (project.action_lianghua_view_request(), request),
            (project.action_lianghua_view_evaluation(), evaluation),
            (project.action_lianghua_view_plan(), plan),
        ):
            self.assertEqual((action["res_model"], action["res_id"]), (record._name, record.id))
        milestones = project.milestone_ids.sorted("deadline")
        self.assertRecordValues(
            milestones,
            [
                {"name": "Development done", "deadline": self.today + relativedelta(months=2),
                 "lianghua_baseline_deadline": self.today + relativedelta(months=2)},
                {"name": "Go-live", "deadline": self.today + relativedelta(months=3),
                 "lianghua_baseline_deadline": self.today + relativedelta(months=3)},
            ],
        )  # fmt: skip
        self.assertEqual(
            sorted(project.lianghua_member_ids.mapped("role")),
            ["business_contact", "project_manager"],
        )

        # 4. A progress meeting raises issues; each becomes a task or an activity.
        Meeting = self.env["lianghua.meeting"].with_user(self.it_user)
        meeting = Meeting.create(
            {
                "project_id": project.id,
                "minutes": "<p>Prototype shown to sales.</p>",
                "progress_status": "at_risk",
                "progress": 30,
                "issue_ids": [
                    Command.create({"name": "Get the CRM API keys", "owner_id": self.it_user.id,
                                    "deadline": self.future, "follow_up": "task"}),
                    Command.create({"name": "Confirm visit fields",
                                    "owner_id": self.dept_manager.id,
                                    "deadline": self.future, "follow_up": "activity"}),
                ],
            }
        )  # fmt: skip
        meeting.action_done()
        task_issue, activity_issue = meeting.issue_ids.sorted("follow_up", reverse=True)
        self.assertRecordValues(
            task_issue.task_id,
            [{"name": "Get the CRM API keys", "project_id": project.id,
              "user_ids": self.it_user.ids}],
        )  # fmt: skip
        self.assertEqual(task_issue.task_id.date_deadline.date(), self.future)
        self.assertRecordValues(
            activity_issue.activity_id,
            [{"summary": "Confirm visit fields", "user_id": self.dept_manager.id,
              "date_deadline": self.future}],
        )  # fmt: skip
        self.assertRecordValues(
            meeting.update_id,
            [{"project_id": project.id, "status": "at_risk", "progress": 30}],
        )
        self.assertEqual(meeting.issue_ids.mapped("state"), ["open", "open"])

        # The next meeting carries the open issues over; done ones drop off.
        second = Meeting.create({"project_id": project.id})
        self.assertEqual(second.carried_issue_ids, meeting.issue_ids)
        task_issue.task_id.state = "1_done"
        activity_issue.activity_id.with_user(self.dept_manager).action_feedback("Confirmed")
        self.assertEqual(meeting.issue_ids.mapped("state"), ["done", "done"])
        third = Meeting.create({"project_id": project.id})
        self.assertFalse(third.carried_issue_ids)

        # 5. A change request moves the go-live; the old baseline stays.
        go_live = milestones[1]
        new_deadline = go_live.deadline + relativedelta(weeks=2)
        change = self.env["lianghua.change.request"].with_user(self.dept_manager).create(
            {
                "project_id": project.id,
                "title": "Add visit photos",
                "description": "<p>Sales reps attach photos to visits.</p>",
                "reason": "Requested by the regional managers.",
                "impact_schedule": "Two more weeks of development.",
                "impact_cost": 15000,
                "line_ids": [
                    Command.create({"milestone_id": go_live.id, "new_deadline": new_deadline})
                ],
            }
        )  # fmt: skip
        change.action_submit()
        # Submitted by the department's manager: the department's review is his.
        self.assertRecordValues(change, [{"state": "to_approve", "validation_status": "pending"}])
        self.assertEqual(
            change.review_ids.sorted("sequence").mapped("status"), ["approved", "pending"]
        )
        self._review(change, self.leader, comment="Worth two weeks.")
        self.assertEqual(change.state, "approved")
        self.assertRecordValues(
            go_live,
            [{"deadline": self.today + relativedelta(months=3, weeks=2),
              "lianghua_baseline_deadline": self.today + relativedelta(months=3),
              "lianghua_shift_days": 14}],
        )  # fmt: skip
        self.assertRecordValues(
            go_live.lianghua_rebaseline_ids,
            [{"change_id": change.id, "deadline_before": self.today + relativedelta(months=3),
              "deadline_after": self.today + relativedelta(months=3, weeks=2)}],
        )  # fmt: skip
        self.assertEqual(milestones[0].lianghua_shift_days, 0)

        # 6. Quality: a review, tests and defects, then the go-live checklist.
        review = self.env["lianghua.quality.check"].with_user(self.it_user).create(
            {"project_id": project.id, "kind": "design_review",
             "participant_ids": [Command.set((self.it_user | self.dept_manager).ids)]}
        )  # fmt: skip
        self.assertTrue(review.line_ids, "the items come from the default template")
        review.line_ids.result = "pass"
        review.conclusion = "passed_with_findings"
        review.finding_ids = [Command.create({"name": "Document the sync conflicts",
                                              "owner_id": self.it_user.id})]  # fmt: skip
        review.action_done()
        tests = self.env["lianghua.test.plan"].with_user(self.it_user).create(
            {"name": "System test", "project_id": project.id,
             "line_ids": [Command.create({"test_type": t, "case_count": 10, "passed_count": 10,
                                          "result": "passed"})
                          for t in ("functional", "performance", "security", "compatibility")]}
        )  # fmt: skip
        defect = self.env["lianghua.defect"].with_user(self.it_user).create(
            {"name": "Crash on offline save", "project_id": project.id,
             "test_plan_id": tests.id, "severity": "critical"}
        )  # fmt: skip
        checklist = (
            self.env["lianghua.quality.check"]
            .with_user(self.it_user)
            .create({"project_id": project.id, "kind": "go_live"})
        )
        checklist.line_ids.result = "pass"
        with self.assertRefused(ValidationError, "critical defects open: Crash on offline save"):
            checklist.action_done()
        defect.action_fix()
        defect.action_close()
        self.assertRecordValues(defect, [{"state": "closed", "date_closed": self.today}])
        checklist.action_done()
        self.assertTrue(project.lianghua_golive_ready)

        # 7. Acceptance, first round: a criterion fails, rectification follows.
        first = self._filed_acceptance(project)
        self.assertRecordValues(first, [{"state": "submitted", "round": 1}])
        first = first.with_user(self.dept_manager)
        first.write(
            {
                "member_ids": [
                    Command.create({"user_id": self.requester.id, "is_leader": True}),
                    Command.create({"user_id": self.colleague.id}),
                ]
            }
        )
        first.action_start_assessment()
        self.assertEqual(first.state, "assessing")
        self.assertEqual(first.assessment_count, 8, "2 members x 4 criteria")
        self._assess(first, self.requester, fail=())
        self._assess(first, self.colleague, fail=("Performance meets the targets",))
        leader_view = first.with_user(self.requester)
        with self.assertRefused(ValidationError, "list what IT must rectify"):
            leader_view.action_conclude()
        leader_view.write(
            {
                "conclusion_note": "Too slow on 4G networks.",
                "rectification_ids": [Command.create({"name": "Cache the customer list",
                                                      "owner_id": self.it_user.id,
                                                      "deadline": self.future})],
            }
        )  # fmt: skip
        leader_view.action_conclude()
        self.assertRecordValues(first, [{"state": "failed"}])
        self.assertEqual(request.state, "in_implementation")
        self.assertFalse(project.lianghua_delivered)
        rectification = first.rectification_ids
        with self.assertRefused(UserError, "Rectify first"):
            first.with_user(self.it_user).action_new_round()
        rectification.with_user(self.it_user).done_note = "Customer list cached locally."
        rectification.with_user(self.it_user).action_done()
        self.assertEqual(rectification.state, "done")

        # 8. Second round: the documents and the group carry over; it passes.
        action = first.with_user(self.it_user).action_new_round()
        second_round = self.env["lianghua.acceptance"].browse(action["res_id"])
        self.assertRecordValues(
            second_round,
            [{"round": 2, "previous_id": first.id, "state": "draft", "system_name": "CRM Mobile"}],
        )
        self.assertEqual(
            second_round.deliverable_ids.attachment_ids, first.deliverable_ids.attachment_ids
        )
        self.assertEqual(second_round.member_ids.user_id, self.requester | self.colleague)
        second_round.with_user(self.it_user).action_submit()
        second_round.with_user(self.dept_manager).action_start_assessment()
        self._assess(second_round, self.requester, fail=())
        self._assess(second_round, self.colleague, fail=())
        second_round.with_user(self.requester).action_conclude()

        self.assertRecordValues(second_round, [{"state": "passed"}])
        self.assertRecordValues(
            project,
            [{"lianghua_delivered": True, "lianghua_system_name": "CRM Mobile",
              "lianghua_date_delivered": self.today}],
        )  # fmt: skip
        # The delivered system enters the register, for operation and maintenance.
        self.assertRecordValues(
            project.lianghua_system_id,
            [{"name": "CRM Mobile", "project_id": project.id, "state": "live",
              "department_id": request.department_id.id, "date_go_live": self.today}],
        )  # fmt: skip
        self.assertTrue(project.lianghua_system_id.code)
        self.assertRecordValues(request, [{"state": "done"}])
        self.assertTrue(request.date_delivered)
        self.assertEqual(project.lianghua_acceptance_count, 2, "every round is kept")

    def _assess(self, acceptance, member, fail):
        sheet = acceptance.assessment_ids.filtered(lambda a: a.user_id == member)
        for assessment in sheet.with_user(member):
            failed = assessment.criterion_id.name in fail
            assessment.write(
                {"result": "fail" if failed else "pass", "comment": "Checked on site."}
            )
