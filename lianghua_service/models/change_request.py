from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

IT_GROUP = "lianghua_service.group_lianghua_it_user"


class LianghuaChangeRequest(models.Model):
    _name = "lianghua.change.request"
    _description = "Change Request"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.tier.mixin",
        "lianghua.document.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.change.request"
    _rec_names_search = ["name", "title"]

    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancel"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    title = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        check_company=True,
        domain="[('lianghua_plan_id', '!=', False)]",
    )
    plan_id = fields.Many2one(related="project_id.lianghua_plan_id", string="Solution Plan")
    request_id = fields.Many2one(related="project_id.lianghua_request_id", store=True)
    department_id = fields.Many2one(related="project_id.lianghua_department_id", store=True)
    department_manager_id = fields.Many2one(
        "res.users", compute="_compute_department_manager_id", store=True, check_company=True
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    requested_by = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
    )
    description = fields.Html(string="The Change")
    reason = fields.Text()
    impact_scope = fields.Text(string="Impact on Scope")
    impact_schedule = fields.Text(string="Impact on Schedule")
    impact_cost = fields.Monetary(string="Impact on Cost", tracking=True)
    line_ids = fields.One2many(
        "lianghua.change.request.line", "change_id", string="Milestone Changes", copy=True
    )
    rebaseline_ids = fields.One2many(
        "lianghua.milestone.rebaseline", "change_id", string="Re-baselines"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "Waiting Approval"),
            ("approved", "Approved"),
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
    )
    rejection_reason = fields.Text(readonly=True, copy=False)
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False)
    can_submit = fields.Boolean(compute="_compute_can_submit")

    @api.depends("department_id.manager_id.user_id")
    def _compute_department_manager_id(self):
        for change in self:
            change.department_manager_id = change.department_id.manager_id.user_id

    @api.depends_context("uid")
    @api.depends("state", "department_id")
    def _compute_can_submit(self):
        is_it = self._lianghua_is_it()
        managed = self.env["lianghua.request"]._managed_departments()
        for change in self:
            change.can_submit = change.state == "draft" and (
                is_it or change.department_id in managed
            )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        projects = self._lianghua_vals_records(vals_list, "project_id")
        if not self.env.su:
            projects._check_lianghua_changeable()
        self._lianghua_assign_numbers(vals_list, [project.company_id for project in projects])
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._lianghua_check_workflow_fields(
                [vals], _("The status of a change request changes only through its buttons.")
            )
            if self._lianghua_user_fields(vals):
                self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(change.state != "draft" for change in self):
            raise UserError(_("Only a draft change request can be deleted."))

    # Hooks (lianghua.document.mixin)

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {
            "state",
            "rejection_reason",
            "date_approved",
            "project_id",
        }

    # Actions

    def action_submit(self):
        self._check_can_submit()
        changes_sudo = self.sudo()  # the status is written by the workflow only
        changes_sudo.write({"state": "to_approve"})
        self._request_approval()
        return True

    def action_cancel(self):
        self._check_can_cancel()
        changes_sudo = self.sudo()  # the status is written by the workflow only
        changes_sudo.write({"state": "cancel"})
        return True

    # Approval (lianghua.tier.mixin)

    def _approval_submitter(self):
        self.ensure_one()
        return self.requested_by

    def _on_approved(self):
        self._do_apply()

    def _on_rejected(self, reason):
        changes_sudo = self.sudo()  # the status is written by the workflow only
        changes_sudo.write({"state": "rejected", "rejection_reason": reason})

    # Business

    def _check_editable(self):
        locked = self.filtered(lambda change: change.state != "draft")
        if locked:
            raise UserError(
                _(
                    "Change request %(name)s has been submitted: it can no longer be changed.",
                    name=locked[0].display_name,
                )
            )

    def _check_can_submit(self):
        self.project_id._check_lianghua_changeable()
        for change in self:
            if not change.can_submit:
                raise UserError(
                    _(
                        "Only IT or the department's manager can submit change request %(name)s.",
                        name=change.display_name,
                    )
                )
            missing = []
            if is_html_empty(change.description):
                missing.append(change._fields["description"].get_description(self.env)["string"])
            if not change.reason:
                missing.append(change._fields["reason"].get_description(self.env)["string"])
            if not (
                change.impact_scope
                or change.impact_schedule
                or change.impact_cost
                or change.line_ids
            ):
                missing.append(_("its impact on scope, schedule or cost"))
            if missing:
                raise ValidationError(
                    _(
                        "Change request %(name)s cannot be submitted without: %(fields)s.",
                        name=change.display_name,
                        fields=", ".join(missing),
                    )
                )
            if not change.department_manager_id:
                raise ValidationError(
                    _(
                        "%(department)s has no manager to review the change: set one on the "
                        "department.",
                        department=change.department_id.name,
                    )
                )

    def _check_can_cancel(self):
        """IT or whoever asked for the change, while it is a draft or waits for
        its approval; the department's manager while it is a draft."""
        is_it = self._lianghua_is_it()
        for change in self:
            if change.state not in ("draft", "to_approve") or not (
                is_it or change.can_submit or change.requested_by == self.env.user
            ):
                raise UserError(
                    _("You cannot cancel change request %(name)s.", name=change.display_name)
                )

    def _do_apply(self):
        """Approved: the affected milestones move, their old dates are kept."""
        self.project_id._check_lianghua_changeable()  # it may have been delivered meanwhile
        changes_sudo = self.sudo()  # the workflow re-baselines the project
        changes_sudo.write({"state": "approved", "date_approved": fields.Datetime.now()})
        lines_sudo = changes_sudo.line_ids
        self.env["lianghua.milestone.rebaseline"].sudo().create(
            [
                {
                    "milestone_id": line.milestone_id.id,
                    "change_id": line.change_id.id,
                    "deadline_before": line.milestone_id.deadline,
                    "deadline_after": line.new_deadline,
                }
                for line in lines_sudo
            ]
        )
        for line in lines_sudo:
            line.milestone_id.deadline = line.new_deadline
