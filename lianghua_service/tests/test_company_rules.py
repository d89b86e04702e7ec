"""Multi-company: one database for an enterprise group, and each subsidiary
sees nothing of the others.

Company A is the main company of the fixtures (its desk, its systems ERP and
CRM, its people); company B is a subsidiary with its own department, people,
desk and system (MES). Calls that a client could make are made over RPC,
through the dispatcher (odoo.service.model.execute_kw), as in
test_operations_guards.py."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import LianghuaOperationsCommon

STEP_50 = "lianghua_service.escalation_step_resolution_50"


@tagged("post_install", "-at_install")
class TestCompanyRules(HttpCase, LianghuaOperationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Lianghua Subsidiary B"})
        cls.dept_b = cls.env["hr.department"].create(
            {"name": "Subsidiary Sales", "company_id": cls.company_b.id}
        )
        cls.requester_b = cls._user("lh_requester_b", "requester", cls.dept_b, cls.company_b)
        cls.it_b = cls._user("lh_it_b", "it_user", cls.dept_b, cls.company_b)
        cls.it_manager_b = cls._user("lh_it_manager_b", "it_manager", cls.dept_b, cls.company_b)
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Subsidiary desk",
                "company_id": cls.company_b.id,
                "use_sla": True,
                "user_ids": [Command.set(cls.it_b.ids)],
            }
        )
        cls.mes = cls.env["lianghua.system"].create(
            {"name": "MES", "code": "MES", "company_id": cls.company_b.id,
             "department_id": cls.dept_b.id, "it_owner_id": cls.it_b.id}
        )  # fmt: skip

        # A's records.
        cls.ticket = cls._ticket(cls)  # the Sales requester's, on ERP
        cls.escalation = cls.env["lianghua.ticket.escalation"].create(
            {
                "ticket_id": cls.ticket.id,
                "ticket_sla_id": cls.ticket.ticket_sla_ids[:1].id,
                "step_id": cls.env.ref(STEP_50).id,
            }
        )
        cls.plan = cls.env["lianghua.maintenance.plan"].create(
            {
                "name": "Backup restore test",
                "system_id": cls.erp.id,
                "team_id": cls.team.id,
                "next_date": cls.future,
                "line_ids": [Command.create({"name": "Restore last night's backup"})],
            }
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Huaxin Software", "is_company": True, "company_id": cls.env.company.id}
        )
        cls.b_users = cls.requester_b | cls.it_b | cls.it_manager_b

    def _plan_state(self):
        return (
            self.plan.ticket_count,
            self.plan.next_date,
            self.plan.date_open,
            self.plan.last_ticket_date,
        )

    def _ticket_b(self, user=None, **vals):
        return (
            self.env["helpdesk.ticket"]
            .with_user(user or self.it_b)
            .create(
                {
                    "name": "MES stops at night",
                    "description": "<p>The line stops at 2:00.</p>",
                    "team_id": self.team_b.id,
                    "lianghua_system_id": self.mes.id,
                    **vals,
                }
            )
        )

    def test_b_reads_none_of_a_sla_lines_and_escalations(self):
        lines = self.ticket.ticket_sla_ids
        self.assertEqual(len(lines), 2, "response and resolution")
        for user in self.b_users:
            for model, records in (
                ("helpdesk.ticket.sla", lines),
                ("lianghua.ticket.escalation", self.escalation),
            ):
                with self.subTest(user=user.login, model=model):
                    Model = self.env[model].with_user(user)
                    self.assertFalse(Model.search([("id", "in", records.ids)]))
                    self.assertFalse(Model.search([("ticket_id", "=", self.ticket.id)]))
                    with self.assertRaises(AccessError):
                        Model.browse(records.ids).read(["ticket_id"])
        # Nor through helpdesk_mgmt_sla's report (IT managers, ticket names included).
        reports = self.env["helpdesk.sla.report"].with_user(self.it_manager_b)
        self.assertFalse(reports.search([("ticket_id", "=", self.ticket.id)]))
        # A's people read them, and B's theirs.
        self.assertEqual(
            self.env["helpdesk.ticket.sla"]
            .with_user(self.it_user)
            .search([("ticket_id", "=", self.ticket.id)]),
            lines,
        )
        ticket_b = self._ticket_b()
        self.assertEqual(lines.company_id, self.env.company)
        self.assertEqual(ticket_b.ticket_sla_ids.company_id, self.company_b)
        self.assertEqual(
            self.env["helpdesk.ticket.sla"].with_user(self.it_b).search([]),
            ticket_b.ticket_sla_ids,
        )

    def test_tickets_take_the_sla_policies_of_their_company(self):
        policy_b = self.env["helpdesk.sla"].create(
            {"name": "Subsidiary resolution", "company_id": self.company_b.id, "hours": 8}
        )
        ticket = self._ticket(name="Printer jam")
        self.assertTrue(ticket.ticket_sla_ids)
        self.assertNotIn(policy_b, ticket.ticket_sla_ids.sla_id)
        self.assertIn(policy_b, self._ticket_b().ticket_sla_ids.sla_id)

    def test_a_ticket_on_another_company_system_is_refused(self):
        for user in (self.it_b, self.requester_b):
            with self.subTest(user=user.login):
                vals = {"team_id": False} if user == self.requester_b else {}
                with self.assertRaises(UserError) as caught:
                    self._ticket_b(user, lianghua_system_id=self.erp.id, **vals)
                message = str(caught.exception)
                self.assertRegex(
                    message,
                    r"belongs to the company Lianghua Subsidiary B: choose its Information "
                    r"System\b.* among that company's",
                )
                self.assertNotIn("ERP", message, "the message names nothing of A")
        ticket_b = self._ticket_b()
        with self.assertRefused(UserError, "choose its Information System"):
            ticket_b.write({"lianghua_system_id": self.erp.id})
        self.assertUnchanged(ticket_b, {"lianghua_system_id": self.mes.id})
        # Over RPC too, and nothing is created.
        count = self.env["helpdesk.ticket"].search_count([])
        with self.assertRefused(UserError, "choose its Information System"):
            self._rpc(
                self.it_b,
                "helpdesk.ticket",
                "create",
                {"name": "MES", "description": "<p>Down.</p>", "team_id": self.team_b.id,
                 "lianghua_system_id": self.erp.id},
            )  # fmt: skip
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)

    def test_b_cannot_set_sla_nor_open_maintenance_on_a_records(self):
        self.ticket.ticket_sla_ids.write({"consumed_time": 2.5})  # time already used
        sla_before, plan_before = self._sla_state(), self._plan_state()
        tickets = self.env["helpdesk.ticket"].search_count([])
        for user in (self.it_b, self.it_manager_b):
            for method in ("set_sla", "refresh_sla"):
                with self.subTest(user=user.login, method=method):
                    with self.assertRaises(AccessError):
                        self._rpc(user, "helpdesk.ticket", method, self.ticket.ids)
                    self.assertEqual(self._sla_state(), sla_before)
            with self.subTest(user=user.login, method="action_open_now"):
                with self.assertRaises(AccessError):
                    self._rpc(user, "lianghua.maintenance.plan", "action_open_now", self.plan.ids)
                self.assertEqual(self._plan_state(), plan_before)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), tickets)
        # B's IT works B's own.
        ticket_b = self._ticket_b()
        self._rpc(self.it_b, "helpdesk.ticket", "refresh_sla", ticket_b.ids)
        plan_b = self.env["lianghua.maintenance.plan"].create(
            {"name": "Line check", "system_id": self.mes.id, "team_id": self.team_b.id}
        )
        action = self._rpc(self.it_b, "lianghua.maintenance.plan", "action_open_now", plan_b.ids)
        self.assertEqual(action["res_id"], plan_b.ticket_ids.id)
        self.assertEqual(plan_b.ticket_ids.company_id, self.company_b)

    def test_records_of_b_refuse_links_to_a(self):
        """A record of B names only records of B (or shared ones); the
        refusal names the field, never the record of A."""
        a_category = self.env["lianghua.system.category"].create(
            {"name": "Plant floor", "company_id": self.env.company.id}
        )
        ticket_b = self._ticket_b()
        plan_b = self.env["lianghua.maintenance.plan"].create(
            {"name": "Line check", "system_id": self.mes.id, "team_id": self.team_b.id}
        )
        step_b = self.env["lianghua.escalation.step"].create(
            {"name": "Subsidiary at risk", "company_id": self.company_b.id, "threshold": 80}
        )
        cases = [
            (self.mes, {"it_owner_id": self.it_user.id}, "IT Owner", self.it_user.name),
            (self.mes, {"vendor_id": self.vendor.id}, "Vendor", self.vendor.name),
            (self.mes, {"category_id": a_category.id}, "Category", a_category.name),
            (plan_b, {"user_id": self.it_user.id}, "Assigned to", self.it_user.name),
            (ticket_b, {"lianghua_department_id": self.dept_sales.id}, "Requesting Department",
             "Sales"),
            (step_b, {"team_ids": [Command.link(self.team.id)]}, "Teams", self.team.name),
            (step_b, {"reassign": "user", "reassign_user_id": self.it_user.id}, "Reassign to",
             self.it_user.name),
        ]  # fmt: skip
        for record, vals, label, a_name in cases:
            with self.subTest(model=record._name, field=label):
                before = record.read(list(vals))[0]
                with self.assertRaises(UserError) as caught:
                    record.with_user(self.it_manager_b).write(vals)
                message = str(caught.exception)
                self.assertIn(label, message)
                if a_name:
                    self.assertNotIn(a_name, message)
                record.invalidate_recordset()
                self.assertEqual(record.read(list(vals))[0], before)
        # A requester of A who works for B too: their ticket in B has no
        # requesting department (theirs is A's), it is not refused.
        self.requester.company_ids |= self.company_b
        ticket = self._ticket_b(partner_id=self.requester.partner_id.id)
        self.assertEqual(ticket.company_id, self.company_b)
        self.assertFalse(ticket.lianghua_department_id)
        # Shared records and B's own are fine.
        self.mes.with_user(self.it_manager_b).write(
            {"category_id": self.env.ref("lianghua_service.system_category_erp").id}
        )
        step_b.with_user(self.it_manager_b).team_ids = self.team_b
