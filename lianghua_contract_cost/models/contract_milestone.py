from odoo import api, models


class LianghuaContractMilestone(models.Model):
    _inherit = "lianghua.contract.milestone"

    @api.model_create_multi
    def create(self, vals_list):
        milestones = super().create(vals_list)
        milestones.agreement_id._lianghua_sync_settlements()
        return milestones
