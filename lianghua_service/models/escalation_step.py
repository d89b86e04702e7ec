from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_sla import SLA_KINDS
from .helpdesk_ticket_sla import RUNNING


class LianghuaEscalationStep(models.Model):
    """A step of the escalation ladder: when a ticket has used this share of
    its response or resolution target, tell people, raise the priority,
    reassign. Each step fires once per ticket."""

    _name = "lianghua.escalation.step"
    _description = "Ticket Escalation Step"
    _inherit = ["lianghua.document.mixin"]
    _order = "sla_kind, threshold, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty for every company.")
    sla_kind = fields.Selection(SLA_KINDS, string="Target", required=True, default="resolution")
    threshold = fields.Float(
        string="Share of the Target (%)",
        required=True,
        default=100.0,
        help="Fires when the ticket has used this share of its target's working time: "
        "below 100 before the breach, 100 at the breach, above after it.",
    )
    team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Teams",
        check_company=True,
        help="Leave empty for every team.",
    )
    notify_assignee = fields.Boolean(string="Notify the Assignee")
    notify_team_leader = fields.Boolean(string="Notify the Team Leader")
    notify_it_managers = fields.Boolean(string="Notify the IT Managers")
    raise_priority = fields.Boolean(string="Raise the Priority")
    reassign = fields.Selection(
        [("none", "No"), ("team_leader", "To the Team Leader"), ("user", "To a User")],
        required=True,
        default="none",
    )
    reassign_user_id = fields.Many2one("res.users", string="Reassign to", check_company=True)

    @api.constrains("threshold", "reassign", "reassign_user_id")
    def _check_step(self):
        for step in self:
            if not 0 < step.threshold <= 500:
                raise ValidationError(
                    _(
                        "Escalation step %(step)s: the share of the target is above 0 and up "
                        "to 500 %%.",
                        step=step.name,
                    )
                )
            if step.reassign == "user" and not step.reassign_user_id:
                raise ValidationError(
                    _("Escalation step %(step)s: choose whom to reassign to.", step=step.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        steps._reschedule_open_lines(steps.mapped("sla_kind"))
        return steps

    def write(self, vals):
        if not self._get_schedule_fields().intersection(vals):
            return super().write(vals)
        kinds = set(self.mapped("sla_kind"))  # those it leaves, too
        res = super().write(vals)
        self._reschedule_open_lines(kinds | set(self.mapped("sla_kind")))
        return res

    def _get_schedule_fields(self):
        """The fields that decide when a step falls due, and on which tickets."""
        return frozenset({"threshold", "sla_kind", "team_ids", "active", "company_id"})

    def _reschedule_open_lines(self, kinds):
        """Steps that change move the escalations still to come, on every
        target whose clock runs: those already breached too (a step added at
        150 % after the breach, or below the share a target has used, falls
        due on them now)."""
        lines = (
            self.env["helpdesk.ticket.sla"]
            .sudo()  # the workflow plans the escalations (the step is written already)
            .search(
                [
                    ("state", "in", RUNNING),
                    ("ticket_id.closed", "=", False),
                    ("lianghua_kind", "in", list(kinds)),
                ]
            )
        )
        lines._lianghua_update_escalation_due()
