from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.lianghua_service.tests.common import LianghuaOperationsCommon


@tagged("post_install", "-at_install")
class TestRegistration(LianghuaOperationsCommon):
    """An addon registers its computation and the engine measures it like its own."""

    def test_a_registered_computation_is_measured(self):
        indicator = self.env["lianghua.indicator"].create(
            {"name": "Tickets opened", "code": "OPENED", "scope": "system",
             "computation": "tickets_opened", "unit": "tickets"}
        )  # fmt: skip
        tickets = self._ticket() | self._ticket() | self._ticket(lianghua_system_id=self.crm.id)
        tickets.flush_recordset()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s",
            (datetime(2026, 11, 12, 3), tuple(tickets.ids)),
        )
        self.env.invalidate_all()
        with self.at(datetime(2026, 12, 2)):
            indicator._measure(date(2026, 11, 1))
        values = {v.system_id: (v.value, v.sample_size) for v in indicator.value_ids}
        self.assertEqual(values[self.erp], (2.0, 2))
        self.assertEqual(values[self.crm], (1.0, 1))
        with self.assertRaisesRegex(ValidationError, "measured per"):
            indicator.copy({"code": "OPENED-PRJ", "scope": "project"})
