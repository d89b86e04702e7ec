from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestPlanRules(LianghuaServiceCommon):
    """Who may write, review and revise a solution plan, and what it must say."""

    def test_requester_cannot_write_or_approve_plans(self):
        request = self._accepted_request()
        with self.assertRefused(UserError, "IT writes the solution plan"):
            request.with_user(self.requester).action_create_plan()
        with self.assertRefused(UserError, "written by IT"):
            self.env["lianghua.plan"].with_user(self.requester).create({"request_id": request.id})
        plan = self._draft_plan(request)
        with self.assertRefused(UserError, "written by IT"):
            plan.with_user(self.requester).write({"title": "Mine"})
        plan.action_submit()
        for user in (self.requester, self.colleague, self.it_user):
            with self.assertRefused(UserError, "not waiting for your approval"):
                plan.with_user(user).validate_tier()
        self.assertUnchanged(plan, {"state": "to_review", "validation_status": "pending"})

    def test_plan_needs_its_sections(self):
        request = self._accepted_request()
        plan = self.env["lianghua.plan"].with_user(self.it_user).create({"request_id": request.id})
        with self.assertRefused(
            ValidationError, "Project Overview.*Technical Solution.*Risk.*Milestones.*Budget"
        ):
            plan.action_submit()
        self.assertUnchanged(plan, {"state": "draft"})
        with self.assertRefused(ValidationError, "ends before it starts"):
            plan.milestone_ids = [
                Command.create(
                    {"name": "Backwards", "date_start": self.future,
                     "date_deadline": self.today}
                )
            ]  # fmt: skip
        with self.assertRefused(ValidationError, "cannot be negative"):
            plan.budget_line_ids = [Command.create({"amount": -1})]

    def test_plans_are_only_for_accepted_requests(self):
        request = self._create_request()
        with self.assertRefused(UserError, "accepted request"):
            self.env["lianghua.plan"].with_user(self.it_user).create({"request_id": request.id})

    def test_rejected_plan_is_revised_and_versions_stay_readable(self):
        plan = self._draft_plan()
        plan.action_submit()
        self._review(plan, self.dept_manager, "reject", "The budget misses the licences.")
        self.assertRecordValues(
            plan, [{"state": "rejected", "rejection_reason": "The budget misses the licences."}]
        )
        with self.assertRefused(UserError, "revise it"):
            plan.write({"title": "Patched in place"})

        action = plan.action_revise()
        revision = self.env["lianghua.plan"].browse(action["res_id"]).with_user(self.it_user)
        self.assertRecordValues(
            revision,
            [{"version": 2, "previous_id": plan.id, "state": "draft", "name": plan.name,
              "budget_total": plan.budget_total, "request_id": plan.request_id.id}],
        )  # fmt: skip
        self.assertEqual(len(revision.milestone_ids), 2)
        revision.budget_line_ids = [
            Command.create({"phase": "implementation", "category": "software", "amount": 30000})
        ]
        revision.action_submit()
        self._review(revision, self.dept_manager)
        self._review(revision, self.leader)
        self.assertEqual(revision.state, "approved")
        self.assertEqual(plan.state, "rejected", "the earlier version stays as it was")
        self.assertEqual(revision.version_count, 2)
        self.assertEqual(plan.request_id.project_id, revision.project_id)

    def test_submitter_does_not_review_their_own_plan(self):
        plan = self._draft_plan()
        plan.action_submit()
        self._review(plan, self.dept_manager)
        self.leader.groups_id |= self.env.ref("lianghua_service.group_lianghua_it_user")
        plan.sudo().author_id = self.leader
        with self.assertRefused(UserError, "another approver must decide it"):
            plan.with_user(self.leader).validate_tier()


@tagged("post_install", "-at_install")
class TestAcceptanceRules(LianghuaServiceCommon):
    """Only IT files acceptance; the department forms the group; only members assess."""

    def setUp(self):
        super().setUp()
        self.plan = self._approved_plan()
        self.project = self.plan.project_id

    def test_only_it_files_acceptance(self):
        Acceptance = self.env["lianghua.acceptance"]
        for user in (self.requester, self.dept_manager):
            with self.assertRaises(UserError):
                Acceptance.with_user(user).create({"project_id": self.project.id})
        self._golive(self.project)
        acceptance = Acceptance.with_user(self.it_user).create(
            {"project_id": self.project.id, "system_name": "CRM Mobile"}
        )
        for line in acceptance.deliverable_ids:
            line.attachment_ids = self._attach(acceptance, "doc.pdf")
        with self.assertRaises(UserError):
            acceptance.with_user(self.dept_manager).action_submit()
        self.assertUnchanged(acceptance, {"state": "draft"})

    def test_acceptance_needs_the_go_live_checklist(self):
        acceptance = (
            self.env["lianghua.acceptance"]
            .with_user(self.it_user)
            .create({"project_id": self.project.id, "system_name": "CRM Mobile"})
        )
        for line in acceptance.deliverable_ids:
            line.attachment_ids = self._attach(acceptance, "doc.pdf")
        with self.assertRefused(UserError, "Complete the go-live checklist"):
            acceptance.action_submit()
        checklist = (
            self.env["lianghua.quality.check"]
            .with_user(self.it_user)
            .create({"project_id": self.project.id, "kind": "go_live"})
        )
        with self.assertRefused(ValidationError, "decide every item first"):
            checklist.action_done()
        checklist.line_ids.result = "pass"
        checklist.line_ids[0].result = "fail"
        with self.assertRefused(ValidationError, "go-live checklist is not complete"):
            checklist.action_done()
        self.assertUnchanged(checklist, {"state": "draft"})
        self.assertFalse(self.project.lianghua_golive_ready)
        with self.assertRefused(UserError, "Complete the go-live checklist"):
            acceptance.action_submit()
        self.assertUnchanged(acceptance, {"state": "draft"})

    def test_acceptance_needs_its_documents(self):
        self._golive(self.project)
        acceptance = (
            self.env["lianghua.acceptance"]
            .with_user(self.it_user)
            .create({"project_id": self.project.id, "system_name": "CRM Mobile"})
        )
        self.assertEqual(
            acceptance.deliverable_ids.type_id.mapped("name"),
            ["Project Result Report", "Test Report", "User Manual", "Operation Guide"],
        )
        acceptance.deliverable_ids[0].attachment_ids = self._attach(acceptance, "report.pdf")
        with self.assertRefused(ValidationError, "Test Report, User Manual, Operation Guide"):
            acceptance.action_submit()
        self.assertUnchanged(acceptance, {"state": "draft", "date_submitted": False})
        with self.assertRefused(UserError, "acceptance in progress"):
            self.env["lianghua.acceptance"].with_user(self.it_user).create(
                {"project_id": self.project.id}
            )

    def test_the_department_forms_the_group_and_only_members_assess(self):
        self._golive(self.project)
        acceptance = self._filed_acceptance(self.project)
        members = [
            Command.create({"user_id": self.requester.id, "is_leader": True}),
            Command.create({"user_id": self.colleague.id}),
        ]
        for user in (self.requester, self.dept_manager_prod):
            with self.assertRaises(UserError):
                acceptance.with_user(user).write({"member_ids": members})
        acceptance.with_user(self.dept_manager).write(
            {"member_ids": [Command.create({"user_id": self.requester.id})]}
        )
        with self.assertRefused(ValidationError, "one of them its leader"):
            acceptance.with_user(self.dept_manager).action_start_assessment()
        acceptance.member_ids.with_user(self.dept_manager).is_leader = True
        acceptance.with_user(self.dept_manager).action_start_assessment()

        mine = acceptance.assessment_ids.filtered(lambda a: a.user_id == self.requester)[0]
        for user in (self.colleague, self.requester_prod, self.it_user, self.dept_manager):
            with self.assertRaises(UserError):  # AccessError (rules) or UserError (checks)
                mine.with_user(user).write({"result": "pass"})
        self.assertUnchanged(mine, {"result": "pending"})
        with self.assertRefused(ValidationError, "Every member assesses every criterion"):
            acceptance.with_user(self.requester).action_conclude()
        with self.assertRefused(UserError, "leader of the acceptance group concludes"):
            acceptance.with_user(self.it_user).action_conclude()
        with self.assertRefused(UserError, "At this step"):
            acceptance.with_user(self.dept_manager).write({"member_ids": members})

    def test_other_departments_do_not_see_the_project(self):
        Plan = self.env["lianghua.plan"]
        self.assertFalse(Plan.with_user(self.requester_prod).search([("id", "=", self.plan.id)]))
        self.assertEqual(
            Plan.with_user(self.colleague).search([("id", "=", self.plan.id)]), self.plan
        )
        meeting = (
            self.env["lianghua.meeting"]
            .with_user(self.it_user)
            .create({"project_id": self.project.id})
        )
        Meeting = self.env["lianghua.meeting"]
        self.assertFalse(Meeting.with_user(self.requester_prod).search([("id", "=", meeting.id)]))
        self.assertEqual(Meeting.with_user(self.auditor).search([("id", "=", meeting.id)]), meeting)
        with self.assertRaises(AccessError):
            meeting.with_user(self.auditor).write({"minutes": "<p>Audited</p>"})


@tagged("post_install", "-at_install")
class TestImplementation(LianghuaServiceCommon):
    """Meetings planned by the cron, change requests, defects."""

    def setUp(self):
        super().setUp()
        self.project = self._approved_plan().project_id

    def test_cron_plans_the_next_meeting_once(self):
        start = self.today + timedelta(days=3)
        self.project.with_user(self.it_manager).write(
            {"lianghua_next_meeting": start, "lianghua_meeting_interval": 2,
             "lianghua_meeting_unit": "week"}
        )  # fmt: skip
        Meeting = self.env["lianghua.meeting"]
        Project = self.env["project.project"]
        Project._cron_schedule_lianghua_meetings()
        meeting = Meeting.search([("project_id", "=", self.project.id)])
        self.assertEqual(len(meeting), 1)
        self.assertEqual(meeting.state, "draft")
        self.assertEqual(self.project.lianghua_next_meeting, start + relativedelta(weeks=2))

        # A rerun the same day plans nothing more; two weeks later, the next one.
        Project._cron_schedule_lianghua_meetings()
        self.assertEqual(Meeting.search_count([("project_id", "=", self.project.id)]), 1)
        with freeze_time(self.today + timedelta(days=14)):
            Project._cron_schedule_lianghua_meetings()
        self.assertEqual(Meeting.search_count([("project_id", "=", self.project.id)]), 2)

    def test_cron_works_in_batches(self):
        projects = self.project
        for index in range(4):
            projects |= self.project.sudo().copy({"name": f"Project {index}"})
        projects.sudo().write(
            {"lianghua_request_id": self.project.lianghua_request_id.id,
             "lianghua_next_meeting": self.today}
        )  # fmt: skip
        self.env["project.project"]._cron_schedule_lianghua_meetings(batch_size=2)
        planned = self.env["lianghua.meeting"].search([("project_id", "in", projects.ids)])
        self.assertEqual(len(planned), 2, "one batch per call; the cron runs again for the rest")

    def test_meeting_needs_minutes_and_complete_issues(self):
        meeting = (
            self.env["lianghua.meeting"]
            .with_user(self.it_user)
            .create({"project_id": self.project.id})
        )
        with self.assertRefused(ValidationError, "Write the minutes"):
            meeting.action_done()
        with self.assertRefused(UserError, "project team records the minutes"):
            meeting.with_user(self.requester).action_done()
        self.assertUnchanged(meeting, {"state": "draft"})

    def test_change_requests_need_their_content_and_rights(self):
        with self.assertRaises(AccessError):
            self.env["lianghua.change.request"].with_user(self.requester).create(
                {"project_id": self.project.id, "title": "Mine"}
            )
        change = (
            self.env["lianghua.change.request"]
            .with_user(self.it_user)
            .create({"project_id": self.project.id, "title": "Vague"})
        )
        with self.assertRefused(ValidationError, "The Change, Reason, its impact"):
            change.action_submit()
        other = self.env["project.milestone"].create(
            {
                "name": "Elsewhere",
                "project_id": self.env["project.project"].create({"name": "Another project"}).id,
            }
        )
        with self.assertRefused(ValidationError, "not a milestone of the project"):
            change.line_ids = [Command.create({"milestone_id": other.id,
                                               "new_deadline": self.future})]  # fmt: skip
        self.assertUnchanged(change, {"state": "draft"})

    def test_defects_follow_their_workflow(self):
        defect = (
            self.env["lianghua.defect"]
            .with_user(self.it_user)
            .create({"name": "Typo", "project_id": self.project.id, "severity": "minor"})
        )
        with self.assertRefused(UserError, "cannot move"):
            defect.action_close()
        with self.assertRefused(UserError, "with its buttons"):
            defect.write({"state": "closed"})
        defect.action_fix()
        defect.action_reopen()
        self.assertEqual(defect.state, "open")
        with self.assertRaises(UserError):
            defect.with_user(self.requester).action_fix()
