from odoo import fields, models


class LianghuaQualityFinding(models.Model):
    _inherit = "lianghua.quality.finding"

    lianghua_security = fields.Boolean(
        string="Security Finding",
        help="A security weakness: counted by the open-security-findings early warning.",
    )
