from odoo import api, models


class TierReview(models.Model):
    _inherit = "tier.review"

    @api.model
    def _get_company_scoped_models(self):
        # Finance approves the purchases charged to a budget of its company.
        return super()._get_company_scoped_models() | {"purchase.order"}
