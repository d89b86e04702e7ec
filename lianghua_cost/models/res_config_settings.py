from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lianghua_budget_leader_amount = fields.Monetary(
        related="company_id.lianghua_budget_leader_amount",
        currency_field="currency_id",
        readonly=False,
    )
    lianghua_cost_alert_percent = fields.Float(
        related="company_id.lianghua_cost_alert_percent", readonly=False
    )
