from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, tagged

from .common import LianghuaRiskCommon


@tagged("post_install", "-at_install")
class TestRiskInTheBrowser(HttpCase, LianghuaRiskCommon):
    def test_from_the_heat_map_to_a_risk(self):
        """IT opens the heat map (the leaders' view of all projects: the
        matrix, the open warnings and the high risks), clicks the cell of the
        likely × major risks, opens one from the list and records its cause."""
        vendor = self._risk(title="Vendor loses two developers", probability=4, impact=4)
        self._risk(title="Migration scripts too slow", probability=4, impact=4,
                   project=self.project_prod)  # fmt: skip
        self._risk(title="Printer driver missing", probability=1, impact=1)
        # An alarm of the schedule slip on the Sales project.
        self.env["project.milestone"].create(
            {"name": "Late", "project_id": self.project_sales.id,
             "deadline": self.today - relativedelta(days=30)}
        )  # fmt: skip
        slip = self.env.ref("lianghua_risk.indicator_schedule_slip")
        slip._measure(self.today)
        self.env["lianghua.risk.warning"]._evaluate(slip, self.env.company, self.today)
        self.start_tour(
            "/odoo/action-lianghua_risk.lianghua_risk_heat_map_action",
            "lianghua_risk_heat_map",
            login=self.it_user.login,
        )
        self.assertEqual(vendor.cause, "The vendor's contract ends in March.")
