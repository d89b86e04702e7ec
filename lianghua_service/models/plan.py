from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

IT_GROUP = "lianghua_service.group_lianghua_it_user"
# The sections a plan must fill before its review.
SECTIONS = ("overview", "technical_solution", "risk_assessment")


class LianghuaPlan(models.Model):
    _name = "lianghua.plan"
    _description = "Solution Plan"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.tier.mixin",
        "lianghua.document.mixin",
    ]
    _order = "request_id desc, version desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]
    _lianghua_sequence_code = "lianghua.plan"

    # Reviewed by the requesting department, then by company leaders.
    _state_from = ["to_review"]
    _state_to = ["approved"]
    _cancel_state = "cancel"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    title = fields.Char(required=True, tracking=True)
    request_id = fields.Many2one(
        "lianghua.request",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
        domain="[('state', '=', 'accepted')]",
    )
    evaluation_id = fields.Many2one(related="request_id.evaluation_id")
    department_id = fields.Many2one(related="request_id.department_id", store=True, index=True)
    department_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_department_manager_id",
        store=True,
        check_company=True,
        help="Reviews the plan for the requesting department.",
    )
    category_id = fields.Many2one(related="request_id.category_id", store=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    author_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("groups_id", "in", self.env.ref(IT_GROUP).ids)],
    )
    version = fields.Integer(default=1, readonly=True, copy=False)
    previous_id = fields.Many2one(
        "lianghua.plan",
        string="Previous Version",
        readonly=True,
        copy=False,
        check_company=True,
    )
    overview = fields.Html(string="Project Overview")
    technical_solution = fields.Html()
    implementation_plan = fields.Html(
        help="How the work is organised: team, method, phases. Dates go in the milestones."
    )
    milestone_ids = fields.One2many(
        "lianghua.plan.milestone", "plan_id", string="Milestones", copy=True
    )
    budget_line_ids = fields.One2many(
        "lianghua.plan.budget.line", "plan_id", string="Budget", copy=True
    )
    budget_total = fields.Monetary(
        string="Total Budget", compute="_compute_budget_total", store=True, tracking=True
    )
    risk_assessment = fields.Html(string="Risk Assessment and Responses")
    project_id = fields.Many2one(
        "project.project",
        tracking=True,
        copy=False,
        check_company=True,
        domain="[('lianghua_request_id', 'in', [False, request_id])]",
        help="Leave empty to create the project on approval, or choose an existing project "
        "to carry out the plan.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_review", "Under Review"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("superseded", "Superseded"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        default="draft",
    )
    rejection_reason = fields.Text(readonly=True, copy=False)
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False)
    version_count = fields.Integer(compute="_compute_version_count")
    is_it_user = fields.Boolean(compute="_compute_is_it_user")

    @api.depends("department_id.manager_id.user_id")
    def _compute_department_manager_id(self):
        for plan in self:
            plan.department_manager_id = plan.department_id.manager_id.user_id

    @api.depends("budget_line_ids.amount")
    def _compute_budget_total(self):
        for plan in self:
            plan.budget_total = sum(plan.budget_line_ids.mapped("amount"))

    def _compute_version_count(self):
        counts = dict(
            self._read_group(
                [("request_id", "in", self.request_id.ids)], ["request_id"], ["__count"]
            )
        )
        for plan in self:
            plan.version_count = counts.get(plan.request_id, 0)

    @api.depends_context("uid")
    def _compute_is_it_user(self):
        self.is_it_user = self._lianghua_is_it()

    @api.constrains("author_id")
    def _check_author_id(self):
        it_group = self.env.ref(IT_GROUP)
        for plan in self:
            if it_group not in plan.author_id.groups_id:
                raise ValidationError(
                    _(
                        "%(user)s is not in IT: a solution plan is written by IT.",
                        user=plan.author_id.name,
                    )
                )

    @api.constrains("project_id", "request_id")
    def _check_project_id(self):
        for plan in self:
            carries = plan.project_id.lianghua_request_id
            if carries and carries != plan.request_id:
                raise ValidationError(
                    _(
                        "Project %(project)s carries out request %(request)s already.",
                        project=plan.project_id.name,
                        request=carries.name,
                    )
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        requests = self._lianghua_vals_records(vals_list, "request_id")
        if not self.env.su:
            self._check_it()
            # A plan is written for its request: the rest is the workflow's.
            self._lianghua_check_workflow_fields(
                vals_list,
                _("The status of a plan changes only through its buttons."),
                allowed={"request_id"},
            )
            if any(request.state != "accepted" for request in requests):
                raise UserError(_("A solution plan is written for an accepted request."))
            self._check_no_plan_in_progress(requests)
        for vals, request in zip(vals_list, requests, strict=True):
            vals.setdefault("title", request.title)
        self._lianghua_assign_numbers(vals_list, [request.company_id for request in requests])
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._lianghua_check_workflow_fields(
                [vals], _("The status of a plan changes only through its buttons.")
            )
            if self._lianghua_user_fields(vals):
                self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(_("Only a draft plan can be deleted."))

    @api.depends("name", "version", "title")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = _(
                "%(name)s v%(version)s %(title)s",
                name=plan.name,
                version=plan.version,
                title=plan.title or "",
            )

    # Actions

    def action_submit(self):
        self._check_can_submit()
        self._do_submit()
        return True

    def action_revise(self):
        """A new draft version of a rejected (or approved) plan."""
        self.ensure_one()
        self._check_can_revise()
        revision = self.sudo().copy(  # the workflow sets the version fields
            {
                "name": self.name,
                "version": self.version + 1,
                "previous_id": self.id,
                "project_id": self.project_id.id,
            }
        )
        return revision.with_env(self.env)._get_lianghua_form_action()

    def action_cancel(self):
        self._check_can_cancel()
        plans_sudo = self.sudo()  # the status is written by the workflow only
        plans_sudo.write({"state": "cancel"})
        return True

    def action_view_versions(self):
        self.ensure_one()
        return self.request_id._get_lianghua_records_action(
            "lianghua_service.lianghua_plan_action", "request_id", create=False
        )

    def action_view_evaluation(self):
        self.ensure_one()
        return self.evaluation_id._get_lianghua_form_action()

    def action_view_request(self):
        self.ensure_one()
        return self.request_id._get_lianghua_form_action()

    def action_view_project(self):
        self.ensure_one()
        return self.project_id._get_lianghua_form_action()

    # Hooks (lianghua.document.mixin)

    def _get_workflow_fields(self):
        # The reviewer comes from the department.
        return super()._get_workflow_fields() | {
            "state",
            "request_id",
            "version",
            "previous_id",
            "rejection_reason",
            "department_manager_id",
            "date_approved",
        }

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "lianghua_plan_one_in_progress": (
                ("request_id",),
                "state IN ('draft', 'to_review')",
                lambda: self.env._(
                    "This request has a plan in progress already: finish or cancel it first."
                ),
            ),
            "lianghua_plan_one_revision": (
                ("previous_id",),
                "previous_id IS NOT NULL",
                lambda: self.env._("This plan has been revised already."),
            ),
        }

    # Approval (lianghua.tier.mixin)

    def _approval_submitter(self):
        self.ensure_one()
        return self.author_id

    def _on_approved(self):
        self._do_approve()

    def _on_rejected(self, reason):
        plans_sudo = self.sudo()  # the status is written by the workflow only
        plans_sudo.write({"state": "rejected", "rejection_reason": reason})
        for plan in self:
            plan_sudo = plan.sudo()  # the reviewer may only read the plan
            plan_sudo.message_post(
                body=_("Plan rejected: %(reason)s", reason=reason),
                partner_ids=plan.author_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    # Business

    def _lianghua_it_only_message(self):
        return _("Solution plans are written by IT.")

    def _check_editable(self):
        """A plan, its milestones and budget change while it is a draft, by IT."""
        if self.env.su:
            return
        self._check_it()
        locked = self.filtered(lambda plan: plan.state != "draft")
        if locked:
            raise UserError(
                _(
                    "Plan %(name)s is no longer a draft: revise it to change it.",
                    name=locked[0].display_name,
                )
            )

    def _check_can_submit(self):
        self._check_it()
        for plan in self:
            if plan.state != "draft":
                raise UserError(_("Plan %(name)s is not a draft.", name=plan.display_name))
            plan._check_request_open()
            missing = [
                plan._fields[name].get_description(self.env)["string"]
                for name in SECTIONS
                if is_html_empty(plan[name])
            ]
            if not plan.milestone_ids:
                missing.append(_("Milestones"))
            if not plan.budget_line_ids:
                missing.append(_("Budget"))
            if missing:
                raise ValidationError(
                    _(
                        "Plan %(name)s cannot be reviewed without: %(sections)s.",
                        name=plan.display_name,
                        sections=", ".join(missing),
                    )
                )
            if not plan.department_manager_id:
                raise ValidationError(
                    _(
                        "%(department)s has no manager to review the plan: set one on the "
                        "department.",
                        department=plan.department_id.name,
                    )
                )

    def _check_can_revise(self):
        self._check_it()
        for plan in self:
            if plan.state not in ("rejected", "approved"):
                raise UserError(_("Only a rejected or approved plan can be revised."))
            if self.search_count([("previous_id", "=", plan.id)]):
                raise UserError(
                    _("Plan %(name)s has been revised already.", name=plan.display_name)
                )
        self._check_no_plan_in_progress(self.request_id)

    def _check_can_cancel(self):
        self._check_it()
        if any(plan.state not in ("draft", "to_review") for plan in self):
            raise UserError(_("Only a draft plan, or one under review, can be cancelled."))

    @api.model
    def _check_no_plan_in_progress(self, requests):
        live = self.search(
            [("request_id", "in", requests.ids), ("state", "in", ("draft", "to_review"))],
            limit=1,
        )
        if live:
            raise UserError(
                _(
                    "Request %(request)s has a plan in progress already: %(plan)s.",
                    request=live.request_id.name,
                    plan=live.display_name,
                )
            )

    def _check_request_open(self):
        """A plan is reviewed and approved while its request waits for one or,
        for a revision, while the request's project is in progress."""
        self.ensure_one()
        request = self.request_id
        project = request.project_id
        revises_live_project = (
            request.state == "in_implementation"
            and self.previous_id
            and self.previous_id == project.lianghua_plan_id
            and self.project_id == project
            and not project.lianghua_delivered
        )
        if request.state != "accepted" and not revises_live_project:
            raise UserError(
                _(
                    "Request %(request)s is no longer waiting for a plan.",
                    request=request.name,
                )
            )

    def _do_submit(self):
        plans_sudo = self.sudo()  # the status is written by the workflow only
        plans_sudo.write({"state": "to_review"})
        self._request_approval()

    def _do_approve(self):
        for plan in self:
            plan._check_request_open()
        self._check_project_id()  # another request may have taken the project meanwhile
        plans_sudo = self.sudo()  # the workflow creates the project for IT
        plans_sudo.write({"state": "approved", "date_approved": fields.Datetime.now()})
        for plan_sudo in plans_sudo:
            project_sudo = plan_sudo.project_id or self.env["project.project"].sudo().create(
                plan_sudo._prepare_project_vals()
            )
            # The project followed an earlier approved version until now.
            earlier_sudo = project_sudo.lianghua_plan_id - plan_sudo
            earlier_sudo.filtered(lambda p: p.state == "approved").state = "superseded"
            project_sudo.write(
                {
                    # An existing project shared by the companies becomes the
                    # request's company's, as its documents are.
                    "company_id": plan_sudo.company_id.id,
                    "lianghua_plan_id": plan_sudo.id,
                    "lianghua_request_id": plan_sudo.request_id.id,
                    "allow_milestones": True,
                    # Seen by its followers (the team, the requester, the
                    # department's manager), IT, leaders and auditors: see the
                    # record rules.
                    "privacy_visibility": "followers",
                }
            )
            plan_sudo.project_id = project_sudo
            plan_sudo.milestone_ids._sync_project_milestones(project_sudo)
            project_sudo._lianghua_subscribe_team()
            plan_sudo.request_id._do_start_implementation(project_sudo)

    def _prepare_project_vals(self):
        self.ensure_one()
        return {
            "name": f"{self.request_id.name} {self.title}",
            "user_id": self.author_id.id,
            "company_id": self.company_id.id,
            "date_start": min(self.milestone_ids.mapped(lambda m: m.date_start or m.date_deadline)),
            "date": max(self.milestone_ids.mapped("date_deadline")),
            "description": self.overview,
            "lianghua_member_ids": [
                Command.create({"user_id": self.author_id.id, "role": "project_manager"}),
                Command.create(
                    {"user_id": self.request_id.requester_id.id, "role": "business_contact"}
                ),
            ],
        }
