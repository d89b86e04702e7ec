from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    lianghua_risk_review_days = fields.Integer(
        string="Risk Review Cycle (days)",
        default=30,
        help="How often a new project's risks are reviewed, by default.",
    )
