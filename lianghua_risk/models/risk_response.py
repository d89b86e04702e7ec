from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

STRATEGIES = [
    ("avoid", "Avoid"),
    ("mitigate", "Mitigate"),
    ("transfer", "Transfer"),
    ("accept", "Accept"),
]


class LianghuaRiskResponse(models.Model):
    """A response measure to a risk (policy 6.2): the strategy, what is done,
    who does it by when, followed to its result. Its owner gets a to-do with
    the deadline; the owner or IT completes it."""

    _name = "lianghua.risk.response"
    _description = "Risk Response"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.line.mixin"]
    _order = "state, deadline, id"
    _check_company_auto = True
    _document_field = "risk_id"

    risk_id = fields.Many2one(
        "lianghua.risk", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="risk_id.company_id", store=True, index=True)
    project_id = fields.Many2one(related="risk_id.project_id", store=True, index=True)
    department_id = fields.Many2one(related="risk_id.department_id", store=True)
    strategy = fields.Selection(STRATEGIES, required=True, default="mitigate", tracking=True)
    name = fields.Char(string="Measure", required=True, tracking=True)
    owner_id = fields.Many2one(
        "res.users", required=True, tracking=True, check_company=True,
        domain=[("share", "=", False)],
    )  # fmt: skip
    deadline = fields.Date(required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancel", "Cancelled")],
        string="Status", required=True, readonly=True, default="open", copy=False,
        tracking=True, index=True,
    )  # fmt: skip
    result = fields.Text(tracking=True, help="What the measure achieved; required to complete it.")
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    @api.depends("state", "deadline")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for response in self:
            response.is_overdue = response.state == "open" and response.deadline < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue responses with = or != and a yes or no."))
        domain = [("state", "=", "open"), ("deadline", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {"state", "date_done"}

    @api.constrains("risk_id", "strategy")
    def _check_accept(self):
        for response in self:
            if response.strategy == "accept" and response.risk_id.is_high:
                raise ValidationError(
                    _(
                        "Risk %(name)s is high: it cannot simply be accepted, plan a measure "
                        "that avoids, mitigates or transfers it.",
                        name=response.risk_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_it()
        self._lianghua_check_workflow_fields(
            vals_list, _("A response is planned open: it is completed with its button.")
        )
        risks = self._lianghua_vals_records(vals_list, "risk_id")
        closed = risks.filtered(lambda risk: risk.state == "closed")
        if closed:
            raise UserError(
                _("Risk %(name)s is closed: reopen it to respond to it.", name=closed[0].name)
            )
        responses = super().create(vals_list)
        responses.risk_id._lianghua_start_responding()
        responses._schedule_owner_activity()
        return responses

    def write(self, vals):
        fnames = self._lianghua_user_fields(vals)
        if not self.env.su and fnames:
            if not self._lianghua_is_it() and (
                fnames - {"result"} or any(r.owner_id != self.env.user for r in self)
            ):
                raise AccessError(_("The owner of a response writes its result; IT the rest."))
            self._lianghua_check_workflow_fields(
                [vals], _("A response is completed or cancelled with its buttons.")
            )
            if any(response.state != "open" for response in self):
                raise UserError(_("A completed or cancelled response stays as it is."))
        res = super().write(vals)
        if {"owner_id", "deadline"} & set(vals):
            self.activity_unlink(["lianghua_risk.mail_activity_risk_response"])
            self._schedule_owner_activity()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(response.state == "done" for response in self):
            raise UserError(_("A completed response is the risk's history: it stays."))

    def _schedule_owner_activity(self):
        for response in self.filtered(lambda r: r.state == "open"):
            response.activity_schedule(
                "lianghua_risk.mail_activity_risk_response",
                date_deadline=response.deadline,
                summary=response.name,
                user_id=response.owner_id.id,
            )

    # Actions

    def action_done(self):
        self._check_can_complete()
        missing = self.filtered(lambda r: not (r.result or "").strip())
        if missing:
            raise UserError(
                _("Write the result of %(measure)s before completing it.", measure=missing[0].name)
            )
        self._do_close_responses("done")
        return True

    def action_cancel(self):
        self._check_it()
        self._check_can_complete()
        self._do_close_responses("cancel")
        return True

    def _check_can_complete(self):
        self.check_access("read")
        for response in self:
            if response.state != "open":
                raise UserError(_("Response %(measure)s is not open.", measure=response.name))
            if response.owner_id != self.env.user and not self._lianghua_is_it():
                raise AccessError(
                    _("Only its owner or IT completes response %(measure)s.", measure=response.name)
                )

    def _do_close_responses(self, state):
        responses_sudo = self.sudo()  # checked above; the status is the workflow's
        responses_sudo.write(
            {
                "state": state,
                "date_done": fields.Date.context_today(self) if state == "done" else False,
            }
        )
        activities = responses_sudo.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("lianghua_risk.mail_activity_risk_response")
            )
        )
        if state == "done":
            activities.action_feedback(feedback=_("Completed."))
        else:
            activities.unlink()

    def action_view_risk(self):
        self.ensure_one()
        return self.risk_id._get_lianghua_form_action()
