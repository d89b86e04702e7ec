from odoo import api, fields, models


class LianghuaSystem(models.Model):
    """The risks of an information system in O&M (security, availability,
    the people who run it), beside the ones of the project that built it."""

    _inherit = "lianghua.system"

    lianghua_risk_ids = fields.One2many("lianghua.risk", "system_id", string="Risks")
    lianghua_risk_count = fields.Integer(
        string="Open Risks", compute="_compute_lianghua_risk_count"
    )

    @api.depends("lianghua_risk_ids.state")
    def _compute_lianghua_risk_count(self):
        counts = self.env["lianghua.risk"]._lianghua_open_counts("system_id", self)
        for system in self:
            system.lianghua_risk_count = counts.get(system, (0, 0))[0]

    def action_view_lianghua_risks(self):
        return self._get_lianghua_records_action(
            "lianghua_risk.lianghua_risk_action",
            "system_id",
            create=self.env["lianghua.risk"]._lianghua_is_it(),
        )
