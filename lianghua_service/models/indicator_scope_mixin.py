from odoo import fields, models


class LianghuaIndicatorScopeMixin(models.AbstractModel):
    """What indicators are measured on (departments, systems, projects,
    teams...): a smart button with the indicators measured on the record.
    ``_lianghua_indicator_field`` is the field of the values naming it."""

    _name = "lianghua.indicator.scope.mixin"
    _description = "Lianghua Indicator Scope"
    _lianghua_indicator_field = None

    lianghua_indicator_count = fields.Integer(
        string="Indicators", compute="_compute_lianghua_indicator_count"
    )

    def _compute_lianghua_indicator_count(self):
        field = self._lianghua_indicator_field
        counts = dict(
            self.env["lianghua.indicator.value"]._read_group(
                [(field, "in", self.ids)], [field], ["indicator_id:count_distinct"]
            )
        )
        for record in self:
            record.lianghua_indicator_count = counts.get(record, 0)

    def action_view_lianghua_indicators(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id(
            "lianghua_service.lianghua_indicator_value_action"
        )
        action["domain"] = [(self._lianghua_indicator_field, "=", self.id)]
        action["context"] = {"create": False, "search_default_group_by_indicator": 1}
        return action
