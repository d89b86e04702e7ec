from odoo import _, api, fields, models
from odoo.exceptions import UserError

SCORES = [
    ("0", "Not Scored"),
    ("1", "Poor"),
    ("2", "Fair"),
    ("3", "Good"),
    ("4", "Very Good"),
    ("5", "Excellent"),
]


class LianghuaEvaluationLine(models.Model):
    _name = "lianghua.evaluation.line"
    _description = "Evaluation Score"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "evaluation_id"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "lianghua.evaluation", required=True, index=True, ondelete="cascade", check_company=True
    )
    dimension_id = fields.Many2one(
        "lianghua.evaluation.dimension", required=True, ondelete="restrict", check_company=True
    )
    description = fields.Text(related="dimension_id.description")
    sequence = fields.Integer(related="dimension_id.sequence", store=True)
    weight = fields.Float(
        compute="_compute_weight",
        store=True,
        readonly=False,
        precompute=True,
        help="The dimension's weight when the evaluation was made.",
    )
    score = fields.Selection(
        SCORES, default="0", required=True, help="From 1 (poor) to 5 (excellent)."
    )
    comment = fields.Text()
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True)

    _sql_constraints = [
        (
            "dimension_uniq",
            "unique (evaluation_id, dimension_id)",
            "Each dimension is scored once per evaluation.",
        ),
    ]

    @api.depends("dimension_id")
    def _compute_weight(self):
        for line in self:
            line.weight = line.dimension_id.weight

    @api.model_create_multi
    def create(self, vals_list):
        evaluations = self._lianghua_vals_records(vals_list, "evaluation_id")
        self._check_evaluation_open(evaluations)
        return super().create(vals_list)

    def write(self, vals):
        self._check_evaluation_open(self.evaluation_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_concluded(self):
        self._check_evaluation_open(self.evaluation_id)

    def _check_evaluation_open(self, evaluations):
        if not self.env.su and any(evaluation.state == "done" for evaluation in evaluations):
            raise UserError(_("A concluded evaluation can no longer be changed."))
