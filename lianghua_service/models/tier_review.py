from odoo import _, api, fields, models
from odoo.exceptions import AccessError

OPEN = ("waiting", "pending")


def _ours(model_name):
    return (model_name or "").startswith("lianghua.")


class TierReview(models.Model):
    """Reviews of Lianghua documents are written by their workflow only.

    base_tier_validation lets every internal user create, write and delete
    reviews. On our documents the decisions are made by the request's
    validate/reject methods, which check the reviewer and then write as
    superuser; a user may only leave the comment of a review that waits for
    them (the comment wizard does so just before deciding), and let a tier
    become pending.
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
        if not self.env.su and any(_ours(vals.get("model")) for vals in vals_list):
            raise AccessError(_("Reviews of Lianghua documents are created by their workflow."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            ours = self.filtered(lambda review: _ours(review.model))
            if ours or _ours(vals.get("model")):
                ours._check_hand_written(vals)
        return super().write(vals)

    def _check_hand_written(self, vals):
        user = self.env.user
        comment_only = set(vals) == {"comment"} and all(
            review.status in OPEN and user in review.reviewer_ids for review in self
        )
        turn_only = vals == {"status": "pending"} and all(review.status in OPEN for review in self)
        if not (self and (comment_only or turn_only)):
            raise AccessError(_("Only the approval buttons of the document change its reviews."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lianghua(self):
        if not self.env.su and any(_ours(review.model) for review in self):
            raise AccessError(_("Reviews of Lianghua documents are removed by their workflow."))
