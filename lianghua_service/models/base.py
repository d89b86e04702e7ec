from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"

    def _get_lianghua_form_action(self):
        """Open this record in its form (smart buttons between Lianghua documents)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
        }

    def _get_lianghua_records_action(self, xmlid, field, domain=(), create=True):
        """The window action ``xmlid`` on the records whose ``field`` is this
        record (a smart button's list), creating them for it or not at all."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        action["domain"] = [(field, "=", self.id), *domain]
        action["context"] = {f"default_{field}": self.id} if create else {"create": False}
        return action
