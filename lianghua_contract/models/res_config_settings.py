from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lianghua_contract_leader_amount = fields.Monetary(
        related="company_id.lianghua_contract_leader_amount",
        currency_field="currency_id",
        readonly=False,
    )
