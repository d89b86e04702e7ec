"""Two deliveries of one alert at the same moment, on two real cursors.

Their data is committed (each cursor is a transaction of its own, as two
webhook requests are): the test cleans up what it made with a third one.
"""

import json
import uuid
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from ..controllers.monitoring import parse_alertmanager
from ..models.monitoring_source import ALERT_OCCURRENCE_INDEX

DATA = Path(__file__).parent / "data"


@tagged("post_install", "-at_install")
class TestWebhookRace(TransactionCase):
    def setUp(self):
        super().setUp()
        self.fingerprint = f"race-{uuid.uuid4().hex[:12]}"
        payload = json.loads((DATA / "alertmanager_firing.json").read_text())
        payload["alerts"] = payload["alerts"][:1]
        payload["alerts"][0]["fingerprint"] = self.fingerprint
        self.alerts = parse_alertmanager(payload)
        with self.registry.cursor() as cr:  # committed, for the other cursors to see
            env = self._env(cr)
            source = env["lianghua.monitoring.source"].create(
                {
                    "name": f"Prometheus {self.fingerprint}",
                    "team_id": env.ref("lianghua_service.helpdesk_team_service_desk").id,
                }
            )
            self.source_id = source.id
        self.addCleanup(self._clean_up)

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, dict(DISABLED_MAIL_CONTEXT, lang="en_US"))

    def _cursor(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)  # before _clean_up (last in, first out)
        return cr

    def _clean_up(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            self._incidents(env).unlink()
            env["lianghua.monitoring.source"].browse(self.source_id).unlink()

    def _incidents(self, env):
        return (
            env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search(
                [
                    ("lianghua_monitoring_source_id", "=", self.source_id),
                    ("lianghua_alert_fingerprint", "=", self.fingerprint),
                ]
            )
        )

    def test_the_index_of_alert_occurrences_exists(self):
        self.env.cr.execute(
            SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", ALERT_OCCURRENCE_INDEX)
        )
        [(definition,)] = self.env.cr.fetchall()
        self.assertIn("UNIQUE", definition)
        self.assertIn("WHERE (lianghua_monitoring_source_id IS NOT NULL)", definition)

    def test_the_same_alert_delivered_twice_at_once_opens_one_incident(self):
        cr_a, cr_b = self._cursor(), self._cursor()
        # B's transaction starts first: its snapshot will not see A's incident.
        cr_b.execute("SELECT 1")

        source_a = self._env(cr_a)["lianghua.monitoring.source"].browse(self.source_id)
        counts_a = source_a._lianghua_process_alerts(self.alerts)
        cr_a.commit()

        # B finds no incident either and opens one: its insert meets A's on
        # the index, and B receives the alert again, in a new transaction.
        source_b = self._env(cr_b)["lianghua.monitoring.source"].browse(self.source_id)
        with self.assertLogs("odoo.sql_db", "ERROR") as logs:
            counts_b = source_b._lianghua_process_alerts(self.alerts)
        cr_b.commit()
        self.assertIn(ALERT_OCCURRENCE_INDEX, logs.output[0], "B met the index")

        self.assertEqual(counts_a, {"opened": 1, "updated": 0, "resolved": 0})
        self.assertEqual(counts_b, {"opened": 0, "updated": 1, "resolved": 0})
        with self.registry.cursor() as cr:
            self.assertEqual(len(self._incidents(self._env(cr))), 1)
