from odoo import fields, models

SLA_KINDS = [("response", "Response"), ("resolution", "Resolution")]
# The priorities of OCA helpdesk tickets.
PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]
COMPLEXITIES = [("general", "General"), ("complex", "Complex")]


class HelpdeskSla(models.Model):
    """SLA policies by priority and complexity: a response target (the ticket
    reaches the stage where someone works on it) and a resolution target (it
    is done)."""

    _inherit = "helpdesk.sla"
    _check_company_auto = True

    name = fields.Char(translate=True)  # the policy's names, in the user's language
    # A company's policy applies to its teams, categories, tags and stages; a
    # shared one (no company) to shared ones.
    team_ids = fields.Many2many(check_company=True)
    category_ids = fields.Many2many(check_company=True)
    tag_ids = fields.Many2many(check_company=True)
    stage_id = fields.Many2one(check_company=True)
    ignore_stage_ids = fields.Many2many(check_company=True)
    lianghua_kind = fields.Selection(
        SLA_KINDS,
        string="Target",
        required=True,
        default="resolution",
        help="Escalation steps apply to the response or to the resolution target.",
    )
    lianghua_priority = fields.Selection(
        PRIORITIES,
        string="Priority",
        help="Applies to tickets of this priority; empty for every priority.",
    )
    lianghua_complexity = fields.Selection(
        COMPLEXITIES,
        string="Complexity",
        help="Applies to general or complex tickets; empty for both.",
    )

    def write(self, vals):
        res = super().write(vals)
        if {"hours", "days"} & set(vals):
            # Targets that change move the escalations still to come, in
            # every company that shares the policy (the policy is written).
            lines_sudo = (
                self.env["helpdesk.ticket.sla"]
                .sudo()
                .search([("sla_id", "in", self.ids), ("state", "=", "in_progress")])
            )
            lines_sudo._lianghua_update_escalation_due()
        return res
