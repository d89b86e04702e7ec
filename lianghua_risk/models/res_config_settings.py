from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lianghua_risk_review_days = fields.Integer(
        related="company_id.lianghua_risk_review_days", readonly=False
    )
