from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

IT_GROUP = "lianghua_service.group_lianghua_it_user"


class LianghuaAcceptance(models.Model):
    """One round of acceptance of a project (项目验收).

    IT files the application with the deliverables; the requesting
    department forms the acceptance group; each member assesses the criteria;
    the group's leader concludes. A failed round lists rectifications; once
    they are done IT files the next round. Every round is kept.
    """

    _name = "lianghua.acceptance"
    _description = "Project Acceptance"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "project_id, round desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.acceptance"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        check_company=True,
        domain="[('lianghua_plan_id', '!=', False), ('lianghua_delivered', '=', False)]",
    )
    request_id = fields.Many2one(related="project_id.lianghua_request_id", store=True)
    department_id = fields.Many2one(related="project_id.lianghua_department_id", store=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    round = fields.Integer(default=1, readonly=True, copy=False)
    previous_id = fields.Many2one(
        "lianghua.acceptance",
        string="Previous Round",
        readonly=True,
        copy=False,
        check_company=True,
    )
    applicant_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("groups_id", "in", self.env.ref(IT_GROUP).ids)],
    )
    system_name = fields.Char(
        string="Delivered System",
        tracking=True,
        help="The information system the project hands over to operation and maintenance.",
    )
    summary = fields.Html(string="Results Overview")
    deliverable_ids = fields.One2many(
        "lianghua.acceptance.deliverable", "acceptance_id", string="Deliverables"
    )
    member_ids = fields.One2many(
        "lianghua.acceptance.member", "acceptance_id", string="Acceptance Group"
    )
    assessment_ids = fields.One2many(
        "lianghua.acceptance.assessment", "acceptance_id", string="Assessments"
    )
    rectification_ids = fields.One2many(
        "lianghua.rectification", "acceptance_id", string="Rectifications"
    )
    leader_id = fields.Many2one("res.users", string="Group Leader", compute="_compute_leader_id")
    conclusion_note = fields.Text(string="Conclusion")
    state = fields.Selection(
        [
            ("draft", "Preparing"),
            ("submitted", "Submitted"),
            ("assessing", "Under Assessment"),
            ("passed", "Passed"),
            ("failed", "Failed"),
        ],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        default="draft",
    )
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    date_concluded = fields.Datetime(string="Concluded On", readonly=True, copy=False)
    assessed_count = fields.Integer(compute="_compute_assessed")
    assessment_count = fields.Integer(compute="_compute_assessed")
    can_prepare = fields.Boolean(compute="_compute_user_rights")
    can_form_group = fields.Boolean(compute="_compute_user_rights")
    can_conclude = fields.Boolean(compute="_compute_user_rights")

    @api.depends("member_ids.is_leader", "member_ids.user_id")
    def _compute_leader_id(self):
        for acceptance in self:
            acceptance.leader_id = acceptance.member_ids.filtered("is_leader")[:1].user_id

    @api.depends("assessment_ids.result")
    def _compute_assessed(self):
        for acceptance in self:
            acceptance.assessment_count = len(acceptance.assessment_ids)
            acceptance.assessed_count = len(
                acceptance.assessment_ids.filtered(lambda a: a.result != "pending")
            )

    @api.depends_context("uid")
    @api.depends("state", "department_id", "member_ids.is_leader")
    def _compute_user_rights(self):
        su, user = self.env.su, self.env.user
        is_it = self._lianghua_is_it()
        managed = self.env["lianghua.request"]._managed_departments()
        for acceptance in self:
            acceptance.can_prepare = acceptance.state == "draft" and is_it
            acceptance.can_form_group = acceptance.state == "submitted" and (
                su or acceptance.department_id in managed
            )
            acceptance.can_conclude = acceptance.state == "assessing" and (
                su or acceptance.leader_id == user
            )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_it()
        projects = self._lianghua_vals_records(vals_list, "project_id")
        open_rounds = self.search(
            [("project_id", "in", projects.ids), ("state", "not in", ("passed", "failed"))]
        )
        types = self.env["lianghua.deliverable.type"].search(
            [("company_id", "in", [False, *projects.company_id.ids])]
        )
        for vals, project in zip(vals_list, projects, strict=True):
            if not self.env.su and (not project.lianghua_plan_id or project.lianghua_delivered):
                raise UserError(
                    _("Acceptance is requested for a project that carries out an approved plan.")
                )
            if open_rounds.filtered(lambda a, p=project: a.project_id == p):
                raise UserError(
                    _("Project %(project)s has an acceptance in progress.", project=project.name)
                )
            if "deliverable_ids" not in vals:
                vals["deliverable_ids"] = [
                    Command.create({"type_id": t.id})
                    for t in types
                    if t.company_id in (project.company_id, self.env["res.company"])
                ]
        self._lianghua_assign_numbers(vals_list, [project.company_id for project in projects])
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_writable(set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed(self):
        if any(acceptance.state != "draft" for acceptance in self):
            raise UserError(_("An acceptance that was filed is part of the project's history."))

    # Actions

    def action_submit(self):
        self._check_can_submit()
        self._do_submit()
        return True

    def action_start_assessment(self):
        self._check_can_start_assessment()
        self._do_start_assessment()
        return True

    def action_conclude(self):
        self._check_can_conclude()
        passed = self.filtered(
            lambda a: all(assessment.result == "pass" for assessment in a.assessment_ids)
        )
        passed._do_pass()
        (self - passed)._do_fail()
        return True

    def action_new_round(self):
        self.ensure_one()
        self._check_can_new_round()
        # The workflow opens the round, with the earlier documents and group.
        acceptance_sudo = self.sudo()
        next_round = acceptance_sudo.create(
            {
                "project_id": self.project_id.id,
                "round": self.round + 1,
                "previous_id": self.id,
                "applicant_id": self.env.uid,
                "system_name": self.system_name,
                "summary": self.summary,
                "deliverable_ids": [
                    Command.create(
                        {
                            "type_id": line.type_id.id,
                            "attachment_ids": [Command.set(line.attachment_ids.ids)],
                            "note": line.note,
                        }
                    )
                    for line in acceptance_sudo.deliverable_ids
                ],
                "member_ids": [
                    Command.create({"user_id": member.user_id.id, "is_leader": member.is_leader})
                    for member in acceptance_sudo.member_ids
                ],
            }
        )
        return next_round.with_env(self.env)._get_lianghua_form_action()

    def action_view_project(self):
        self.ensure_one()
        return self.project_id._get_lianghua_form_action()

    # Hooks (lianghua.document.mixin)

    def _get_writable_fields(self):
        """What each party may write by hand, and at which step; the rest is
        the workflow's."""
        return {
            "draft": {"system_name", "summary", "applicant_id", "deliverable_ids"},  # IT prepares
            "submitted": {"member_ids"},  # the business department forms the group
            "assessing": {"conclusion_note", "rectification_ids"},  # the group leader concludes
        }

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "lianghua_acceptance_one_open_round": (
                ("project_id",),
                "state NOT IN ('passed', 'failed')",
                lambda: self.env._("This project has an acceptance in progress already."),
            ),
            "lianghua_acceptance_one_next_round": (
                ("previous_id",),
                "previous_id IS NOT NULL",
                lambda: self.env._("The next round of this acceptance exists already."),
            ),
        }

    # Business

    def _lianghua_it_only_message(self):
        return _("IT files the acceptance of its projects.")

    def _check_deliverables_editable(self):
        """IT gathers the documents while preparing the application."""
        if self.env.su:
            return
        self._check_it()
        if any(acceptance.state != "draft" for acceptance in self):
            raise UserError(_("The documents of a filed acceptance can no longer be changed."))

    def _check_members(self):
        """The business accepts IT's delivery: neither the applicant nor IT staff
        sit in the group."""
        it_staff = self.env.ref(IT_GROUP).users
        for acceptance in self:
            insiders = acceptance.member_ids.user_id & (it_staff | acceptance.applicant_id)
            if insiders:
                raise ValidationError(
                    _(
                        "%(users)s delivered the project: the acceptance group is formed by "
                        "the business.",
                        users=", ".join(insiders.mapped("name")),
                    )
                )

    def _check_members_editable(self):
        """The requesting department forms the group once the application is filed."""
        if self.env.su:
            return
        for acceptance in self:
            if not acceptance.can_form_group:
                raise UserError(
                    _(
                        "The requesting department's manager forms the acceptance group of "
                        "%(name)s, once it is filed.",
                        name=acceptance.name,
                    )
                )

    def _check_writable(self, fnames):
        """Each party writes its part, at its step; the workflow the rest."""
        fnames = self._lianghua_user_fields(fnames)
        writable = self._get_writable_fields()
        for acceptance in self:
            allowed = writable.get(acceptance.state, set())
            refused = fnames - allowed
            if refused:
                raise UserError(
                    _(
                        "At this step of %(name)s, these can no longer be changed: %(fields)s.",
                        name=acceptance.name,
                        fields=", ".join(
                            sorted(
                                acceptance._fields[name].get_description(self.env)["string"]
                                for name in refused
                            )
                        ),
                    )
                )
            if not fnames:
                continue
            rights = {
                "draft": acceptance.can_prepare,
                "submitted": acceptance.can_form_group,
                "assessing": acceptance.can_conclude,
            }
            if not rights[acceptance.state]:
                raise UserError(
                    _(
                        "%(name)s is not yours to change at this step.",
                        name=acceptance.name,
                    )
                )

    def _check_can_submit(self):
        self._check_it()
        for acceptance in self:
            if acceptance.state != "draft":
                raise UserError(_("%(name)s has been filed already.", name=acceptance.name))
            if not acceptance.project_id.lianghua_golive_ready:
                raise UserError(
                    _(
                        "Complete the go-live checklist of %(project)s before requesting its "
                        "acceptance.",
                        project=acceptance.project_id.name,
                    )
                )
            documented = acceptance.deliverable_ids.filtered("attachment_ids").type_id
            missing = acceptance._required_deliverable_types() - documented
            if missing:
                raise ValidationError(
                    _(
                        "Attach the required documents first: %(documents)s.",
                        documents=", ".join(missing.mapped("name")),
                    )
                )
            if not acceptance.system_name:
                raise ValidationError(_("Name the system the project delivers."))

    def _required_deliverable_types(self):
        """The documents the configuration requires, whatever the lines say."""
        self.ensure_one()
        return self.env["lianghua.deliverable.type"].search(
            [("required", "=", True), ("company_id", "in", [False, self.company_id.id])]
        )

    def _do_submit(self):
        acceptances_sudo = self.sudo()  # the status is written by the workflow only
        acceptances_sudo.write({"state": "submitted", "date_submitted": fields.Datetime.now()})
        for acceptance_sudo in acceptances_sudo:
            manager = acceptance_sudo.department_id.manager_id.user_id
            if manager:
                acceptance_sudo.activity_schedule(
                    "lianghua_service.mail_activity_acceptance_group", user_id=manager.id
                )

    def _check_can_start_assessment(self):
        self._check_members_editable()
        self._check_members()
        for acceptance in self:
            leaders = acceptance.member_ids.filtered("is_leader")
            if not acceptance.member_ids or len(leaders) != 1:
                raise ValidationError(
                    _("The acceptance group needs members, one of them its leader.")
                )

    def _do_start_assessment(self):
        criteria = self.env["lianghua.acceptance.criterion"].search(
            [("company_id", "in", [False, *self.company_id.ids])]
        )
        if not criteria:
            raise UserError(_("Configure the acceptance criteria the group assesses first."))
        acceptances_sudo = self.sudo()  # the workflow writes the status and the sheets
        acceptances_sudo.write({"state": "assessing"})
        self.env["lianghua.acceptance.assessment"].sudo().create(
            [
                {"acceptance_id": member.acceptance_id.id, "user_id": member.user_id.id,
                 "criterion_id": criterion.id}
                for member in acceptances_sudo.member_ids
                for criterion in criteria
                if criterion.company_id in (member.company_id, self.env["res.company"])
            ]
        )  # fmt: skip
        acceptances_sudo.activity_feedback(["lianghua_service.mail_activity_acceptance_group"])
        for member in acceptances_sudo.member_ids:
            member.acceptance_id.activity_schedule(
                "lianghua_service.mail_activity_acceptance_assess", user_id=member.user_id.id
            )

    def _check_can_new_round(self):
        self._check_it()
        for acceptance in self:
            if acceptance.state != "failed":
                raise UserError(_("A new round follows a failed acceptance."))
            pending = acceptance.rectification_ids.filtered(lambda r: r.state != "done")
            if pending:
                raise UserError(
                    _(
                        "Rectify first: %(items)s.",
                        items=", ".join(pending.mapped("name")),
                    )
                )
            if self.search_count([("previous_id", "=", acceptance.id)]):
                raise UserError(
                    _("The next round of %(name)s exists already.", name=acceptance.name)
                )

    def _check_can_conclude(self):
        for acceptance in self:
            if not acceptance.can_conclude:
                raise UserError(
                    _(
                        "The leader of the acceptance group concludes %(name)s.",
                        name=acceptance.name,
                    )
                )
            if not acceptance.assessment_count or (
                acceptance.assessed_count < acceptance.assessment_count
            ):
                raise ValidationError(
                    _("Every member assesses every criterion before the conclusion.")
                )
            failed = any(a.result == "fail" for a in acceptance.assessment_ids)
            if failed and not acceptance.rectification_ids:
                raise ValidationError(
                    _(
                        "Some criteria failed: list what IT must rectify, with owners and "
                        "deadlines, before concluding."
                    )
                )

    def _do_pass(self):
        acceptances_sudo = self.sudo()  # the workflow delivers the project
        acceptances_sudo.write({"state": "passed", "date_concluded": fields.Datetime.now()})
        acceptances_sudo.activity_unlink(["lianghua_service.mail_activity_acceptance_assess"])
        for acceptance_sudo in acceptances_sudo:
            acceptance_sudo.project_id._lianghua_deliver(acceptance_sudo.system_name)
            acceptance_sudo.request_id._do_deliver(acceptance_sudo)

    def _do_fail(self):
        acceptances_sudo = self.sudo()  # the workflow plans the rectifications
        acceptances_sudo.write({"state": "failed", "date_concluded": fields.Datetime.now()})
        acceptances_sudo.activity_unlink(["lianghua_service.mail_activity_acceptance_assess"])
        for item in acceptances_sudo.rectification_ids:
            item.acceptance_id.activity_schedule(
                "lianghua_service.mail_activity_rectification",
                date_deadline=item.deadline,
                summary=item.name,
                user_id=item.owner_id.id,
            )
