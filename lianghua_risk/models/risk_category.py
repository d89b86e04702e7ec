from odoo import fields, models


class LianghuaRiskCategory(models.Model):
    """A kind of risk the policy asks to identify (6.1: requirement change,
    technical difficulty, schedule delay, quality, security vulnerability,
    personnel change), with the policy's standard responses (6.2) as the
    guidance shown on its risks. Shared by the companies, tuned by IT
    managers."""

    _name = "lianghua.risk.category"
    _description = "Risk Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    guidance = fields.Html(
        string="Standard Responses",
        translate=True,
        help="What the policy asks to do about risks of this category, shown on each of them.",
    )
    risk_count = fields.Integer(compute="_compute_risk_count", string="Risks")

    _sql_constraints = [("code_uniq", "unique (code)", "A risk category code is used once.")]

    def _compute_risk_count(self):
        counts = dict(
            self.env["lianghua.risk"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.risk_count = counts.get(category, 0)
