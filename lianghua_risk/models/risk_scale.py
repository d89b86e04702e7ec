from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

AXES = [("probability", "Probability"), ("impact", "Impact")]


class LianghuaRiskScale(models.Model):
    """One step of a scale a risk is assessed on: how likely it is
    (probability) or how much it would hurt (impact), each with its score.
    The matrix gives every probability × impact pair its level."""

    _name = "lianghua.risk.scale"
    _description = "Risk Assessment Scale"
    _order = "axis, score, id"

    name = fields.Char(required=True, translate=True)
    axis = fields.Selection(AXES, required=True)
    score = fields.Integer(required=True, help="Its rank on the scale, 1 the lowest.")
    description = fields.Text(translate=True, help="When to choose it.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("axis_score_uniq", "unique (axis, score)", "A scale has one step per score."),
    ]

    @api.constrains("score")
    def _check_score(self):
        if any(step.score < 1 for step in self):
            raise ValidationError(_("A scale's scores start at 1."))

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        self.env["lianghua.risk.matrix.cell"]._complete()
        return steps
