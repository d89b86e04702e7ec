from datetime import datetime, time

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.project.models.project_task import CLOSED_STATES


class LianghuaMeetingIssue(models.Model):
    _name = "lianghua.meeting.issue"
    _description = "Meeting Issue"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "meeting_id"
    _order = "state, deadline, id"

    meeting_id = fields.Many2one(
        "lianghua.meeting",
        string="Raised At",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    project_id = fields.Many2one(related="meeting_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)
    department_id = fields.Many2one(related="meeting_id.department_id", store=True)
    name = fields.Char(string="Issue", required=True)
    owner_id = fields.Many2one("res.users", required=True, check_company=True)
    deadline = fields.Date(required=True)
    follow_up = fields.Selection(
        [("task", "Task"), ("activity", "Activity")],
        string="Follow-up",
        required=True,
        default="task",
        help="When the minutes are recorded, the issue becomes a task of the project or an "
        "activity of the meeting, for its owner.",
    )
    task_id = fields.Many2one(
        "project.task", readonly=True, ondelete="set null", check_company=True
    )
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")],
        string="Status",
        compute="_compute_state",
        store=True,
        index=True,
    )

    @api.depends("task_id.state", "activity_id.active", "follow_up", "meeting_id.state")
    def _compute_state(self):
        for issue in self:
            if issue.task_id:
                done = issue.task_id.state in CLOSED_STATES
            elif issue.activity_id:
                done = not issue.activity_id.active
            else:
                # Follow-ups are created when the minutes are recorded: one
                # that is gone since was cancelled, which closes the issue.
                done = issue.meeting_id.state == "done"
            issue.state = "done" if done else "open"

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            meetings = self._lianghua_vals_records(vals_list, "meeting_id")
            meetings._check_issues_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if {"task_id", "activity_id"} & set(vals):
                raise UserError(_("An issue's follow-up is created when the minutes are recorded."))
            self.meeting_id._check_issues_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if not self.env.su:
            self.meeting_id._check_issues_editable()

    def _create_follow_ups(self):
        """Each issue becomes a task of the project, or an activity of the
        meeting, with its owner and deadline."""
        by_task = self.filtered(lambda i: i.follow_up == "task" and not i.task_id)
        tasks = self.env["project.task"].create(
            [
                {
                    "name": issue.name,
                    "project_id": issue.project_id.id,
                    "user_ids": [(6, 0, issue.owner_id.ids)],
                    "date_deadline": datetime.combine(issue.deadline, time(18, 0)),
                    "description": self.env._(
                        "Raised at %(meeting)s.", meeting=issue.meeting_id.name
                    ),
                }
                for issue in by_task
            ]
        )
        issues_sudo = self.sudo()  # the workflow links the follow-ups
        for issue_sudo, task in zip(
            issues_sudo.filtered(lambda i: i in by_task), tasks, strict=True
        ):
            issue_sudo.task_id = task
        for issue_sudo in issues_sudo.filtered(
            lambda i: i.follow_up == "activity" and not i.activity_id
        ):
            issue_sudo.activity_id = issue_sudo.meeting_id.activity_schedule(
                "lianghua_service.mail_activity_meeting_issue",
                date_deadline=issue_sudo.deadline,
                summary=issue_sudo.name,
                user_id=issue_sudo.owner_id.id,
            )
