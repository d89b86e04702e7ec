import json
import re
from datetime import datetime
from pathlib import Path

from odoo import http
from odoo.exceptions import AccessError
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
        cls.token = cls.source._do_regenerate_token()[cls.source]
        cls.Ticket = cls.env["helpdesk.ticket"].with_context(active_test=False)

    def _post(self, payload, token=None):
        headers = {"Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = f"Bearer {token or self.token}"
        body = payload if isinstance(payload, str) else json.dumps(payload)
        self.env.flush_all()  # the request reads the database
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
        # The right start is not the token.
        response = self._post(self._payload("firing"), token=self.token[:8] + "x" * 35)
        self.assertEqual(response.status_code, 403)
        self.source.active = False
        response = self._post(self._payload("firing"))
        self.assertEqual(response.status_code, 403, "an archived source is shut out")
        self.assertFalse(self._incidents())

    def test_tokens_are_stored_hashed_and_shown_once(self):
        self.env.flush_all()  # the SQL below reads the database
        self.env.cr.execute(
            "SELECT token_index, token_hash FROM lianghua_monitoring_source WHERE id = %s",
            [self.source.id],
        )
        index, digest = self.env.cr.fetchone()
        self.assertEqual(index, self.token[:8])
        self.assertNotIn(self.token, digest)
        self.assertEqual(len(digest), 64, "a sha256")
        # IT staff read the source; only IT managers make its token, shown once.
        with self.assertRaises(AccessError):
            self.source.with_user(self.it_user).action_regenerate_token()
        source = self.source.with_user(self.it_manager)
        action = source.action_regenerate_token()
        self.assertEqual(action["tag"], "display_notification")
        self.assertTrue(action["params"]["sticky"])
        token = action["params"]["message"].rsplit(" ", 1)[-1]
        self.assertEqual(source.token_index, token[:8])
        self.assertNotIn(token, str(source.read()[0]), "not readable afterwards")
        # The old token no longer opens anything; the new one does.
        with mute_logger("odoo.http"):
            self.assertEqual(self._post(self._payload("firing")).status_code, 403)
        self.assertEqual(self._post(self._payload("firing"), token=token).status_code, 200)

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

    def _close(self, ticket, stage, csrf_token=True):
        """POST /ticket/close as the ticket page's form does (``csrf_token``:
        True for the session's, None for none, or the token to send)."""
        data = {"ticket_id": ticket.id, "stage_id": stage.id}
        if csrf_token is True:
            csrf_token = http.Request.csrf_token(self)
        if csrf_token is not None:
            data["csrf_token"] = csrf_token
        self.env.flush_all()  # the request reads the database
        return self.url_open("/ticket/close", data=data, allow_redirects=False)

    def test_closing_another_partners_ticket_changes_nothing(self):
        cancelled = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cancelled.close_from_portal = True
        stage = self.other_ticket.stage_id
        self.authenticate(self.portal_vendor.login, self.portal_vendor.login)
        with mute_logger("odoo.http"):
            response = self._close(self.other_ticket, cancelled)
        self.assertEqual(response.status_code, 404)
        self.other_ticket.invalidate_recordset()
        self.assertEqual(self.other_ticket.stage_id, stage)
        # Reading is not changing: an auditor reads every ticket, closes none.
        self.authenticate(self.auditor.login, self.auditor.login)
        with mute_logger("odoo.http"):
            response = self._close(self.other_ticket, cancelled)
        self.assertEqual(response.status_code, 403)
        self.other_ticket.invalidate_recordset()
        self.assertEqual(self.other_ticket.stage_id, stage)
        # Their own ticket, they may close.
        self.authenticate(self.portal_vendor.login, self.portal_vendor.login)
        self.assertEqual(self._close(self.vendor_ticket, cancelled).status_code, 302)
        self.vendor_ticket.invalidate_recordset()
        self.assertEqual(self.vendor_ticket.stage_id, cancelled)

    def test_closing_from_the_portal_is_a_post_with_the_csrf_token(self):
        cancelled = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cancelled.close_from_portal = True
        stage = self.vendor_ticket.stage_id
        url = f"/ticket/close?ticket_id={self.vendor_ticket.id}&stage_id={cancelled.id}"
        self.authenticate(self.portal_vendor.login, self.portal_vendor.login)
        self.env.flush_all()  # the request reads the database
        page = self.url_open(f"/my/ticket/{self.vendor_ticket.id}").text
        form = re.search(r'<form[^>]*action="/ticket/close"[^>]*>(.*?)</form>', page, re.S)
        self.assertIn('method="POST"', form.group(0))
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(1)).group(1)

        # A forged link (GET), a forged form (no token, another token): nothing.
        with mute_logger("odoo.http"):
            forged = (
                self.url_open(url, allow_redirects=False),
                self._close(self.vendor_ticket, cancelled, csrf_token=None),
                self._close(self.vendor_ticket, cancelled, csrf_token="0" * 40 + "o9999999999"),
            )
        self.assertEqual([response.status_code for response in forged], [405, 400, 400])
        self.vendor_ticket.invalidate_recordset()
        self.assertEqual(self.vendor_ticket.stage_id, stage)

        # The page's button: closed, back to the ticket.
        response = self._close(self.vendor_ticket, cancelled, csrf_token=token)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{self.vendor_ticket.id}")
        )
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
