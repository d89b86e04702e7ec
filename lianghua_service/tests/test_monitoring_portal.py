import json
from datetime import datetime
from pathlib import Path

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import LianghuaOperationsCommon

DATA = Path(__file__).parent / "data"
URL = "/lianghua/monitoring/alertmanager"


@tagged("post_install", "-at_install")
class TestMonitoringWebhook(HttpCase, LianghuaOperationsCommon):
    """Prometheus Alertmanager's webhook, with its documented sample payloads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.env["lianghua.monitoring.source"].create(
            {"name": "Prometheus", "team_id": cls.team.id, "system_id": cls.crm.id}
        )
        cls.Ticket = cls.env["helpdesk.ticket"].with_context(active_test=False)

    def _post(self, payload, token=None):
        headers = {"Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = f"Bearer {token or self.source.token}"
        body = payload if isinstance(payload, str) else json.dumps(payload)
        return self.url_open(URL, data=body.encode(), headers=headers)

    def _payload(self, name):
        return json.loads((DATA / f"alertmanager_{name}.json").read_text())

    def _incidents(self):
        return self.Ticket.search([("lianghua_monitoring_source_id", "=", self.source.id)])

    def test_firing_then_resolved(self):
        response = self._post(self._payload("firing"))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json(), {"status": "ok", "opened": 2, "updated": 0, "resolved": 0}
        )
        erp, crm = self._incidents().sorted("lianghua_alert_fingerprint", reverse=True)
        self.assertRecordValues(
            erp | crm,
            [
                {
                    "name": "Instance erp-app-01:9100 down",
                    "lianghua_kind": "incident",
                    "lianghua_system_id": self.erp.id,
                    "lianghua_alert_fingerprint": "b8e2f7c3a1d4e5f6",
                    "lianghua_down_start": datetime(2026, 11, 23, 2, 15, 30),
                    "lianghua_down_end": False,
                    "priority": "3",
                    "team_id": self.team.id,
                    "channel_id": self.env.ref(
                        "lianghua_service.helpdesk_ticket_channel_monitoring"
                    ).id,
                },
                {
                    "name": "CRM web latency high",
                    "lianghua_kind": "incident",
                    "lianghua_system_id": self.crm.id,
                    "lianghua_alert_fingerprint": "0c7a9d1e2f3b4a56",
                    "lianghua_down_start": datetime(2026, 11, 23, 2, 20),  # 10:20 +08:00
                    "lianghua_down_end": False,
                    "priority": "1",
                    "team_id": self.team.id,
                    "channel_id": self.env.ref(
                        "lianghua_service.helpdesk_ticket_channel_monitoring"
                    ).id,
                },
            ],
        )
        self.assertNotIn("<script>", crm.description, "alert text is escaped")
        self.assertTrue(erp.ticket_sla_ids, "incidents run on the SLA like any ticket")

        # Alertmanager repeats a firing alert: the same incident.
        response = self._post(self._payload("firing"))
        self.assertEqual(response.json()["updated"], 2)
        self.assertEqual(len(self._incidents()), 2)

        response = self._post(self._payload("resolved"))
        self.assertEqual(
            response.json(), {"status": "ok", "opened": 0, "updated": 0, "resolved": 1}
        )
        self.assertEqual(len(self._incidents()), 2)
        erp.invalidate_recordset()
        self.assertEqual(erp.lianghua_down_end, datetime(2026, 11, 23, 3, 45, 30))
        self.assertAlmostEqual(erp.lianghua_downtime_hours, 1.5)
        self.assertFalse(crm.lianghua_down_end)

        # An incident IT closed without an end is not reopened by a new outage.
        crm.with_context(tracking_disable=True).write(
            {"lianghua_down_end": datetime(2026, 11, 23, 4, 0)}
        )
        crm.stage_id = self.stage_done
        payload = self._payload("firing")
        payload["alerts"] = payload["alerts"][1:]
        payload["alerts"][0]["startsAt"] = "2026-11-24T01:00:00Z"
        self.assertEqual(self._post(payload).json()["opened"], 1)
        self.assertEqual(len(self._incidents()), 3)

        # The same alert firing again later is a new outage.
        payload = self._payload("firing")
        payload["alerts"] = payload["alerts"][:1]
        payload["alerts"][0]["startsAt"] = "2026-11-24T06:00:00Z"
        self.assertEqual(self._post(payload).json()["opened"], 1)
        self.assertEqual(len(self._incidents()), 4)

    @mute_logger("odoo.http")
    def test_tokens(self):
        response = self._post(self._payload("firing"), token=False)
        self.assertEqual(response.status_code, 401)
        response = self._post(self._payload("firing"), token="not-the-token")
        self.assertEqual(response.status_code, 403)
        self.source.active = False
        response = self._post(self._payload("firing"))
        self.assertEqual(response.status_code, 403, "an archived source is shut out")
        self.assertFalse(self._incidents())

    @mute_logger("odoo.http")
    def test_malformed_payloads_write_nothing(self):
        broken = (DATA / "alertmanager_firing.json").read_text()[:-40]
        response = self._post(broken)
        self.assertEqual(response.status_code, 400)
        self.assertIn("malformed payload", response.json()["error"])

        # The first alert is fine, the second is not: nothing is written.
        payload = self._payload("firing")
        payload["alerts"][1]["startsAt"] = "yesterday"
        self.assertEqual(self._post(payload).status_code, 400)
        for mutate in (
            lambda p: p.pop("alerts"),
            lambda p: p.update(version="3"),
            lambda p: p["alerts"][0].pop("fingerprint"),
            lambda p: p["alerts"][0].update(status="pending"),
            lambda p: p["alerts"][0]["labels"].update(severity=["critical"]),
        ):
            payload = self._payload("firing")
            mutate(payload)
            self.assertEqual(self._post(payload).status_code, 400, payload)
        self.assertEqual(self._post("[]").status_code, 400)
        payload = self._payload("firing")
        payload["alerts"][0]["startsAt"] = "0001-01-01T00:00:00+01:00"  # before year 1 in UTC
        self.assertEqual(self._post(payload).status_code, 400)
        self.assertEqual(self._post("[" * 100000).status_code, 400)
        self.assertFalse(self._incidents())


@tagged("post_install", "-at_install")
class TestTicketPortal(HttpCase, LianghuaOperationsCommon):
    """External partners and business users in the portal: their own
    company's tickets, nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.vendor = Partner.create({"name": "Huaxin Software", "is_company": True})
        cls.other = Partner.create({"name": "Other Integrator", "is_company": True})
        cls.portal_vendor = cls._portal_user("lh_portal_vendor", cls.vendor)
        cls.portal_colleague = cls._portal_user("lh_portal_vendor2", cls.vendor)
        cls.portal_other = cls._portal_user("lh_portal_other", cls.other)
        cls.other_ticket = cls._ticket(cls, partner_id=cls.portal_other.partner_id.id)
        cls.vendor_ticket = cls._ticket(cls, partner_id=cls.portal_vendor.partner_id.id)

    @classmethod
    def _portal_user(cls, login, company):
        user = new_test_user(
            cls.env, login=login, password=login, groups="base.group_portal",
            email=f"{login}@example.com", lang="en_US",
        )  # fmt: skip
        user.partner_id.parent_id = company
        return user

    def test_portal_users_see_their_company_tickets_only(self):
        self.authenticate(self.portal_colleague.login, self.portal_colleague.login)
        own = self.url_open(f"/my/ticket/{self.vendor_ticket.id}")
        self.assertEqual(own.status_code, 200, "a colleague's ticket of the same company")
        self.assertIn(self.vendor_ticket.number, own.text)
        with mute_logger("odoo.http"):
            other = self.url_open(f"/my/ticket/{self.other_ticket.id}")
            missing = self.url_open("/my/ticket/999999999")
        self.assertEqual(other.status_code, 404)
        self.assertNotIn(self.other_ticket.number, other.text)
        self.assertEqual(missing.status_code, 404)
        listing = self.url_open("/my/tickets")
        self.assertIn(self.vendor_ticket.number, listing.text)
        self.assertNotIn(self.other_ticket.number, listing.text)

    def test_closing_another_partners_ticket_changes_nothing(self):
        cancelled = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cancelled.close_from_portal = True
        stage = self.other_ticket.stage_id
        self.authenticate(self.portal_vendor.login, self.portal_vendor.login)
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/ticket/close?ticket_id={self.other_ticket.id}&stage_id={cancelled.id}"
            )
        self.assertEqual(response.status_code, 404)
        self.other_ticket.invalidate_recordset()
        self.assertEqual(self.other_ticket.stage_id, stage)
        # Reading is not changing: an auditor reads every ticket, closes none.
        self.authenticate(self.auditor.login, self.auditor.login)
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/ticket/close?ticket_id={self.other_ticket.id}&stage_id={cancelled.id}"
            )
        self.assertEqual(response.status_code, 403)
        self.other_ticket.invalidate_recordset()
        self.assertEqual(self.other_ticket.stage_id, stage)
        # Their own ticket, they may close.
        self.authenticate(self.portal_vendor.login, self.portal_vendor.login)
        self.url_open(f"/ticket/close?ticket_id={self.vendor_ticket.id}&stage_id={cancelled.id}")
        self.vendor_ticket.invalidate_recordset()
        self.assertEqual(self.vendor_ticket.stage_id, cancelled)

    def test_portal_ticket_tour(self):
        self.erp.portal_visible = True
        self.crm.portal_visible = False
        self.start_tour("/my", "lianghua_portal_ticket", login=self.portal_vendor.login)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "ERP interface to our WMS times out")]
        )
        self.assertRecordValues(
            ticket,
            [
                {
                    "partner_id": self.portal_vendor.partner_id.id,
                    "lianghua_system_id": self.erp.id,
                    "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
                }
            ],
        )
        self.assertTrue(ticket.ticket_sla_ids)
        self.assertIn(self.portal_vendor.partner_id, ticket.message_partner_ids)


@tagged("post_install", "-at_install")
class TestTicketTour(HttpCase, LianghuaOperationsCommon):
    def test_it_takes_a_ticket_in_the_web_client(self):
        ticket = self._ticket(name="Label printer offline", user_id=False)
        response = ticket.ticket_sla_ids.filtered(lambda line: line.lianghua_kind == "response")
        self.assertEqual(response.state, "in_progress")

        self.start_tour("/odoo", "lianghua_ticket_take", login=self.it_user.login)

        ticket.invalidate_recordset()
        self.assertRecordValues(
            ticket, [{"user_id": self.it_user.id, "stage_id": self.stage_progress.id}]
        )
        self.assertEqual(response.state, "accomplished", "the response target is met")
