from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, format_datetime, is_html_empty

IT_GROUP = "lianghua_service.group_lianghua_it_user"
PROGRESS_STATUS = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("off_track", "Off Track"),
    ("on_hold", "On Hold"),
]


class LianghuaMeeting(models.Model):
    _name = "lianghua.meeting"
    _description = "Progress Meeting"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, precompute=True, required=True
    )
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        check_company=True,
        domain="[('lianghua_request_id', '!=', False)]",
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    department_id = fields.Many2one(related="project_id.lianghua_department_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    organizer_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
    )
    attendee_ids = fields.Many2many("res.partner", string="Attendees", check_company=True)
    minutes = fields.Html()
    decisions = fields.Html()
    issue_ids = fields.One2many("lianghua.meeting.issue", "meeting_id", string="Issues Raised")
    carried_issue_ids = fields.Many2many(
        "lianghua.meeting.issue",
        "lianghua_meeting_carried_issue_rel",
        "meeting_id",
        "issue_id",
        string="Open Issues Carried Over",
        readonly=True,
        check_company=True,
        help="Issues of earlier meetings still open when this one was planned.",
    )
    progress_status = fields.Selection(
        PROGRESS_STATUS, string="Project Status", default="on_track", tracking=True
    )
    progress = fields.Integer(help="Progress of the project, in percent.", tracking=True)
    update_id = fields.Many2one("project.update", string="Project Update", readonly=True)
    state = fields.Selection(
        [("draft", "Planned"), ("done", "Minutes Recorded")],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        default="draft",
        tracking=True,
    )

    @api.depends("project_id", "date")
    def _compute_name(self):
        for meeting in self:
            if meeting.name or not meeting.date:
                continue
            meeting.name = _(
                "Progress meeting %(date)s",
                date=format_datetime(self.env, meeting.date, dt_format="short"),
            )

    @api.constrains("progress")
    def _check_progress(self):
        if any(not 0 <= meeting.progress <= 100 for meeting in self):
            raise ValidationError(_("Progress goes from 0 to 100 percent."))

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        meetings = super().create(vals_list)
        # The open issues of the project's earlier meetings are on the agenda.
        open_issues = self.env["lianghua.meeting.issue"].search(
            [
                ("project_id", "in", meetings.project_id.ids),
                ("meeting_id.state", "=", "done"),
                ("state", "=", "open"),
            ]
        )
        for meeting in meetings:
            carried = open_issues.filtered(
                lambda i, m=meeting: i.project_id == m.project_id and i.meeting_id != m
            )
            if carried:
                meeting.carried_issue_ids = carried
        return meetings

    def write(self, vals):
        if not self.env.su:
            if "state" in vals or "update_id" in vals:
                raise UserError(_("Record the minutes with the meeting's button."))
            done = self.filtered(lambda m: m.state == "done")
            if done and self._lianghua_user_fields(vals):
                raise UserError(
                    _("The minutes of %(name)s are recorded.", name=done[0].display_name)
                )
        return super().write(vals)

    # Actions

    def action_done(self):
        self._check_can_record()
        self._do_record()
        return True

    # Business

    def _check_can_record(self):
        if not self._lianghua_is_it():
            raise UserError(_("The project team records the minutes of its meetings."))
        for meeting in self:
            if meeting.state != "draft":
                raise UserError(
                    _("The minutes of %(name)s are recorded.", name=meeting.display_name)
                )
            if is_html_empty(meeting.minutes):
                raise ValidationError(
                    _("Write the minutes of %(name)s first.", name=meeting.display_name)
                )

    def _check_issues_editable(self):
        """Issues are raised until the minutes are recorded; then their
        tasks and activities carry them."""
        recorded = self.filtered(lambda m: m.state == "done")
        if recorded:
            raise UserError(
                _(
                    "The minutes of %(name)s are recorded: follow its issues through their "
                    "tasks and activities.",
                    name=recorded[0].display_name,
                )
            )

    def _do_record(self):
        meetings_sudo = self.sudo()  # the status is written by the workflow only
        meetings_sudo.write({"state": "done"})
        self.issue_ids._create_follow_ups()
        Update = self.env["project.update"]
        for meeting in self:
            update = Update.create(meeting._prepare_project_update())
            meeting_sudo = meeting.sudo()  # the workflow links the update
            meeting_sudo.update_id = update

    def _prepare_project_update(self):
        """The meeting reports the project's progress as an Odoo project update."""
        self.ensure_one()
        description = Markup(self.minutes or "")
        if not is_html_empty(self.decisions):
            description += Markup("<h3>%s</h3>%s") % (_("Decisions"), self.decisions)
        if self.issue_ids:
            items = Markup().join(
                Markup("<li>%s (%s, %s)</li>")
                % (issue.name, issue.owner_id.name, format_date(self.env, issue.deadline))
                for issue in self.issue_ids
            )
            description += Markup("<h3>%s</h3><ul>%s</ul>") % (_("Issues"), items)
        return {
            "project_id": self.project_id.id,
            "name": self.name,
            "status": self.progress_status,
            "progress": self.progress,
            "date": fields.Date.context_today(self, self.date),
            "description": description,
        }
