from odoo import api, fields, models

from .tier_review import _ours


class TierDefinition(models.Model):
    _inherit = "tier.definition"
    _check_company_auto = True

    # A tier of a company names one of its users (checked on the tiers of our
    # documents only, see _check_company); a shared tier may name anyone, who
    # reviews the documents of the companies they are allowed in.
    reviewer_id = fields.Many2one(check_company=True)

    def _check_company(self, fnames=None):
        # The tiers of other models keep base_tier_validation's behaviour.
        ours = self.filtered(lambda tier: _ours(self.env, tier.model))
        return super(TierDefinition, ours)._check_company(fnames)

    @api.model
    def _get_tier_validation_model_names(self):
        return [
            *super()._get_tier_validation_model_names(),
            "lianghua.request",
            "lianghua.plan",
            "lianghua.change.request",
        ]
