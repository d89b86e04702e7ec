from odoo import fields, models


class LianghuaTicketEscalation(models.Model):
    """An escalation step that fired on a ticket: the proof it fires once."""

    _name = "lianghua.ticket.escalation"
    _description = "Ticket Escalation"
    _order = "date desc, id desc"
    _rec_name = "step_id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    ticket_sla_id = fields.Many2one(
        "helpdesk.ticket.sla", string="SLA", readonly=True, check_company=True
    )
    step_id = fields.Many2one(
        "lianghua.escalation.step",
        required=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    share = fields.Float(string="Share Used (%)", readonly=True, digits=(5, 1))

    _sql_constraints = [
        (
            "ticket_step_uniq",
            "unique (ticket_id, step_id)",
            "An escalation step fires once per ticket.",
        ),
    ]
