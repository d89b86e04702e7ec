from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

# States in which the requester may still change what the request asks for.
EDITABLE_STATES = ("draft", "more_info")
# States after which the request is settled by its evaluation (or cancelled).
CLOSED_STATES = ("accepted", "rejected", "cancel")
# What the requester writes; frozen once the request is submitted.
REQUESTER_FIELDS = frozenset(
    {
        "title",
        "requester_id",
        "department_id",
        "company_id",
        "urgency",
        "urgency_reason",
        "service_type_id",
        "background",
        "description",
        "expected_goal",
        "date_required",
    }
)
# What a request must say before it can be submitted.
SUBMIT_REQUIRED_FIELDS = (
    "title",
    "service_type_id",
    "background",
    "description",
    "expected_goal",
    "date_required",
)


class LianghuaRequest(models.Model):
    _name = "lianghua.request"
    _description = "Service Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]

    # base_tier_validation: approvals (company leaders by default) stand
    # between "waiting for approval" and "to evaluate".
    _state_from = ["to_approve"]
    _state_to = ["to_evaluate"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

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
        "lianghua.demand.item", readonly=True, copy=False, index="btree_not_null"
    )
    demand_list_id = fields.Many2one(related="demand_item_id.list_id", string="Demand List")
    service_type_id = fields.Many2one(
        "lianghua.service.type", required=True, tracking=True, check_company=True
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
        compute="_compute_evaluator_id",
        store=True,
        readonly=False,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("lianghua_service.group_lianghua_it_user").ids)
        ],
    )
    evaluation_ids = fields.One2many("lianghua.evaluation", "request_id", string="Evaluations")
    evaluation_count = fields.Integer(compute="_compute_evaluation_count")
    evaluation_id = fields.Many2one(
        "lianghua.evaluation", string="Latest Evaluation", compute="_compute_evaluation_count"
    )
    rejection_reason = fields.Text(readonly=True, copy=False)
    info_requested = fields.Text(string="Information Requested", readonly=True, copy=False)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    date_concluded = fields.Datetime(string="Concluded On", readonly=True, copy=False)

    can_submit = fields.Boolean(compute="_compute_user_rights")
    can_cancel = fields.Boolean(compute="_compute_user_rights")
    can_reset = fields.Boolean(compute="_compute_user_rights")
    can_evaluate = fields.Boolean(compute="_compute_user_rights")

    @api.depends("requester_id")
    def _compute_department_id(self):
        for request in self:
            # The requester's employee file may be out of the user's reach.
            requester_sudo = request.requester_id.sudo()
            department = (
                requester_sudo.employee_id.department_id
                or (requester_sudo.employee_ids.department_id[:1])
            )
            request.department_id = department or request.department_id

    @api.depends("service_type_id")
    def _compute_evaluator_id(self):
        for request in self:
            request.evaluator_id = request.evaluator_id or request.service_type_id.it_user_id

    def _compute_evaluation_count(self):
        groups = self.env["lianghua.evaluation"]._read_group(
            [("request_id", "in", self.ids)], ["request_id"], ["__count", "id:max"]
        )
        counts = {request: (count, last_id) for request, count, last_id in groups}
        for request in self:
            count, last_id = counts.get(request, (0, False))
            request.evaluation_count = count
            request.evaluation_id = last_id

    @api.depends_context("uid")
    @api.depends("state", "requester_id", "department_id")
    def _compute_user_rights(self):
        user, su = self.env.user, self.env.su
        is_it = su or user.has_group("lianghua_service.group_lianghua_it_user")
        is_it_manager = su or user.has_group("lianghua_service.group_lianghua_it_manager")
        is_dept_manager = user.has_group("lianghua_service.group_lianghua_dept_manager")
        managed = self._user_departments() if is_dept_manager else self.env["hr.department"]
        for request in self:
            owner = request.requester_id == user or request.department_id in managed
            request.can_submit = request.state in EDITABLE_STATES and (owner or is_it)
            request.can_cancel = request.state not in CLOSED_STATES and (
                is_it_manager or (owner and request.state in ("draft", "to_approve", "more_info"))
            )
            request.can_reset = request.state in ("rejected", "cancel") and (owner or is_it_manager)
            request.can_evaluate = request.state == "to_evaluate" and is_it

    def _add_tier_validation_buttons(self, node, params):
        # Submitting requests the approvals, and reviews are reset only by
        # returning the request to draft: no "Request/Restart Validation" buttons.
        return etree.fromstring("<div/>")

    def _add_tier_validation_label(self, node, params):
        return self._render_tier_validation_part("request_tier_validation_label", params)

    def _add_tier_validation_reviews(self, node, params):
        return self._render_tier_validation_part("request_tier_validation_reviews", params)

    def _render_tier_validation_part(self, template, params):
        # Our own banner and history, translated with the form.
        arch = self.env["ir.qweb"]._render(f"lianghua_service.{template}", params)
        return etree.fromstring(arch)

    def _get_tier_validation_readonly_domain(self):
        # Locked while the approval is open; afterwards the status decides.
        return "state == 'to_approve' and validation_status not in ('no', False)"

    def _expand_states(self, states, domain):
        return [key for key, __ in self._fields["state"].selection if key != "cancel"]

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise UserError(_("A request starts as a draft; its buttons move it on."))
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == _("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "lianghua.request"
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "state" in vals:
                raise UserError(
                    _(
                        "The status of a request changes only through its buttons (submit, "
                        "approve, evaluate...)."
                    )
                )
            frozen = REQUESTER_FIELDS.intersection(vals)
            locked = self.filtered(lambda r: r.state not in EDITABLE_STATES)
            if frozen and locked:
                raise UserError(
                    _(
                        "Request %(name)s has been submitted: what it asks for can no longer be "
                        "changed.",
                        name=locked[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        submitted = self.filtered(lambda r: r.state != "draft")
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
        evaluation = self.env["lianghua.evaluation"].create({"request_id": self.id})
        return evaluation._get_form_action()

    def action_cancel(self):
        for request in self:
            if not request.can_cancel:
                raise UserError(
                    _(
                        "You cannot cancel request %(name)s in its current status.",
                        name=request.name,
                    )
                )
        self._do_cancel()
        return True

    def action_reset_to_draft(self):
        for request in self:
            if not request.can_reset:
                raise UserError(
                    _(
                        "Only a rejected or cancelled request can return to draft, by its "
                        "requester or department (%(name)s).",
                        name=request.name,
                    )
                )
        self._do_reset_to_draft()
        return True

    def action_view_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "lianghua_service.lianghua_evaluation_action"
        )
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        if self.evaluation_count == 1:
            action.update(views=[(False, "form")], res_id=self.evaluation_id.id)
        return action

    def action_view_demand_list(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lianghua.demand.list",
            "res_id": self.demand_list_id.id,
            "views": [(False, "form")],
        }

    def restart_validation(self):
        if not self.env.su:
            raise UserError(
                _("Approvals restart when the request is returned to draft and submitted again.")
            )
        return super().restart_validation()

    def validate_tier(self):
        self._check_can_review()
        return super().validate_tier()

    def reject_tier(self):
        self._check_can_review()
        return super().reject_tier()

    # Business

    def _user_departments(self):
        """Departments whose requests the current user acts on as manager."""
        user = self.env.user
        # Employee files may be out of the user's reach; only ids leave here.
        employees_sudo = user.sudo().employee_ids
        managed_sudo = (
            self.env["hr.department"].sudo().search([("manager_id.user_id", "=", user.id)])
        )
        return self.env["hr.department"].browse((employees_sudo.department_id | managed_sudo).ids)

    def _missing_content(self):
        self.ensure_one()
        missing = []
        for name in SUBMIT_REQUIRED_FIELDS:
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
                    _("The required-by date of request %(name)s is in the past.", name=request.name)
                )

    def _do_submit(self):
        now = fields.Datetime.now()
        to_evaluate = self.env["lianghua.request"]
        for request in self:
            # The status is written by these actions only (see write()).
            request_sudo = request.sudo()
            if request.state == "more_info":
                request_sudo.write({"state": "to_evaluate"})
                request_sudo.activity_feedback(["lianghua_service.mail_activity_provide_info"])
                to_evaluate |= request
                continue
            request_sudo.write({"state": "to_approve", "date_submitted": now})
            request.invalidate_recordset(["need_validation"])
            if request.need_validation:
                # base_tier_validation leaves new reviews "waiting" until their
                # turn is computed; make the first tier pending right away.
                request.request_validation()._compute_can_review()
            else:
                to_evaluate |= request
        fresh = to_evaluate.filtered(lambda r: r.state == "to_approve")
        fresh._do_send_to_evaluation()
        (to_evaluate - fresh)._schedule_evaluation_activity()

    def _do_send_to_evaluation(self):
        """Approved (or approval-free) requests go to IT."""
        self.sudo().write({"state": "to_evaluate"})
        self._schedule_evaluation_activity()

    def _schedule_evaluation_activity(self):
        # Workflow consequence: whoever moved the request on (a leader, say)
        # need not be allowed to plan IT's work.
        for request_sudo in self.sudo().filtered("evaluator_id"):
            request_sudo.activity_schedule(
                "lianghua_service.mail_activity_evaluate", user_id=request_sudo.evaluator_id.id
            )

    def _check_can_review(self):
        for request in self:
            if request.state != "to_approve" or not request.can_review:
                raise UserError(
                    _("Request %(name)s is not waiting for your approval.", name=request.name)
                )

    def _validate_tier(self, tiers=False):
        res = super()._validate_tier(tiers)
        self.filtered(
            lambda r: r.state == "to_approve" and r.validation_status == "validated"
        )._do_send_to_evaluation()
        return res

    def _rejected_tier(self, tiers=False):
        res = super()._rejected_tier(tiers)
        for request in self.filtered(
            lambda r: r.state == "to_approve" and r.validation_status == "rejected"
        ):
            comment = request.review_ids.filtered(lambda r: r.status == "rejected")[-1:].comment
            request._do_reject(comment or _("Not approved by %(user)s.", user=self.env.user.name))
        return res

    def _check_can_start_evaluation(self):
        for request in self:
            if request.state != "to_evaluate":
                raise UserError(
                    _("Request %(name)s is not waiting for evaluation.", name=request.name)
                )
            if not request.can_evaluate:
                raise UserError(_("Only IT staff evaluate requests."))

    def _do_start_evaluation(self):
        for request in self:
            vals = {"state": "evaluating"}
            if not request.evaluator_id:
                vals["evaluator_id"] = self.env.uid
            request.sudo().write(vals)
        self.sudo().activity_feedback(["lianghua_service.mail_activity_evaluate"])

    def _do_accept(self):
        self.sudo().write({"state": "accepted", "date_concluded": fields.Datetime.now()})
        for request in self:
            request._notify_requester(
                _(
                    "Your request %(name)s was accepted: IT will prepare a solution plan.",
                    name=request.name,
                )
            )

    def _do_reject(self, reason):
        # skip_validation_check: a rejected approval closes the request even
        # though base_tier_validation locks it while reviews are open.
        self.sudo().with_context(skip_validation_check=True).write(
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
        self.sudo().write({"state": "more_info", "info_requested": question})
        for request in self:
            # Workflow consequence: the evaluator plans the requester's answer.
            request.sudo().activity_schedule(
                "lianghua_service.mail_activity_provide_info",
                user_id=request.requester_id.id,
                note=question,
            )
            request._notify_requester(
                _(
                    "IT needs more information on request %(name)s: %(question)s",
                    name=request.name,
                    question=question,
                )
            )

    def _do_cancel(self):
        requests_sudo = self.sudo()
        requests_sudo.write({"state": "cancel"})
        requests_sudo.activity_unlink(
            [
                "lianghua_service.mail_activity_evaluate",
                "lianghua_service.mail_activity_provide_info",
            ]
        )

    def _do_reset_to_draft(self):
        # Earlier approvals do not carry over to the new version of the request.
        self.sudo().review_ids.unlink()
        self.sudo().write(
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
        self.sudo().message_post(
            body=body,
            partner_ids=self.requester_id.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
