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
        "priority",
    }
)
# What IT sets while the request is open. Every other stored field is written
# by the workflow only (the _do_* methods, as superuser).
IT_FIELDS = frozenset({"evaluator_id", "priority"})
IT_GROUP = "lianghua_service.group_lianghua_it_user"
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
        domain=lambda self: [("groups_id", "in", self.env.ref(IT_GROUP).ids)],
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
    is_it_user = fields.Boolean(compute="_compute_user_rights")

    @api.depends("requester_id")
    def _compute_department_id(self):
        for request in self:
            request.department_id = (
                request.requester_id._lianghua_home_department() or request.department_id
            )

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
        is_it = su or user.has_group(IT_GROUP)
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

    # base_tier_validation hooks

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

    def _compute_need_validation(self):
        # base_tier_validation searches the tiers once per record; a demand
        # list files many requests at once: one search for the batch here.
        tiers = self.env["tier.definition"].search([("model", "=", self._name)])
        no_company = self.env["res.company"]
        for request in self:
            if isinstance(request.id, models.NewId) or request.review_ids:
                request.need_validation = False
                continue
            applicable = tiers.filtered(
                lambda tier, r=request: tier.company_id in (r.company_id, no_company)
            )
            request.need_validation = request._check_state_from_condition() and any(
                request.evaluate_tier(tier) for tier in applicable
            )

    def _tier_validation_check_write_allowed(self, vals):
        # The workflow's own writes (as superuser) are not edits under
        # validation; users' edits are checked by write() and by this hook.
        if self.env.su:
            return
        return super()._tier_validation_check_write_allowed(vals)

    def _get_tier_validation_readonly_domain(self):
        # Locked while the approval is open; afterwards the status decides.
        return "state == 'to_approve' and validation_status not in ('no', False)"

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
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == _("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "lianghua.request"
                ) or _("New")
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
        # Reviews are written by the workflow only (see tier.review); the
        # reviewer's identity (uid) stays the current user's.
        return super(LianghuaRequest, self.sudo()).validate_tier()

    def reject_tier(self):
        self._check_can_review()
        return super(LianghuaRequest, self.sudo()).reject_tier()

    # Business

    def _free_fields(self):
        """Fields any user with write access may set (chatter, activities)."""
        return {name for name in self._fields if name.startswith(("message_", "activity_"))}

    def _check_writable_fields(self, fnames):
        """Refuse what the current user may not write by hand.

        The status, numbers, dates and conclusions are written by the workflow
        (as superuser); what the request asks for only while it is a draft or
        back with the requester; the evaluator only by IT.
        """
        fnames = set(fnames) - self._free_fields()
        if "state" in fnames:
            raise UserError(
                _(
                    "The status of a request changes only through its buttons (submit, "
                    "approve, evaluate...)."
                )
            )
        is_it = self.env.user.has_group(IT_GROUP)
        system = fnames - REQUESTER_FIELDS - IT_FIELDS
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
        content = fnames - (IT_FIELDS if is_it else set())
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
        if self.env.su or self.env.user.has_group(IT_GROUP):
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
        requests_sudo.invalidate_recordset(["need_validation"])
        to_approve_sudo = requests_sudo.filtered("need_validation")
        if to_approve_sudo:
            # base_tier_validation leaves new reviews "waiting" until their turn
            # is computed: make the first tier pending right away.
            to_approve_sudo.request_validation()._compute_can_review()
        (self - to_approve_sudo)._do_send_to_evaluation()

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

    def _check_can_review(self):
        for request in self:
            if request.state != "to_approve" or not request.can_review:
                raise UserError(
                    _("Request %(name)s is not waiting for your approval.", name=request.name)
                )
            if request.requester_id == self.env.user:
                raise UserError(
                    _(
                        "You filed request %(name)s: another approver must decide it.",
                        name=request.name,
                    )
                )

    def _validate_tier(self, tiers=False):
        # Reached from validate_tier() and from the comment wizard: check here.
        self._check_can_review()
        reviews = self.review_ids & (tiers or self.review_ids)
        before = {review: review.status for review in reviews}
        res = super(LianghuaRequest, self.sudo())._validate_tier(reviews.sudo())
        self._log_decisions(reviews.filtered(lambda r: r.status != before[r]))
        self.filtered(
            lambda r: r.state == "to_approve" and r.validation_status == "validated"
        )._do_send_to_evaluation()
        return res

    def _rejected_tier(self, tiers=False):
        self._check_can_review()
        reviews = self.review_ids & (tiers or self.review_ids)
        before = {review: review.status for review in reviews}
        res = super(LianghuaRequest, self.sudo())._rejected_tier(reviews.sudo())
        decided = reviews.filtered(lambda r: r.status != before[r])
        self._log_decisions(decided)
        for request in self.filtered(
            lambda r: r.state == "to_approve" and r.validation_status == "rejected"
        ):
            comment = decided.filtered(lambda r: r.status == "rejected")[-1:].comment
            request._do_reject(comment or _("Not approved by %(user)s.", user=self.env.user.name))
        return res

    @api.model
    def _update_counter(self, review_counter):
        # Recomputes whose turn it is on the reviews, which only the workflow
        # writes (see tier.review); the counter goes to the current user.
        return super(LianghuaRequest, self.sudo())._update_counter(review_counter)

    def _log_decisions(self, reviews):
        """Approval decisions go to the chatter, where they outlive the reviews
        (a new round of approval replaces them)."""
        status_labels = dict(reviews._fields["status"]._description_selection(self.env))
        for review in reviews.filtered(lambda r: r.status in ("approved", "rejected")):
            request = self.filtered(lambda r, rev=review: r.id == rev.res_id)
            body = _(
                "%(tier)s: %(decision)s by %(user)s.",
                tier=review.name,
                decision=status_labels[review.status],
                user=self.env.user.name,
            )
            if review.comment:
                body = f"{body} {review.comment}"
            request_sudo = request.sudo()  # reviewers may only read the request
            request_sudo.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _check_can_start_evaluation(self):
        for request in self:
            if request.state != "to_evaluate":
                raise UserError(
                    _("Request %(name)s is not waiting for evaluation.", name=request.name)
                )
            if not request.can_evaluate:
                raise UserError(_("Only IT staff evaluate requests."))

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
