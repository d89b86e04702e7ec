from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # agreement_helpdesk_mgmt's link, checked against the ticket's company.
    agreement_id = fields.Many2one(check_company=True)
