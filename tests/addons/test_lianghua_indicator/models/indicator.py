from odoo import fields, models

from odoo.addons.lianghua_service.models.indicator import measures


class LianghuaIndicator(models.Model):
    """A computation of another addon: one selection entry and one batch
    method, nothing in the engine."""

    _inherit = "lianghua.indicator"

    computation = fields.Selection(
        selection_add=[("tickets_opened", "Tickets opened")],
        ondelete={"tickets_opened": "set null"},
    )

    @measures("team", "system")
    def _measure_tickets_opened(self, scopes, period):
        field = {"team": "team_id", "system": "lianghua_system_id"}[self.scope]
        groups = self.env["helpdesk.ticket"]._read_group(
            [
                (field, "in", scopes.ids),
                ("create_date", ">=", period.start),
                ("create_date", "<", period.end),
            ],
            [field],
            ["__count"],
        )
        return {scope.id: (count, count) for scope, count in groups}
