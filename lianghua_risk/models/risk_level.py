from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LianghuaRiskLevel(models.Model):
    """A risk level (low to critical), the colour it shows in on the heat
    map, and what it asks for: leaders' attention, a review within so many
    days."""

    _name = "lianghua.risk.level"
    _description = "Risk Level"
    _order = "rank, id"

    name = fields.Char(required=True, translate=True)
    rank = fields.Integer(required=True, help="1 the lowest level.")
    color = fields.Char(required=True, default="#2e7d32", help="Its colour on the heat map.")
    is_high = fields.Boolean(
        string="High Risk",
        help="Risks of this level show in the leaders' view and need a response before "
        "they are accepted.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("rank_uniq", "unique (rank)", "A level has a rank of its own.")]

    @api.constrains("color")
    def _check_color(self):
        for level in self:
            color = level.color or ""
            if not (
                len(color) == 7
                and color[0] == "#"
                and all(c in "0123456789abcdefABCDEF" for c in color[1:])
            ):
                raise ValidationError(
                    _("The colour of %(level)s is written #rrggbb.", level=level.name)
                )
