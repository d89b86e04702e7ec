from odoo import fields, models


class LianghuaEvaluationDimension(models.Model):
    _name = "lianghua.evaluation.dimension"
    _description = "Evaluation Dimension"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    description = fields.Text(
        translate=True, help="What the evaluator should look at, shown next to the score."
    )
    sequence = fields.Integer(default=10)
    weight = fields.Float(
        default=1.0, help="Weight of the dimension in the evaluation's overall score."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the dimension in every company."
    )

    _sql_constraints = [
        ("weight_positive", "CHECK (weight > 0)", "The weight of a dimension must be positive."),
    ]
