from odoo import _, api, fields, models
from odoo.exceptions import AccessError

DECISIONS = ("approved", "rejected")


class TierReview(models.Model):
    """Reviews of Lianghua documents are decided by their reviewers only.

    base_tier_validation lets every internal user write reviews; on our models a
    decision (approved / rejected) must come from one of the review's reviewers,
    whatever the path (buttons, comment wizard or RPC).
    """

    _inherit = "tier.review"

    # Declared again (same values and labels) so that the decisions shown on
    # our forms are terms of this addon, translated by its i18n files.
    status = fields.Selection(
        selection_add=[
            ("waiting", "Waiting"),
            ("pending", "Pending"),
            ("rejected", "Rejected"),
            ("approved", "Approved"),
            ("cancel", "Cancel"),
        ]
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("status") in DECISIONS and (vals.get("model") or "").startswith("lianghua.")
            for vals in vals_list
        ):
            raise AccessError(_("A review is created pending; its reviewers decide it."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and vals.get("status") in DECISIONS:
            foreign = self.filtered(
                lambda review: (
                    review.model.startswith("lianghua.")
                    and self.env.user not in review.reviewer_ids
                )
            )
            if foreign:
                raise AccessError(
                    _(
                        "Only its reviewers can approve or reject %(review)s.",
                        review=foreign[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lianghua_decided(self):
        if not self.env.su and any(
            review.model.startswith("lianghua.") and review.status in DECISIONS for review in self
        ):
            raise AccessError(_("A decided review is part of the record's history."))
