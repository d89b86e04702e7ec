from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestPlanGuards(LianghuaServiceCommon):
    """What the workflow owns on a plan, and plans revised during the project."""

    def test_one_plan_in_progress_per_request(self):
        plan = self._draft_plan()
        Plan = self.env["lianghua.plan"].with_user(self.it_user)
        with self.assertRefused(UserError, "has a plan in progress already"):
            Plan.create({"request_id": plan.request_id.id})
        with self.assertRefused(UserError, "only through its buttons"):
            Plan.create({"request_id": self._accepted_request().id, "state": "approved"})
        with self.assertRefused(ValidationError, "is not in IT"):
            plan.write({"author_id": self.requester.id})
        self.assertUnchanged(plan, {"author_id": self.it_user.id})

    def test_a_project_carries_out_one_request(self):
        taken = self._approved_plan().project_id
        plan = self._draft_plan()
        with self.assertRefused(ValidationError, "carries out request"):
            plan.write({"project_id": taken.id})
        self.assertUnchanged(plan, {"project_id": False})
        # Linked while free, taken by another request before the approval.
        free = self.env["project.project"].create(
            {"name": "Existing CRM project", "company_id": self.env.company.id}
        )
        plan.write({"project_id": free.id})
        plan.action_submit()
        free.sudo().lianghua_request_id = taken.lianghua_request_id
        self._review(plan, self.dept_manager)
        with self.assertRefused(ValidationError, "carries out request"):
            self._review(plan, self.leader)
        self.assertUnchanged(plan, {"state": "to_review"})

    def test_approved_plan_is_revised_during_the_project(self):
        plan = self._approved_plan()
        project, request = plan.project_id, plan.request_id
        go_live = project.milestone_ids.filtered(lambda m: m.name == "Go-live")
        revision = self.env["lianghua.plan"].browse(plan.action_revise()["res_id"])
        revision = revision.with_user(self.it_user)
        self.assertEqual(revision.project_id, project)
        later = self.today + relativedelta(months=4)
        revision.milestone_ids.filtered(lambda m: m.name == "Go-live").date_deadline = later
        revision.action_submit()
        self._review(revision, self.dept_manager)
        self._review(revision, self.leader)
        self.assertRecordValues(revision, [{"state": "approved", "project_id": project.id}])
        self.assertEqual(plan.state, "superseded")
        self.assertRecordValues(request, [{"state": "in_implementation", "project_id": project.id}])
        self.assertRecordValues(
            project, [{"lianghua_plan_id": revision.id, "lianghua_request_id": request.id}]
        )
        self.assertEqual(len(project.milestone_ids), 2, "the same milestones, moved")
        self.assertRecordValues(go_live, [{"deadline": later, "lianghua_baseline_deadline": later}])

    def test_no_revision_once_delivered(self):
        plan = self._approved_plan()
        revision = self.env["lianghua.plan"].browse(plan.action_revise()["res_id"])
        plan.project_id.sudo().lianghua_delivered = True
        with self.assertRefused(UserError, "no longer waiting for a plan"):
            revision.with_user(self.it_user).action_submit()
        self.assertUnchanged(revision, {"state": "draft"})


@tagged("post_install", "-at_install")
class TestSubmitterAndReviewers(LianghuaServiceCommon):
    """A tier naming someone waits for them, whoever submits."""

    def test_it_submits_a_change_the_department_manager_still_reviews(self):
        project = self._approved_plan().project_id
        change = self.env["lianghua.change.request"].with_user(self.it_user).create(
            {"project_id": project.id, "title": "Export visits",
             "requested_by": self.dept_manager.id,
             "description": "<p>Export visits to Excel.</p>", "reason": "Reporting.",
             "impact_scope": "One report."}
        )  # fmt: skip
        change.action_submit()
        self.assertEqual(
            change.review_ids.sorted("sequence").mapped("status"),
            ["pending", "waiting"],
            "the department manager did not submit it: his review waits for him",
        )
        with self.assertRefused(UserError, "not waiting for your approval"):
            change.with_user(self.it_user).validate_tier()
        self._review(change, self.dept_manager)
        self._review(change, self.leader)
        self.assertEqual(change.state, "approved")

    def test_whoever_submits_does_not_decide(self):
        project = self._approved_plan().project_id
        self.leader.groups_id |= self.env.ref("lianghua_service.group_lianghua_it_user")
        change = self.env["lianghua.change.request"].with_user(self.dept_manager).create(
            {"project_id": project.id, "title": "Export visits",
             "description": "<p>Export visits to Excel.</p>", "reason": "Reporting.",
             "impact_scope": "One report."}
        )  # fmt: skip
        change.with_user(self.leader).action_submit()  # the leader, also in IT, submits it
        self._review(change, self.dept_manager)
        with self.assertRefused(UserError, "another approver must decide it"):
            change.with_user(self.leader).validate_tier()
        self.assertUnchanged(change, {"state": "to_approve"})


@tagged("post_install", "-at_install")
class TestProjectGuards(LianghuaServiceCommon):
    """The project's links, baselines and visibility belong to the workflow."""

    def setUp(self):
        super().setUp()
        self.plan = self._approved_plan()
        self.project = self.plan.project_id

    def test_workflow_fields_of_the_project(self):
        project = self.project.with_user(self.it_manager)
        for vals in (
            {"lianghua_delivered": True},
            {"lianghua_system_name": "Forged"},
            {"lianghua_request_id": False},
        ):
            with self.assertRefused(UserError, "set by its approval and acceptance"):
                project.write(vals)
        with self.assertRefused(UserError, "linked to a request by the approval"):
            project.create({"name": "Forged", "lianghua_request_id": self.plan.request_id.id})
        self.assertUnchanged(
            self.project,
            {"lianghua_delivered": False, "lianghua_request_id": self.plan.request_id.id},
        )
        with self.assertRefused(ValidationError, "at least every one week"):
            project.write({"lianghua_meeting_interval": 0})

    def test_baselined_milestones_move_through_change_requests(self):
        milestone = self.project.milestone_ids[0].with_user(self.it_manager)
        baseline = milestone.deadline
        with self.assertRefused(UserError, "moves through a change request"):
            milestone.write({"deadline": baseline + timedelta(days=7)})
        with self.assertRefused(UserError, "baseline comes from its approved solution plan"):
            milestone.write({"lianghua_baseline_deadline": baseline + timedelta(days=7)})
        with self.assertRefused(UserError, "moves through a change request"):
            milestone.unlink()
        self.assertUnchanged(
            milestone, {"deadline": baseline, "lianghua_baseline_deadline": baseline}
        )
        # Milestones outside the plan are the project's own.
        extra = milestone.create({"name": "Training", "project_id": self.project.id})
        extra.write({"deadline": self.future})
        extra.unlink()

    def test_project_is_seen_by_its_people_only(self):
        project = self.project
        self.assertEqual(project.privacy_visibility, "followers")
        self.assertLessEqual(
            (self.it_user | self.requester | self.dept_manager).partner_id,
            project.message_partner_ids,
        )
        update = self.env["project.update"].create(
            {"project_id": project.id, "name": "Week 1", "status": "on_track"}
        )
        task = self.env["project.task"].create({"name": "API keys", "project_id": project.id})
        records = [project, update, task, project.milestone_ids[0]]
        for user in (self.colleague, self.dept_manager, self.leader, self.auditor, self.it_user):
            for record in records:
                with self.subTest(user=user.login, model=record._name):
                    self.assertEqual(
                        record.with_user(user).search([("id", "=", record.id)]), record
                    )
        for record in records:
            with self.subTest(model=record._name):
                self.assertFalse(
                    record.with_user(self.requester_prod).search([("id", "=", record.id)])
                )
                with self.assertRaises(AccessError):
                    record.with_user(self.requester_prod).read(["display_name"])
                with self.assertRaises(AccessError):
                    record.with_user(self.auditor).write({"name": "Audited"})
        # IT works on the tasks of the project; the team follows it.
        task.with_user(self.it_user).write({"name": "API keys and secrets"})
        self.env["lianghua.project.member"].with_user(self.it_user).create(
            {"project_id": project.id, "user_id": self.it_manager.id, "role": "tester"}
        )
        self.assertIn(self.it_manager.partner_id, project.message_partner_ids)


@tagged("post_install", "-at_install")
class TestMeetingGuards(LianghuaServiceCommon):
    """Meetings planned from today, issues frozen with the minutes."""

    def setUp(self):
        super().setUp()
        self.project = self._approved_plan().project_id
        self.Meeting = self.env["lianghua.meeting"].with_user(self.it_user)

    def _recorded_meeting(self, **vals):
        meeting = self.Meeting.create(
            {"project_id": self.project.id, "minutes": "<p>Status.</p>", **vals}
        )
        meeting.action_done()
        return meeting

    def test_cron_does_not_plan_meetings_in_the_past(self):
        self.project.with_user(self.it_manager).write(
            {"lianghua_next_meeting": self.today - timedelta(weeks=5, days=2),
             "lianghua_meeting_interval": 1, "lianghua_meeting_unit": "week"}
        )  # fmt: skip
        Project = self.env["project.project"]
        Project._cron_schedule_lianghua_meetings()
        Project._cron_schedule_lianghua_meetings()
        Project._cron_schedule_lianghua_meetings()
        meetings = self.env["lianghua.meeting"].search([("project_id", "=", self.project.id)])
        first = self.today + timedelta(days=5)  # the next date of the series from today
        self.assertEqual(
            sorted(meetings.mapped(lambda m: m.date.date())), [first], "no missed meeting"
        )
        self.assertEqual(self.project.lianghua_next_meeting, first + timedelta(weeks=1))

    def test_issues_are_frozen_with_the_minutes(self):
        meeting = self._recorded_meeting(
            issue_ids=[
                Command.create({"name": "Keys", "owner_id": self.it_user.id,
                                "deadline": self.future})
            ]
        )  # fmt: skip
        Issue = self.env["lianghua.meeting.issue"].with_user(self.it_user)
        with self.assertRefused(UserError, "are recorded: follow its issues"):
            Issue.create({"meeting_id": meeting.id, "name": "Late", "owner_id": self.it_user.id,
                          "deadline": self.future})  # fmt: skip
        issue = meeting.issue_ids.with_user(self.it_user)
        with self.assertRefused(UserError, "are recorded: follow its issues"):
            issue.write({"deadline": self.today})
        with self.assertRefused(UserError, "are recorded: follow its issues"):
            issue.unlink()
        self.assertUnchanged(issue, {"deadline": self.future, "state": "open"})

    def test_only_recorded_issues_carry_over(self):
        draft = self.Meeting.create(
            {"project_id": self.project.id, "issue_ids": [
                Command.create({"name": "Idea", "owner_id": self.it_user.id,
                                "deadline": self.future})]}
        )  # fmt: skip
        recorded = self._recorded_meeting(
            issue_ids=[
                Command.create({"name": "Confirm fields", "owner_id": self.dept_manager.id,
                                "deadline": self.future, "follow_up": "activity"})
            ]
        )  # fmt: skip
        following = self.Meeting.create({"project_id": self.project.id})
        self.assertEqual(following.carried_issue_ids, recorded.issue_ids)
        self.assertNotIn(draft.issue_ids, following.carried_issue_ids)
        # A cancelled follow-up closes its issue.
        recorded.issue_ids.activity_id.with_user(self.dept_manager).unlink()
        self.assertEqual(recorded.issue_ids.state, "done")
        self.assertFalse(self.Meeting.create({"project_id": self.project.id}).carried_issue_ids)

    def test_project_update_escapes_the_issues(self):
        meeting = self._recorded_meeting(
            decisions="<p>Go on.</p>",
            issue_ids=[
                Command.create({"name": "<script>alert(1)</script>", "owner_id": self.it_user.id,
                                "deadline": self.future})
            ],
        )  # fmt: skip
        description = str(meeting.update_id.description)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", description)
        self.assertNotIn("<script>", description)
        self.assertIn("<p>Go on.</p>", description)


@tagged("post_install", "-at_install")
class TestChangeGuards(LianghuaServiceCommon):
    """A change request applies to a project in progress, at submission and approval."""

    def test_no_change_once_delivered(self):
        project = self._approved_plan().project_id
        Change = self.env["lianghua.change.request"].with_user(self.dept_manager)
        vals = {"project_id": project.id, "title": "Export visits",
                "description": "<p>Export visits to Excel.</p>", "reason": "Reporting.",
                "impact_scope": "One report."}  # fmt: skip
        submitted, draft = Change.create(vals), Change.create(vals)
        submitted.action_submit()
        project.sudo().lianghua_delivered = True
        with self.assertRefused(UserError, "project in progress"):
            draft.action_submit()
        with self.assertRefused(UserError, "project in progress"):
            self._review(submitted, self.leader)
        self.assertUnchanged(submitted, {"state": "to_approve"})
        self.assertUnchanged(draft, {"state": "draft"})
        with self.assertRefused(UserError, "project in progress"):
            Change.create(vals)


@tagged("post_install", "-at_install")
class TestAcceptanceGuards(LianghuaServiceCommon):
    """The business forms the group; the configuration says what is required."""

    def setUp(self):
        super().setUp()
        self.project = self._approved_plan().project_id

    def test_the_group_is_the_business(self):
        self._golive(self.project)
        acceptance = self._filed_acceptance(self.project)
        group = {"member_ids": [Command.create({"user_id": self.requester.id})]}
        with self.assertRefused(UserError, "not yours to change at this step"):
            acceptance.with_user(self.it_manager).write(group)
        with self.assertRaises(AccessError):  # another department does not even see it
            acceptance.with_user(self.dept_manager_prod).write(group)
        mine = acceptance.with_user(self.dept_manager)
        mine.write(
            {"member_ids": [Command.create({"user_id": self.it_user.id, "is_leader": True})]}
        )
        with self.assertRefused(ValidationError, "Lh It delivered the project"):
            mine.action_start_assessment()
        mine.member_ids.unlink()
        mine.write(
            {"member_ids": [Command.create({"user_id": self.requester.id, "is_leader": True})]}
        )
        self.env["lianghua.acceptance.criterion"].search([]).active = False
        with self.assertRefused(UserError, "Configure the acceptance criteria"):
            mine.action_start_assessment()
        self.assertUnchanged(acceptance, {"state": "submitted"})
        with self.assertRefused(UserError, "set up by the acceptance"):
            self.env["lianghua.acceptance.assessment"].with_user(self.requester).create(
                {"acceptance_id": acceptance.id, "user_id": self.requester.id}
            )

    def test_required_documents_come_from_the_configuration(self):
        self._golive(self.project)
        acceptance = (
            self.env["lianghua.acceptance"]
            .with_user(self.it_user)
            .create({"project_id": self.project.id, "system_name": "CRM Mobile"})
        )
        manual = acceptance.deliverable_ids.filtered(lambda d: d.type_id.name == "User Manual")
        manual_type = manual.type_id
        manual.unlink()
        for line in acceptance.deliverable_ids:
            line.attachment_ids = self._attach(acceptance, f"{line.type_id.name}.pdf")
        with self.assertRefused(ValidationError, "User Manual"):
            acceptance.action_submit()
        self.assertUnchanged(acceptance, {"state": "draft"})
        # An uploaded document becomes the acceptance's, readable with it.
        upload = (
            self.env["ir.attachment"]
            .with_user(self.it_user)
            .create({"name": "manual.pdf", "raw": b"%PDF-1.4 manual"})
        )
        acceptance.deliverable_ids = [
            Command.create({"type_id": manual_type.id, "attachment_ids": [upload.id]})
        ]
        self.assertRecordValues(
            upload, [{"res_model": "lianghua.acceptance", "res_id": acceptance.id}]
        )
        acceptance.action_submit()
        self.assertEqual(acceptance.state, "submitted")

    def test_required_check_items_come_from_the_template(self):
        Check = self.env["lianghua.quality.check"].with_user(self.it_user)
        check = Check.create({"project_id": self.project.id, "kind": "go_live"})
        required = check.line_ids.filtered("required")
        self.assertTrue(required)
        with self.assertRefused(UserError, "come from its template"):
            required[0].write({"required": False})
        with self.assertRefused(UserError, "come from its template"):
            required[0].unlink()
        check.line_ids = [Command.create({"name": "Extra", "required": True})]
        self.assertFalse(check.line_ids.filtered(lambda line: line.name == "Extra").required)
        bare = Check.create(
            {"project_id": self.project.id, "kind": "go_live", "template_id": False}
        )
        bare.line_ids = [Command.create({"name": "All fine", "result": "pass"})]
        with self.assertRefused(ValidationError, "needs the items of its template"):
            bare.action_done()
        self.assertUnchanged(bare, {"state": "draft"})

    def test_critical_defects_are_for_the_it_manager(self):
        defect = (
            self.env["lianghua.defect"]
            .with_user(self.it_user)
            .create({"name": "Data loss", "project_id": self.project.id, "severity": "critical"})
        )
        with self.assertRefused(UserError, "Only an IT manager lowers the severity"):
            defect.write({"severity": "minor"})
        with self.assertRefused(UserError, "Only an IT manager decides"):
            defect.action_reject()
        self.assertUnchanged(defect, {"severity": "critical", "state": "open"})
        defect.with_user(self.it_manager).action_reject()
        self.assertEqual(defect.state, "rejected")


@tagged("post_install", "-at_install")
class TestSecondLookGuards(LianghuaServiceCommon):
    """Ways around the workflow found in review, closed."""

    def setUp(self):
        super().setUp()
        self.plan = self._approved_plan()
        self.project = self.plan.project_id

    def test_lines_stay_in_their_document(self):
        Check = self.env["lianghua.quality.check"].with_user(self.it_user)
        golive = Check.create({"project_id": self.project.id, "kind": "go_live"})
        review = Check.create({"project_id": self.project.id, "kind": "requirement_review"})
        with self.assertRefused(UserError, "stays in it"):
            golive.line_ids.filtered("required").write({"check_id": review.id})
        with self.assertRefused(UserError, "keeps its kind, template and project"):
            review.write({"kind": "go_live"})
        with self.assertRefused(ValidationError, "not for this kind of check"):
            Check.create(
                {"project_id": self.project.id, "kind": "go_live",
                 "template_id": review.template_id.id}
            )  # fmt: skip
        self.assertUnchanged(review, {"kind": "requirement_review"})
        self._golive(self.project)
        filed = self._filed_acceptance(self.project)
        draft = (
            self.env["lianghua.acceptance"]
            .with_user(self.it_user)
            .create({"project_id": self._approved_plan().project_id.id})
        )
        with self.assertRefused(UserError, "stays in it"):
            draft.deliverable_ids[0].write({"acceptance_id": filed.id})
        with self.assertRefused(UserError, "stays in it"):
            self._draft_plan().milestone_ids[0].write({"plan_id": self.plan.id})
        other = self.env["project.milestone"].create(
            {"name": "Elsewhere", "project_id": self.env["project.project"].create(
                {"name": "Another project"}).id}
        )  # fmt: skip
        revision = self.env["lianghua.plan"].browse(self.plan.action_revise()["res_id"])
        with self.assertRefused(UserError, "meets the project's when the plan is approved"):
            revision.milestone_ids[0].with_user(self.it_user).write(
                {"project_milestone_id": other.id}
            )
        self.assertEqual(len(filed.deliverable_ids), 4)

    def test_an_older_version_does_not_replace_the_live_plan(self):
        request = self._accepted_request()
        first = self._draft_plan(request)
        first.action_submit()
        self._review(first, self.dept_manager, "reject", "Start again.")
        fresh = self._draft_plan(request)  # a new plan rather than a revision
        fresh.action_submit()
        self._review(fresh, self.dept_manager)
        self._review(fresh, self.leader)
        project = fresh.project_id
        old = self.env["lianghua.plan"].browse(first.action_revise()["res_id"])
        old = old.with_user(self.it_user)
        old.sudo().project_id = project
        with self.assertRefused(UserError, "no longer waiting for a plan"):
            old.action_submit()
        self.assertEqual(project.lianghua_plan_id, fresh)
        with self.assertRefused(UserError, "has a plan in progress already"):
            fresh.with_user(self.it_user).action_revise()

    def test_it_staff_run_their_projects_only(self):
        self.project.with_user(self.it_user).write(
            {"lianghua_meeting_interval": 1, "lianghua_meeting_unit": "month"}
        )
        other = self.env["project.project"].create({"name": "Warehouse relayout"})
        with self.assertRaises(AccessError):
            other.with_user(self.it_user).write({"name": "Mine"})
        other.with_user(self.it_user).write({"is_favorite": True})
        # An existing project chosen on a plan becomes followers-only too.
        plan = self._draft_plan()
        existing = self.env["project.project"].create(
            {"name": "Existing", "privacy_visibility": "employees"}
        )
        plan.write({"project_id": existing.id})
        plan.action_submit()
        self._review(plan, self.dept_manager)
        self._review(plan, self.leader)
        self.assertEqual(existing.privacy_visibility, "followers")

    def test_leaving_the_team_ends_the_visibility(self):
        Member = self.env["lianghua.project.member"].with_user(self.it_user)
        vendor = Member.create(
            {"project_id": self.project.id, "user_id": self.requester_prod.id,
             "role": "vendor_staff"}
        )  # fmt: skip
        Project = self.env["project.project"].with_user(self.requester_prod)
        self.assertEqual(Project.search([("id", "=", self.project.id)]), self.project)
        vendor.write({"user_id": self.dept_manager_prod.id})
        self.assertFalse(Project.search([("id", "=", self.project.id)]))
        vendor.unlink()
        self.assertFalse(
            Project.with_user(self.dept_manager_prod).search([("id", "=", self.project.id)])
        )
        self.assertIn(self.requester.partner_id, self.project.message_partner_ids)

    def test_critical_defects_stay_until_fixed(self):
        defect = (
            self.env["lianghua.defect"]
            .with_user(self.it_user)
            .create({"name": "Data loss", "project_id": self.project.id, "severity": "critical"})
        )
        other = self._approved_plan().project_id
        with self.assertRefused(UserError, "or moves it"):
            defect.write({"project_id": other.id})
        with self.assertRefused(UserError, "Only an IT manager deletes"):
            defect.unlink()
        self.assertUnchanged(defect, {"project_id": self.project.id})

    def test_only_own_uploads_join_an_acceptance(self):
        self._golive(self.project)
        acceptance = (
            self.env["lianghua.acceptance"]
            .with_user(self.it_user)
            .create({"project_id": self.project.id, "system_name": "CRM Mobile"})
        )
        theirs = (
            self.env["ir.attachment"]
            .with_user(self.it_manager)
            .create({"name": "draft.pdf", "raw": b"%PDF-1.4 draft"})
        )
        mine = (
            self.env["ir.attachment"]
            .with_user(self.it_user)
            .create({"name": "manual.pdf", "raw": b"%PDF-1.4 manual"})
        )
        acceptance.deliverable_ids[0].write(
            {"attachment_ids": [Command.link(theirs.id), Command.link(mine.id)]}
        )
        self.assertRecordValues(
            theirs | mine,
            [{"res_model": False, "res_id": 0},
             {"res_model": "lianghua.acceptance", "res_id": acceptance.id}],
        )  # fmt: skip
