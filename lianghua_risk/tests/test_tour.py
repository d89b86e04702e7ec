from odoo.tests import HttpCase, tagged

from .common import LianghuaRiskCommon


@tagged("post_install", "-at_install")
class TestRiskInTheBrowser(HttpCase, LianghuaRiskCommon):
    def test_from_the_heat_map_to_a_risk(self):
        """IT opens the heat map, clicks the cell of the likely × major
        risks, opens one from the list and records its cause."""
        vendor = self._risk(title="Vendor loses two developers", probability=4, impact=4)
        self._risk(title="Migration scripts too slow", probability=4, impact=4,
                   project=self.project_prod)  # fmt: skip
        self._risk(title="Printer driver missing", probability=1, impact=1)
        self.start_tour(
            "/odoo/action-lianghua_risk.lianghua_risk_heat_map_action",
            "lianghua_risk_heat_map",
            login=self.it_user.login,
        )
        self.assertEqual(vendor.cause, "The vendor's contract ends in March.")
