from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

# States in which the requester may still change what the request asks for.
EDITABLE_STATES = ("draft", "more_info")
# States after which the request is settled by its evaluation (or cancelled).
CLOSED_STATES = ("accepted", "in_implementation", "done", "rejected", "cancel")
IT_GROUP = "lianghua_service.group_lianghua_it_user"


class LianghuaRequest(models.Model):
    _name = "lianghua.request"
    _description = "Service Request"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.tier.mixin",
        "lianghua.document.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]
    _lianghua_sequence_code = "lianghua.request"

    # base_tier_validation: approvals (company leaders by default) stand
    # between "waiting for approval" and "to evaluate".
    _state_from = ["to_approve"]
    _state_to = ["to_evaluate"]
    _cancel_state = "cancel"

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: _("New"),
    )
    title = fields.Char(required=True, tracking=True)
    requester_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
    )
    department_id = fields.Many2one(
        "hr.department",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_department_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    urgency = fields.Selection(
        [("planned", "Planned"), ("urgent", "Urgent")],
        required=True,
        default="planned",
        tracking=True,
        help="Urgent requests go to the company leaders for approval before IT evaluates them.",
    )
    urgency_reason = fields.Text(string="Reason for Urgency")
    origin = fields.Selection(
        [("form", "Request Form"), ("demand_list", "Demand List")],
        required=True,
        default="form",
        readonly=True,
    )
    demand_item_id = fields.Many2one(
        "lianghua.demand.item",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    demand_list_id = fields.Many2one(related="demand_item_id.list_id", string="Demand List")
    service_type_id = fields.Many2one(
        "lianghua.service.type", required=True, tracking=True, check_company=True
    )
    system_id = fields.Many2one(
        "lianghua.system",
        string="Information System",
        tracking=True,
        check_company=True,
        index="btree_not_null",
        help="The system an upgrade or an extension concerns.",
    )
    category_id = fields.Many2one(related="service_type_id.category_id", store=True, index=True)
    background = fields.Text()
    description = fields.Html(string="Content")
    expected_goal = fields.Text()
    date_required = fields.Date(string="Required By", tracking=True)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Important"), ("2", "Very Important"), ("3", "Critical")],
        default="0",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "Waiting Approval"),
            ("to_evaluate", "To Evaluate"),
            ("evaluating", "Under Evaluation"),
            ("more_info", "More Information Needed"),
            ("accepted", "Accepted"),
            ("in_implementation", "In Implementation"),
            ("done", "Delivered"),
            ("rejected", "Rejected"),
            ("cancel", "Cancelled"),
        ],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        default="draft",
        group_expand="_expand_states",
    )
    evaluator_id = fields.Many2one(
        "res.users",
        tracking=True,
        check_company=True,
        compute="_compute_evaluator_id",
        store=True,
        readonly=False,
        domain=lambda self: [("groups_id", "in", self.env.ref(IT_GROUP).ids)],
    )
    evaluation_ids = fields.One2many("lianghua.evaluation", "request_id", string="Evaluations")
    evaluation_count = fields.Integer(compute="_compute_evaluation_count")
    evaluation_id = fields.Many2one(
        "lianghua.evaluation", string="Latest Evaluation", compute="_compute_evaluation_count"
    )
    plan_ids = fields.One2many("lianghua.plan", "request_id", string="Solution Plans")
    plan_count = fields.Integer(compute="_compute_plan_count")
    project_id = fields.Many2one("project.project", readonly=True, copy=False, check_company=True)
    rejection_reason = fields.Text(readonly=True, copy=False)
    info_requested = fields.Text(string="Information Requested", readonly=True, copy=False)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    date_concluded = fields.Datetime(string="Concluded On", readonly=True, copy=False)
    date_delivered = fields.Datetime(string="Delivered On", readonly=True, copy=False)

    can_submit = fields.Boolean(compute="_compute_user_rights")
    can_cancel = fields.Boolean(compute="_compute_user_rights")
    can_reset = fields.Boolean(compute="_compute_user_rights")
    can_evaluate = fields.Boolean(compute="_compute_user_rights")
    can_plan = fields.Boolean(compute="_compute_user_rights")
    is_it_user = fields.Boolean(compute="_compute_user_rights")

    @api.depends("requester_id")
    def _compute_department_id(self):
        for request in self:
            request.department_id = (
                request.requester_id._lianghua_home_department() or request.department_id
            )

    @api.depends("service_type_id", "company_id")
    def _compute_evaluator_id(self):
        # The IT contact of the service type in the request's company (one
        # per company on a shared type); never someone of another company.
        for request in self:
            company = request.company_id
            evaluator = (
                request.evaluator_id or request.service_type_id.with_company(company).it_user_id
            )
            # A user's companies, read as superuser as the ORM's company check does.
            evaluator_sudo = evaluator.sudo()
            allowed = company in evaluator_sudo.company_ids
            request.evaluator_id = evaluator if allowed else False

    def _compute_evaluation_count(self):
        groups = self.env["lianghua.evaluation"]._read_group(
            [("request_id", "in", self.ids)], ["request_id"], ["__count", "id:max"]
        )
        counts = {request: (count, last_id) for request, count, last_id in groups}
        for request in self:
            count, last_id = counts.get(request, (0, False))
            request.evaluation_count = count
            request.evaluation_id = last_id

    def _compute_plan_count(self):
        counts = dict(
            self.env["lianghua.plan"]._read_group(
                [("request_id", "in", self.ids)], ["request_id"], ["__count"]
            )
        )
        for request in self:
            request.plan_count = counts.get(request, 0)

    @api.depends_context("uid")
    @api.depends("state", "requester_id", "department_id")
    def _compute_user_rights(self):
        user, su = self.env.user, self.env.su
        is_it = self._lianghua_is_it()
        is_it_manager = su or user.has_group("lianghua_service.group_lianghua_it_manager")
        managed = self._managed_departments()
        for request in self:
            owner = request.requester_id == user or request.department_id in managed
            request.is_it_user = is_it
            request.can_submit = request.state in EDITABLE_STATES and (owner or is_it)
            request.can_cancel = request.state not in CLOSED_STATES and (
                is_it_manager or (owner and request.state in ("draft", "to_approve", "more_info"))
            )
            request.can_reset = request.state in ("rejected", "cancel") and (owner or is_it_manager)
            request.can_evaluate = request.state == "to_evaluate" and is_it
            request.can_plan = request.state == "accepted" and is_it

    def _expand_states(self, states, domain):
        return [key for key, __ in self._fields["state"].selection if key != "cancel"]

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_writable_fields(set(vals) - {"state"})
                if vals.get("state", "draft") != "draft":
                    raise UserError(_("A request starts as a draft; its buttons move it on."))
        self._lianghua_assign_numbers(
            vals_list,
            [
                self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                for vals in vals_list
            ],
        )
        self._check_filing_rights_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_writable_fields(set(vals))
        res = super().write(vals)
        if {"requester_id", "department_id"}.intersection(vals):
            self._check_filing_rights()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        submitted = self.filtered(lambda r: r.state != "draft" or r.evaluation_ids)
        if submitted:
            raise UserError(
                _(
                    "Request %(name)s has been submitted and cannot be deleted; cancel it instead.",
                    name=submitted[0].name,
                )
            )

    # Actions

    def action_submit(self):
        self._check_can_submit()
        self._do_submit()
        return True

    def action_start_evaluation(self):
        self.ensure_one()
        self._check_can_start_evaluation()
        evaluation = self.env["lianghua.evaluation"].create({"request_id": self.id})
        return evaluation._get_lianghua_form_action()

    def action_cancel(self):
        self._check_can_cancel()
        self._do_cancel()
        return True

    def action_reset_to_draft(self):
        self._check_can_reset_to_draft()
        self._do_reset_to_draft()
        return True

    def action_view_evaluations(self):
        action = self._get_lianghua_records_action(
            "lianghua_service.lianghua_evaluation_action", "request_id"
        )
        if self.evaluation_count == 1:
            action.update(views=[(False, "form")], res_id=self.evaluation_id.id)
        return action

    def action_create_plan(self):
        self.ensure_one()
        self._check_can_create_plan()
        plan = self.env["lianghua.plan"].create({"request_id": self.id})
        return plan._get_lianghua_form_action()

    def action_view_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("lianghua_service.lianghua_plan_action")
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"create": False}
        if self.plan_count == 1:
            action.update(views=[(False, "form")], res_id=self.plan_ids.id)
        return action

    def action_view_project(self):
        self.ensure_one()
        return self.project_id._get_lianghua_form_action()

    def action_view_demand_list(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lianghua.demand.list",
            "res_id": self.demand_list_id.id,
            "views": [(False, "form")],
        }

    # Hooks (an inheriting addon extends them)

    def _get_requester_fields(self):
        """What the requester writes; frozen once the request is submitted."""
        return frozenset(
            {
                "title",
                "requester_id",
                "department_id",
                "company_id",
                "urgency",
                "urgency_reason",
                "service_type_id",
                "system_id",
                "background",
                "description",
                "expected_goal",
                "date_required",
                "priority",
            }
        )

    def _get_it_fields(self):
        """What IT sets while the request is open. Every other stored field is
        written by the workflow only (the _do_* methods, as superuser)."""
        return frozenset({"evaluator_id", "priority"})

    def _get_submit_required_fields(self):
        """What a request must say before it can be submitted."""
        return (
            "title",
            "service_type_id",
            "background",
            "description",
            "expected_goal",
            "date_required",
        )

    # Business

    def _check_writable_fields(self, fnames):
        """Refuse what the current user may not write by hand.

        The status, numbers, dates and conclusions are written by the workflow
        (as superuser); what the request asks for only while it is a draft or
        back with the requester; the evaluator only by IT.
        """
        fnames = self._lianghua_user_fields(fnames)
        if "state" in fnames:
            raise UserError(
                _(
                    "The status of a request changes only through its buttons (submit, "
                    "approve, evaluate...)."
                )
            )
        is_it = self.env.user.has_group(IT_GROUP)
        it_fields = self._get_it_fields()
        system = fnames - self._get_requester_fields() - it_fields
        if system:
            labels = [self._fields[name].get_description(self.env)["string"] for name in system]
            raise UserError(
                _(
                    "These fields are set by the request's workflow, not by hand: %(fields)s.",
                    fields=", ".join(sorted(labels)),
                )
            )
        if "evaluator_id" in fnames and not is_it:
            raise UserError(_("Only IT assigns the evaluator of a request."))
        if self.filtered(lambda r: r.state in CLOSED_STATES) and fnames:
            raise UserError(_("A closed request can no longer be changed."))
        content = fnames - (it_fields if is_it else set())
        locked = self.filtered(lambda r: r.state not in EDITABLE_STATES)
        if content and locked:
            raise UserError(
                _(
                    "Request %(name)s has been submitted: what it asks for can no longer be "
                    "changed.",
                    name=locked[0].name,
                )
            )

    def _check_filing_rights(self):
        """Business users file for their own department, and in their own name
        unless they manage it; IT files for anyone (the hotline)."""
        self._check_filing_rights_vals(
            [{"requester_id": r.requester_id.id, "department_id": r.department_id.id} for r in self]
        )

    @api.model
    def _check_filing_rights_vals(self, vals_list):
        if self._lianghua_is_it():
            return
        user = self.env.user
        departments = user._lianghua_departments()
        managed = self._managed_departments()
        Department = self.env["hr.department"]
        for vals in vals_list:
            requester = self.env["res.users"].browse(vals.get("requester_id") or user.id)
            department = Department.browse(
                vals.get("department_id") or requester._lianghua_home_department().id
            )
            if department not in departments:
                raise UserError(
                    _(
                        "You can only file requests for your own department, not for "
                        "%(department)s.",
                        department=department.name,
                    )
                )
            if requester != user and department not in managed:
                raise UserError(
                    _("Only the department's manager files a request in someone else's name.")
                )

    def _managed_departments(self):
        """Departments whose requests the current user manages (department managers)."""
        if not self.env.user.has_group("lianghua_service.group_lianghua_dept_manager"):
            return self.env["hr.department"]
        return self.env.user._lianghua_departments()

    def _missing_content(self):
        self.ensure_one()
        missing = []
        for name in self._get_submit_required_fields():
            value = self[name]
            empty = is_html_empty(value) if self._fields[name].type == "html" else not value
            if empty:
                missing.append(self._fields[name].get_description(self.env)["string"])
        if self.urgency == "urgent" and not self.urgency_reason:
            missing.append(self._fields["urgency_reason"].get_description(self.env)["string"])
        return missing

    def _check_can_submit(self):
        today = fields.Date.context_today(self)
        for request in self:
            if request.state not in EDITABLE_STATES:
                raise UserError(_("Request %(name)s is already submitted.", name=request.name))
            if not request.can_submit:
                raise UserError(
                    _(
                        "Only the requester, the department's manager or IT can submit request "
                        "%(name)s.",
                        name=request.name,
                    )
                )
            missing = request._missing_content()
            if missing:
                raise ValidationError(
                    _(
                        "Request %(name)s cannot be submitted without: %(fields)s.",
                        name=request.name,
                        fields=", ".join(missing),
                    )
                )
            if request.state == "draft" and request.date_required < today:
                raise ValidationError(
                    _(
                        "The required-by date of request %(name)s is in the past.",
                        name=request.name,
                    )
                )

    def _do_submit(self):
        """To the approvers when a tier applies, else straight to IT.

        Coming back from "more information needed", the request goes through
        the approvals again: base_tier_validation drops the earlier round's
        reviews (their decisions stay in the chatter) and the tiers decide anew.
        """
        # The status is written by the workflow only (see write()).
        requests_sudo = self.sudo()
        first_sudo = requests_sudo.filtered(lambda r: not r.date_submitted)
        first_sudo.write({"state": "to_approve", "date_submitted": fields.Datetime.now()})
        (requests_sudo - first_sudo).write({"state": "to_approve"})
        requests_sudo.activity_feedback(["lianghua_service.mail_activity_provide_info"])
        self._request_approval()

    def _do_send_to_evaluation(self):
        """Approved (or approval-free) requests go to IT."""
        # Workflow: whoever moved the request on (a leader, say) need not be
        # allowed to write it, nor to plan IT's work.
        requests_sudo = self.sudo()
        requests_sudo.write({"state": "to_evaluate"})
        for evaluator, group_sudo in requests_sudo.grouped("evaluator_id").items():
            if evaluator:
                # One e-mail per request is enough; a submitted demand list
                # brings many at once: its to-dos then arrive without e-mails.
                group_sudo.with_context(
                    mail_activity_quick_update=len(group_sudo) > 1
                ).activity_schedule("lianghua_service.mail_activity_evaluate", user_id=evaluator.id)

    # Approval (lianghua.tier.mixin)

    def _approval_submitter(self):
        self.ensure_one()
        return self.requester_id

    def _on_approved(self):
        self._do_send_to_evaluation()

    def _on_rejected(self, reason):
        self._do_reject(reason)

    def _check_can_start_evaluation(self):
        for request in self:
            if request.state != "to_evaluate":
                raise UserError(
                    _("Request %(name)s is not waiting for evaluation.", name=request.name)
                )
            if not request.can_evaluate:
                raise UserError(_("Only IT staff evaluate requests."))

    def _check_can_cancel(self):
        for request in self:
            if not request.can_cancel:
                raise UserError(
                    _(
                        "You cannot cancel request %(name)s in its current status.",
                        name=request.name,
                    )
                )

    def _check_can_reset_to_draft(self):
        for request in self:
            if not request.can_reset:
                raise UserError(
                    _(
                        "Only a rejected or cancelled request can return to draft, by its "
                        "requester or department (%(name)s).",
                        name=request.name,
                    )
                )

    def _check_can_create_plan(self):
        for request in self:
            if not request.can_plan:
                raise UserError(_("IT writes the solution plan of an accepted request."))
        # One plan in progress at a time (the plan checks it again, and its
        # unique index settles two users pressing the button at once).
        self.env["lianghua.plan"]._check_no_plan_in_progress(self)

    def _do_start_evaluation(self):
        requests_sudo = self.sudo()  # the status is written by the workflow only
        for request_sudo in requests_sudo:
            vals = {"state": "evaluating"}
            if not request_sudo.evaluator_id:
                vals["evaluator_id"] = self.env.uid
            request_sudo.write(vals)
        requests_sudo.activity_feedback(["lianghua_service.mail_activity_evaluate"])

    def _do_accept(self):
        requests_sudo = self.sudo()  # the status is written by the workflow only
        requests_sudo.write({"state": "accepted", "date_concluded": fields.Datetime.now()})
        for request in self:
            request._notify_requester(
                _(
                    "Your request %(name)s was accepted: IT will prepare a solution plan.",
                    name=request.name,
                )
            )

    def _do_reject(self, reason):
        # The workflow closes the request, reviews open or not (see
        # _tier_validation_check_write_allowed).
        requests_sudo = self.sudo()
        requests_sudo.write(
            {
                "state": "rejected",
                "rejection_reason": reason,
                "date_concluded": fields.Datetime.now(),
            }
        )
        for request in self:
            request._notify_requester(
                _(
                    "Your request %(name)s was rejected: %(reason)s",
                    name=request.name,
                    reason=reason,
                )
            )

    def _do_request_information(self, question):
        requests_sudo = self.sudo()  # the workflow plans the requester's answer
        requests_sudo.write({"state": "more_info", "info_requested": question})
        for request_sudo in requests_sudo:
            request_sudo.activity_schedule(
                "lianghua_service.mail_activity_provide_info",
                user_id=request_sudo.requester_id.id,
                note=question,
            )
        for request in self:
            request._notify_requester(
                _(
                    "IT needs more information on request %(name)s: %(question)s",
                    name=request.name,
                    question=question,
                )
            )

    def _do_start_implementation(self, project):
        """Its solution plan is approved: the project carries it out. A revised
        plan approved later leaves the request where it is."""
        started = self.filtered(lambda request: request.state != "in_implementation")
        requests_sudo = started.sudo()  # the status is written by the workflow only
        requests_sudo.write({"state": "in_implementation", "project_id": project.id})
        for request in started:
            request._notify_requester(
                _(
                    "The solution plan of your request %(name)s is approved: project "
                    "%(project)s carries it out.",
                    name=request.name,
                    project=project.name,
                )
            )
        for request in self - started:
            request._notify_requester(
                _(
                    "A revised solution plan of your request %(name)s is approved: project "
                    "%(project)s follows it.",
                    name=request.name,
                    project=project.name,
                )
            )

    def _do_deliver(self, acceptance):
        """The project passed its acceptance: the request is delivered."""
        requests_sudo = self.sudo()  # the status is written by the workflow only
        requests_sudo.write({"state": "done", "date_delivered": fields.Datetime.now()})
        for request in self:
            request._notify_requester(
                _(
                    "Your request %(name)s is delivered: acceptance %(acceptance)s passed.",
                    name=request.name,
                    acceptance=acceptance.name,
                )
            )

    def _do_cancel(self):
        # Cancelling drops open reviews (base_tier_validation); decisions already
        # taken are in the chatter.
        requests_sudo = self.sudo()
        requests_sudo.write({"state": "cancel"})
        requests_sudo.activity_unlink(
            [
                "lianghua_service.mail_activity_evaluate",
                "lianghua_service.mail_activity_provide_info",
            ]
        )

    def _do_reset_to_draft(self):
        # A reworked request is approved afresh: the earlier round's reviews go
        # (their decisions are in the chatter).
        requests_sudo = self.sudo()
        requests_sudo.review_ids.unlink()
        requests_sudo.write(
            {
                "state": "draft",
                "rejection_reason": False,
                "info_requested": False,
                "date_concluded": False,
            }
        )

    def _notify_requester(self, body):
        self.ensure_one()
        # Posted in the name of the current user (author), who may only have
        # read access by now: a leader who rejected, IT closing the request.
        request_sudo = self.sudo()
        request_sudo.message_post(
            body=body,
            partner_ids=self.requester_id.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
