"""The public methods of operations, called as a client would: through the RPC
dispatcher (odoo.service.model.execute_kw, as /web/dataset/call_kw and
XML-RPC do), not as Python methods. In an HttpCase the registry is in test
mode: the dispatcher's cursor runs inside the test's transaction."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LianghuaOperationsCommon


@tagged("post_install", "-at_install")
class TestOperationsGuards(HttpCase, LianghuaOperationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="lh_portal_guards", groups="base.group_portal",
            email="lh_portal_guards@example.com", lang="en_US",
        )  # fmt: skip
        cls.ticket = cls._ticket(cls)  # the Sales requester's
        cls.plan = cls.env["lianghua.maintenance.plan"].create(
            {
                "name": "Backup restore test",
                "system_id": cls.erp.id,
                "team_id": cls.team.id,
                "next_date": cls.future,
                "line_ids": [Command.create({"name": "Restore last night's backup"})],
            }
        )
        cls.source = cls.env["lianghua.monitoring.source"].create(
            {"name": "Prometheus", "team_id": cls.team.id, "system_id": cls.crm.id}
        )
        cls.source._do_regenerate_token()

    def _plan_state(self):
        return (self.plan.ticket_count, self.plan.next_date, self.plan.date_open)

    def test_only_it_sets_the_sla_targets_of_open_tickets(self):
        self.ticket.ticket_sla_ids.write({"consumed_time": 2.5})  # time already used
        before = self._sla_state()
        self.assertTrue(before)
        for user in (self.requester, self.requester_prod, self.auditor, self.portal):
            for method in ("set_sla", "refresh_sla"):
                with self.subTest(user=user.login, method=method):
                    with self.assertRaises(AccessError):
                        self._rpc(user, "helpdesk.ticket", method, self.ticket.ids)
                    self.assertEqual(self._sla_state(), before)
        # Nor through the lines themselves.
        with self.assertRaises(AccessError):
            self._rpc(
                self.it_user,
                "helpdesk.ticket.sla",
                "create",
                {"ticket_id": self.ticket.id, "sla_id": before[0]["sla_id"][0]},
            )
        self.assertEqual(self._sla_state(), before)

        # IT may, on an open ticket; a closed one keeps its record.
        self._rpc(self.it_user, "helpdesk.ticket", "set_sla", self.ticket.ids)
        after = self._sla_state()
        self.assertEqual([line["sla_id"] for line in after], [line["sla_id"] for line in before])
        self.ticket.with_user(self.it_user).stage_id = self.stage_done
        before = self._sla_state()
        with self.assertRaisesRegex(UserError, "is closed"):
            self._rpc(self.it_user, "helpdesk.ticket", "set_sla", self.ticket.ids)
        self.assertEqual(self._sla_state(), before)

    def test_requesters_still_get_sla_targets_on_the_tickets_they_open(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.requester)
            .create({"name": "VPN drops", "description": "<p>Every hour.</p>"})
        )
        self.assertEqual(len(ticket.ticket_sla_ids), 2, "response and resolution")

    def test_only_it_opens_maintenance_tickets_now(self):
        before = self._plan_state()
        for user in (self.requester, self.requester_prod, self.auditor, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rpc(user, "lianghua.maintenance.plan", "action_open_now", self.plan.ids)
            self.assertEqual(self._plan_state(), before)

        # IT, on an active plan of a system in service.
        self.plan.active = False
        with self.assertRaisesRegex(UserError, "is archived"):
            self._rpc(self.it_user, "lianghua.maintenance.plan", "action_open_now", self.plan.ids)
        self.plan.active = True
        self.erp.state = "retired"
        with self.assertRaisesRegex(UserError, "is retired"):
            self._rpc(self.it_user, "lianghua.maintenance.plan", "action_open_now", self.plan.ids)
        self.assertEqual(self._plan_state(), before)
        self.erp.state = "live"
        action = self._rpc(
            self.it_user, "lianghua.maintenance.plan", "action_open_now", self.plan.ids
        )
        self.assertEqual(action["res_id"], self.plan.ticket_ids.id)
        self.assertGreater(self.plan.next_date, before[1])

    def test_only_it_managers_generate_source_tokens(self):
        before = self.source.sudo().read(["token_index", "token_hash"])
        for user in (self.it_user, self.requester, self.auditor, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rpc(
                    user, "lianghua.monitoring.source", "action_regenerate_token", self.source.ids
                )
            self.assertEqual(self.source.sudo().read(["token_index", "token_hash"]), before)
        action = self._rpc(
            self.it_manager,
            "lianghua.monitoring.source",
            "action_regenerate_token",
            self.source.ids,
        )
        self.assertEqual(
            action["params"]["message"].rsplit(" ", 1)[-1][:8], self.source.token_index
        )
        self.assertNotEqual(self.source.sudo().read(["token_index", "token_hash"]), before)

    def test_mail_gateway_and_rating_methods_are_not_callable_over_rpc(self):
        count = self.env["helpdesk.ticket"].search_count([])
        rating = self.ticket._rating_get_access_token()
        calls = (
            ("message_new", {"subject": "Forged", "author_id": self.requester_prod.partner_id.id}),
            ("message_update", self.ticket.ids, {"cc": self.requester_prod.email}),
            ("rating_apply", self.ticket.ids, 1, rating),
        )
        for user in (self.requester, self.it_user, self.portal):
            for method, *args in calls:
                with self.subTest(user=user.login, method=method):
                    with self.assertRaisesRegex(AccessError, "Private methods"):
                        self._rpc(user, "helpdesk.ticket", method, *args)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        self.assertNotIn(self.requester_prod.partner_id, self.ticket.message_partner_ids)
        self.assertFalse(self.ticket.rating_ids.filtered("consumed"))
        # Called from Python as some user, they refuse too: the gateway and
        # the rating page run as superuser.
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.it_user).message_update({"cc": ""})
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.requester).rating_apply(1, token=rating)
        # A rating is applied to its own ticket only.
        other = self._ticket(name="Another")
        with self.assertRaisesRegex(UserError, "another document"):
            other.rating_apply(1, token=rating)

    def test_it_works_duplicates_and_users_request_changes(self):
        for user in (self.requester, self.requester_prod, self.auditor, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rpc(user, "helpdesk.ticket", "action_open_duplicate_wizard", self.ticket.ids)
        action = self._rpc(
            self.it_user, "helpdesk.ticket", "action_open_duplicate_wizard", self.ticket.ids
        )
        self.assertEqual(action["context"]["default_ticket_id"], self.ticket.id)
        for user in (self.auditor, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rpc(user, "lianghua.system", "action_request_change", self.erp.ids)
        action = self._rpc(self.requester, "lianghua.system", "action_request_change", self.erp.ids)
        self.assertEqual(action["context"]["default_system_id"], self.erp.id)
