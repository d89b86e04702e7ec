from odoo import _, api, fields, models


class LianghuaRiskReviewLine(models.Model):
    """One risk as a review found it: its scores before (kept) and after
    (what the review decided), and what changed."""

    _name = "lianghua.risk.review.line"
    _description = "Risk Review Line"
    _inherit = ["lianghua.line.mixin"]
    _order = "review_id, id"
    _check_company_auto = True
    _document_field = "review_id"

    review_id = fields.Many2one(
        "lianghua.risk.review", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    date = fields.Date(related="review_id.date", store=True)
    risk_id = fields.Many2one(
        "lianghua.risk", required=True, index=True, ondelete="cascade", check_company=True,
        domain="[('project_id', '=', parent.project_id), ('state', '!=', 'closed')]",
    )  # fmt: skip
    probability_before_id = fields.Many2one("lianghua.risk.scale", readonly=True)
    impact_before_id = fields.Many2one("lianghua.risk.scale", readonly=True)
    level_before_id = fields.Many2one("lianghua.risk.level", readonly=True)
    probability_id = fields.Many2one(
        "lianghua.risk.scale", domain=[("axis", "=", "probability")],
        compute="_compute_scores", store=True, readonly=False, precompute=True,
    )  # fmt: skip
    impact_id = fields.Many2one(
        "lianghua.risk.scale", domain=[("axis", "=", "impact")],
        compute="_compute_scores", store=True, readonly=False, precompute=True,
    )  # fmt: skip
    note = fields.Text(string="What Changed")

    _sql_constraints = [
        ("risk_uniq", "unique (review_id, risk_id)", "A review goes through a risk once."),
    ]

    @api.depends("risk_id")
    def _compute_scores(self):
        for line in self:
            line.probability_id = line.risk_id.probability_id
            line.impact_id = line.risk_id.impact_id

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self._lianghua_vals_records(vals_list, "review_id")
        reviews._check_draft()
        risks = self._lianghua_vals_records(vals_list, "risk_id")
        for vals, risk in zip(vals_list, risks, strict=True):
            vals.update(
                probability_before_id=risk.probability_id.id,
                impact_before_id=risk.impact_id.id,
                level_before_id=risk.level_id.id,
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.review_id._check_draft()
            vals = {
                k: v
                for k, v in vals.items()
                if k not in ("probability_before_id", "impact_before_id", "level_before_id")
            }
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        self.review_id._check_draft()

    def _apply(self):
        """The risks take the scores the review gave them."""
        for line in self:
            risk = line.risk_id
            if risk.state == "closed":
                continue
            changes = {}
            if line.probability_id and line.probability_id != risk.probability_id:
                changes["probability_id"] = line.probability_id.id
            if line.impact_id and line.impact_id != risk.impact_id:
                changes["impact_id"] = line.impact_id.id
            if changes:
                risk.sudo().write(changes)  # the review decided it; checked by action_done
            risk.message_post(
                body=_(
                    "Reviewed in %(review)s: %(note)s",
                    review=line.review_id.display_name,
                    note=line.note or _("no change"),
                )
            )
