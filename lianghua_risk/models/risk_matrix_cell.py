from odoo import api, fields, models


class LianghuaRiskMatrixCell(models.Model):
    """The risk matrix, one cell per probability × impact pair: the level a
    risk of that pair has. Changing a cell re-levels its risks."""

    _name = "lianghua.risk.matrix.cell"
    _description = "Risk Matrix Cell"
    _order = "probability_score desc, impact_score, id"
    _rec_names_search = ["probability_id", "impact_id"]

    probability_id = fields.Many2one(
        "lianghua.risk.scale",
        required=True,
        ondelete="cascade",
        domain=[("axis", "=", "probability")],
    )
    impact_id = fields.Many2one(
        "lianghua.risk.scale", required=True, ondelete="cascade", domain=[("axis", "=", "impact")]
    )
    probability_score = fields.Integer(
        related="probability_id.score", store=True, string="Probability Score"
    )
    impact_score = fields.Integer(related="impact_id.score", store=True, string="Impact Score")
    level_id = fields.Many2one("lianghua.risk.level", required=True, ondelete="restrict")
    color = fields.Char(related="level_id.color")

    _sql_constraints = [
        (
            "pair_uniq",
            "unique (probability_id, impact_id)",
            "The matrix has one cell per probability and impact.",
        ),
    ]

    @api.depends("probability_id", "impact_id")
    def _compute_display_name(self):
        for cell in self:
            cell.display_name = f"{cell.probability_id.name} × {cell.impact_id.name}"

    @api.model_create_multi
    def create(self, vals_list):
        cells = super().create(vals_list)
        cells._relevel_risks()
        return cells

    def write(self, vals):
        res = super().write(vals)
        if {"level_id", "probability_id", "impact_id"} & set(vals):
            self._relevel_risks()
        return res

    def _relevel_risks(self):
        """The risks of these cells take their new level (one search, one
        write per level)."""
        if not self:
            return
        Risk = self.env["lianghua.risk"].sudo()  # the matrix levels every risk, seen or not
        # A superset of the cells' risks (same probability, same impact):
        # levelling again the others changes nothing.
        Risk.with_context(active_test=False).search(
            [
                ("probability_id", "in", self.probability_id.ids),
                ("impact_id", "in", self.impact_id.ids),
            ]
        )._compute_level_id()

    @api.model
    def _complete(self):
        """Give every probability × impact pair without a cell the lowest
        level: a new step of a scale never leaves risks unrated."""
        Scale = self.env["lianghua.risk.scale"]
        level = self.env["lianghua.risk.level"].search([], limit=1)
        if not level:
            return
        existing = self._lianghua_matrix()
        missing = [
            {"probability_id": p.id, "impact_id": i.id, "level_id": level.id}
            for p in Scale.search([("axis", "=", "probability")])
            for i in Scale.search([("axis", "=", "impact")])
            if (p.id, i.id) not in existing
        ]
        if missing:
            self.create(missing)

    @api.model
    def _lianghua_matrix(self):
        """{(probability id, impact id): cell}: the whole matrix in one read
        (it is shared by the companies)."""
        cells = self.sudo().search([("level_id", "!=", False)])
        return {(cell.probability_id.id, cell.impact_id.id): cell for cell in cells}
