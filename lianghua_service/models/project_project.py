from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

IT_GROUP = "lianghua_service.group_lianghua_it_user"


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["project.project", "lianghua.document.mixin", "lianghua.indicator.scope.mixin"]
    _check_company_auto = True
    _lianghua_indicator_field = "project_id"

    # The project's people, customer and stage are of its company (core
    # checks none of them).
    partner_id = fields.Many2one(check_company=True)
    user_id = fields.Many2one(check_company=True)
    stage_id = fields.Many2one(check_company=True)
    lianghua_request_id = fields.Many2one(
        "lianghua.request",
        string="Service Request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    lianghua_plan_id = fields.Many2one(
        "lianghua.plan", string="Solution Plan", readonly=True, copy=False, check_company=True
    )
    lianghua_department_id = fields.Many2one(
        related="lianghua_request_id.department_id", string="Requesting Department", store=True
    )
    lianghua_category_id = fields.Many2one(
        related="lianghua_request_id.category_id", string="Service Category", store=True
    )
    lianghua_member_ids = fields.One2many(
        "lianghua.project.member", "project_id", string="Project Team"
    )
    lianghua_meeting_ids = fields.One2many(
        "lianghua.meeting", "project_id", string="Progress Meetings"
    )
    lianghua_change_ids = fields.One2many(
        "lianghua.change.request", "project_id", string="Change Requests"
    )
    lianghua_check_ids = fields.One2many(
        "lianghua.quality.check", "project_id", string="Quality Checks"
    )
    lianghua_defect_ids = fields.One2many("lianghua.defect", "project_id", string="Defects")
    lianghua_acceptance_ids = fields.One2many(
        "lianghua.acceptance", "project_id", string="Acceptances"
    )
    lianghua_meeting_count = fields.Integer(
        string="Meeting Count", compute="_compute_lianghua_counts"
    )
    lianghua_change_count = fields.Integer(
        string="Change Count", compute="_compute_lianghua_counts"
    )
    lianghua_check_count = fields.Integer(
        string="Quality Check Count", compute="_compute_lianghua_counts"
    )
    lianghua_open_defect_count = fields.Integer(
        string="Open Defect Count", compute="_compute_lianghua_counts"
    )
    lianghua_acceptance_count = fields.Integer(
        string="Acceptance Count", compute="_compute_lianghua_counts"
    )
    lianghua_golive_ready = fields.Boolean(
        string="Go-live Checklist Complete", compute="_compute_lianghua_counts"
    )
    lianghua_meeting_interval = fields.Integer(
        string="Meet Every", default=2, help="Progress meetings are planned at this interval."
    )
    lianghua_meeting_unit = fields.Selection(
        [("week", "Weeks"), ("month", "Months")], string="Meeting Interval Unit", default="week"
    )
    lianghua_next_meeting = fields.Date(
        string="Next Progress Meeting",
        help="The next meeting is planned a week ahead of this date; leave empty to plan "
        "meetings by hand.",
    )
    lianghua_delivered = fields.Boolean(string="Delivered", readonly=True, copy=False)
    lianghua_date_delivered = fields.Date(string="Delivered On", readonly=True, copy=False)
    lianghua_system_id = fields.Many2one(
        "lianghua.system",
        string="Information System",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The system in the register the project built or upgraded.",
    )
    lianghua_system_name = fields.Char(
        string="Delivered System",
        readonly=True,
        copy=False,
        help="The information system the project delivered, handed over to O&M.",
    )

    @api.constrains("lianghua_meeting_interval")
    def _check_lianghua_meeting_interval(self):
        for project in self:
            if project.lianghua_meeting_interval < 1:
                raise ValidationError(
                    _(
                        "Progress meetings of %(project)s are planned at least every one week "
                        "or month.",
                        project=project.name,
                    )
                )

    def _compute_lianghua_counts(self):
        domain = [("project_id", "in", self.ids)]
        meetings = dict(
            self.env["lianghua.meeting"]._read_group(domain, ["project_id"], ["__count"])
        )
        changes = dict(
            self.env["lianghua.change.request"]._read_group(domain, ["project_id"], ["__count"])
        )
        checks = self.env["lianghua.quality.check"]._read_group(
            domain, ["project_id", "kind", "state"], ["__count"]
        )
        defects = dict(
            self.env["lianghua.defect"]._read_group(
                [*domain, ("state", "in", ("open", "fixed"))], ["project_id"], ["__count"]
            )
        )
        acceptances = dict(
            self.env["lianghua.acceptance"]._read_group(domain, ["project_id"], ["__count"])
        )
        check_counts, golive = {}, set()
        for project, kind, state, count in checks:
            check_counts[project] = check_counts.get(project, 0) + count
            if kind == "go_live" and state == "done":
                golive.add(project)
        for project in self:
            project.lianghua_meeting_count = meetings.get(project, 0)
            project.lianghua_change_count = changes.get(project, 0)
            project.lianghua_check_count = check_counts.get(project, 0)
            project.lianghua_open_defect_count = defects.get(project, 0)
            project.lianghua_acceptance_count = acceptances.get(project, 0)
            project.lianghua_golive_ready = project in golive

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._lianghua_check_workflow_fields(
            vals_list, _("A project is linked to a request by the approval of its plan.")
        )
        return super().create(vals_list)

    def write(self, vals):
        # IT staff work on the Lianghua projects (our access rights); other
        # projects stay the project administrators' (starring one is no change).
        if (
            not self.env.su
            and set(vals) - {"is_favorite"}
            and self.env.user.has_group(IT_GROUP)
            and not self.env.user.has_group("project.group_project_manager")
            and self.filtered(lambda project: not project.lianghua_request_id)
        ):
            raise AccessError(
                _("Only project administrators change projects outside Lianghua Services.")
            )
        self._lianghua_check_workflow_fields(
            [vals],
            _(
                "The request, plan and delivery of a project are set by its approval and "
                "acceptance."
            ),
        )
        return super().write(vals)

    # Hooks (lianghua.document.mixin)

    def _get_workflow_fields(self):
        # Which request and plan the project carries out, and what it delivered.
        return super()._get_workflow_fields() | {
            "lianghua_request_id",
            "lianghua_plan_id",
            "lianghua_delivered",
            "lianghua_date_delivered",
            "lianghua_system_name",
            "lianghua_system_id",
        }

    # Actions

    def _get_lianghua_form_action(self):
        action = super()._get_lianghua_form_action()
        action["views"] = [(self.env.ref("project.edit_project").id, "form")]
        return action

    def action_lianghua_view_meetings(self):
        return self._lianghua_action("lianghua_service.lianghua_meeting_action")

    def action_lianghua_view_changes(self):
        return self._lianghua_action("lianghua_service.lianghua_change_request_action")

    def action_lianghua_view_checks(self):
        return self._lianghua_action("lianghua_service.lianghua_quality_check_action")

    def action_lianghua_view_defects(self):
        return self._lianghua_action("lianghua_service.lianghua_defect_action")

    def action_lianghua_view_acceptances(self):
        return self._lianghua_action("lianghua_service.lianghua_acceptance_action")

    def _lianghua_action(self, xmlid):
        """The project's records of one kind (meetings, changes, checks...)."""
        return self._get_lianghua_records_action(xmlid, "project_id")

    def action_lianghua_view_request(self):
        self.ensure_one()
        return self.lianghua_request_id._get_lianghua_form_action()

    def action_lianghua_view_evaluation(self):
        self.ensure_one()
        return self.lianghua_request_id.evaluation_id._get_lianghua_form_action()

    def action_lianghua_view_plan(self):
        self.ensure_one()
        return self.lianghua_plan_id._get_lianghua_form_action()

    # Business

    @api.model
    def _cron_schedule_lianghua_meetings(self, batch_size=100):
        """Plan the next progress meeting of each project a week ahead.

        One batch per call: the cron runs again while projects remain, and a
        rerun after a crash picks up where it stopped (a project's meeting and
        its next date are written in the same transaction).
        """
        domain = [
            ("lianghua_request_id", "!=", False),
            ("lianghua_delivered", "=", False),
            ("lianghua_next_meeting", "!=", False),
            ("lianghua_next_meeting", "<=", fields.Date.today() + timedelta(days=7)),
        ]
        projects = self.search(domain, limit=batch_size)
        projects._schedule_lianghua_meeting()
        self.env["ir.cron"]._notify_progress(
            done=len(projects), remaining=self.search_count(domain) if projects else 0
        )

    def _schedule_lianghua_meeting(self):
        Meeting = self.env["lianghua.meeting"]
        planned = {
            (meeting.project_id.id, meeting.date.date())
            for meeting in Meeting.search([("project_id", "in", self.ids), ("state", "=", "draft")])
        }
        vals_list = []
        today = fields.Date.context_today(self)
        for project in self:
            step = project.lianghua_meeting_interval or 1
            delta = (
                relativedelta(months=step)
                if project.lianghua_meeting_unit == "month"
                else relativedelta(weeks=step)
            )
            # After a pause (or a cron that did not run) the meetings go on
            # from today: missed dates are not planned in the past.
            first, missed = project.lianghua_next_meeting, 0
            while first + delta * missed < today:
                missed += 1
            day = first + delta * missed
            tz = pytz.timezone(project.user_id.tz or self.env.user.tz or "UTC")
            start = tz.localize(datetime.combine(day, time(9, 0))).astimezone(pytz.utc)
            if (project.id, start.date()) not in planned:
                vals_list.append(
                    {
                        "project_id": project.id,
                        "date": start.replace(tzinfo=None),
                        "organizer_id": (project.user_id or self.env.user).id,
                    }
                )
            project.lianghua_next_meeting = first + delta * (missed + 1)
        return Meeting.create(vals_list)

    def _check_lianghua_changeable(self):
        if any(not project.lianghua_plan_id or project.lianghua_delivered for project in self):
            raise UserError(
                _("Changes are requested against the approved plan of a project in progress.")
            )

    def _lianghua_subscribe_team(self, leaving=None):
        """Lianghua projects are visible to their followers: the team, the
        requester and the department's manager follow the project; people
        ``leaving`` the team stop following it, unless they stay in another
        role."""
        for project in self:
            request = project.lianghua_request_id
            partners = (
                project.lianghua_member_ids.partner_id
                | project.user_id.partner_id
                | request.requester_id.partner_id
                | request.department_id.manager_id.user_id.partner_id
            )
            project_sudo = project.sudo()  # the workflow subscribes the team
            project_sudo.message_subscribe(partner_ids=partners.ids)
            if leaving and leaving - partners:
                project_sudo.message_unsubscribe(partner_ids=(leaving - partners).ids)

    def _lianghua_deliver(self, system_name):
        """Accepted: the project is delivered and its system enters the register
        (an upgrade's system, named in the request, is already there)."""
        today = fields.Date.context_today(self)
        for project in self:
            request = project.lianghua_request_id
            system = project.lianghua_system_id or request.system_id
            if not system:
                system = (
                    self.env["lianghua.system"]
                    .sudo()
                    .create(
                        {
                            "name": system_name,
                            "company_id": project.company_id.id,
                            "department_id": request.department_id.id,
                            "it_owner_id": project.user_id.id,
                            "project_id": project.id,
                            "date_go_live": today,
                            "state": "live",
                        }
                    )
                )
            project.write(
                {
                    "lianghua_delivered": True,
                    "lianghua_date_delivered": today,
                    "lianghua_system_name": system_name,
                    "lianghua_system_id": system.id,
                }
            )
