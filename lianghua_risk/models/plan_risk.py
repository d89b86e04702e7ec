from odoo import api, fields, models

from .risk_response import STRATEGIES


class LianghuaPlanRisk(models.Model):
    """A risk written in the solution plan's risk assessment: its category,
    probability and impact, and the planned response. The plan's approval
    carries it into the project's register (once: a revised plan's copy of
    a line already carried adds nothing)."""

    _name = "lianghua.plan.risk"
    _description = "Solution Plan Risk"
    _inherit = ["lianghua.plan.line.mixin"]
    _order = "plan_id, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Risk", required=True)
    category_id = fields.Many2one("lianghua.risk.category", required=True, ondelete="restrict")
    probability_id = fields.Many2one(
        "lianghua.risk.scale", required=True, ondelete="restrict",
        domain=[("axis", "=", "probability")],
    )  # fmt: skip
    impact_id = fields.Many2one(
        "lianghua.risk.scale", required=True, ondelete="restrict", domain=[("axis", "=", "impact")]
    )
    level_id = fields.Many2one("lianghua.risk.level", compute="_compute_level_id")
    strategy = fields.Selection(STRATEGIES, required=True, default="mitigate")
    response = fields.Text(string="Planned Response")
    origin_id = fields.Many2one(
        "lianghua.plan.risk",
        string="First Written In",
        readonly=True,
        index="btree_not_null",
        check_company=True,
        help="The line of the first plan version this one was copied from.",
    )

    @api.depends("probability_id", "impact_id")
    def _compute_level_id(self):
        matrix = self.env["lianghua.risk.matrix.cell"]._lianghua_matrix()
        for line in self:
            cell = matrix.get((line.probability_id.id, line.impact_id.id))
            line.level_id = cell.level_id if cell else False

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for line, vals in zip(self, vals_list, strict=True):
            vals["origin_id"] = (line.origin_id or line).id
        return vals_list

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {"origin_id"}
