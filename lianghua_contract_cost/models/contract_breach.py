from odoo import api, models


class LianghuaContractBreach(models.Model):
    _inherit = "lianghua.contract.breach"

    @api.model_create_multi
    def create(self, vals_list):
        breaches = super().create(vals_list)
        breaches.agreement_id._lianghua_sync_settlements()
        return breaches
