from datetime import date, datetime, time, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from psycopg2.errors import UniqueViolation

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import LianghuaOperationsCommon


@tagged("post_install", "-at_install")
class TestOperations(LianghuaOperationsCommon):
    """Tickets from every channel, complex tickets, ratings, maintenance plans,
    availability and the system register."""

    # Intake

    def test_business_user_opens_a_ticket_for_themselves(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.requester)
        with Form(Ticket) as form:
            form.name = "Printer queue stuck"
            form.description = "<p>Nothing prints since this morning.</p>"
            form.lianghua_system_id = self.erp
            form.team_id = self.team
        ticket = form.save()
        self.assertRecordValues(
            ticket,
            [
                {
                    "partner_id": self.requester.partner_id.id,
                    "lianghua_department_id": self.dept_sales.id,
                    "lianghua_kind": "support",
                }
            ],
        )
        self.assertEqual(len(ticket.ticket_sla_ids), 2, "response and resolution targets")
        # The requester may add details, not work the ticket.
        ticket.description = "<p>Nothing prints since 8:00, on every floor.</p>"
        with self.assertRefused(UserError, "IT works the tickets"):
            ticket.write({"stage_id": self.stage_done.id})
        with self.assertRefused(UserError, "IT works the tickets"):
            ticket.write({"user_id": self.requester.id})
        self.assertUnchanged(ticket, {"stage_id": self.stage_new.id, "user_id": False})

    def test_business_users_cannot_work_tickets_through_create_or_follow(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.requester)
        for vals, pattern in (
            ({"stage_id": self.stage_done.id}, "Stage"),
            ({"user_id": self.it_user.id}, "Assigned user"),
            ({"lianghua_kind": "incident"}, "Ticket Type"),
            ({"lianghua_down_start": datetime(2000, 1, 1)}, "Down Since"),
        ):
            with self.assertRefused(UserError, pattern):
                Ticket.create({"name": "Mine", "description": "<p>x</p>", **vals})
        # A colleague follows the ticket: reads it, does not change it.
        ticket = self._ticket()
        ticket.message_subscribe(partner_ids=self.colleague.partner_id.ids)
        self.assertEqual(ticket.with_user(self.colleague).name, "Cannot post invoices")
        with self.assertRefused(UserError, "Only its requester and IT"):
            ticket.with_user(self.colleague).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            ticket.with_user(self.requester).read(["lianghua_analysis"])
        self.assertUnchanged(ticket, {"name": "Cannot post invoices"})

    def test_department_follows_the_system_when_the_requester_has_none(self):
        ticket = self._ticket(partner_id=False, lianghua_system_id=False)
        self.assertFalse(ticket.lianghua_department_id)
        ticket.lianghua_system_id = self.crm
        self.assertEqual(ticket.lianghua_department_id, self.dept_sales)

    def test_hotline_call_logged_by_it_for_the_caller(self):
        action = self.env.ref("lianghua_service.lianghua_ticket_action_hotline")
        context = safe_eval(action.context)  # as the web client reads it
        Ticket = self.env["helpdesk.ticket"].with_user(self.it_user).with_context(**context)
        with Form(Ticket) as form:
            form.partner_id = self.requester_prod.partner_id
            form.name = "ERP login fails"
            form.description = "<p>Called at 9:10: password reset does not arrive.</p>"
            form.team_id = self.team
            form.lianghua_system_id = self.erp
        ticket = form.save()
        self.assertRecordValues(
            ticket,
            [
                {
                    "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
                    "partner_id": self.requester_prod.partner_id.id,
                    "lianghua_department_id": self.dept_production.id,
                }
            ],
        )
        # The caller follows it from their side.
        self.assertIn(ticket, self.env["helpdesk.ticket"].with_user(self.requester_prod).search([]))

    def test_mail_to_the_team_alias_opens_a_ticket(self):
        alias_domain = self.env["mail.alias.domain"].create({"name": "lianghua.example.com"})
        self.team.write({"alias_name": "itsupport", "alias_domain_id": alias_domain.id})
        domain = alias_domain.name
        raw = (
            f"From: Lh Requester <{self.requester.email}>\r\n"
            f"To: itsupport@{domain}\r\n"
            "Subject: VPN drops every hour\r\n"
            "Message-ID: <vpn-drops-1@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Since Monday the VPN disconnects every hour.\r\n"
        )
        ticket_id = self.env["mail.thread"].message_process("helpdesk.ticket", raw)
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertRecordValues(
            ticket,
            [
                {
                    "name": "VPN drops every hour",
                    "team_id": self.team.id,
                    "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email").id,
                    "partner_id": self.requester.partner_id.id,
                }
            ],
        )

    # Complex tickets and satisfaction

    def test_complex_ticket_progress_reaches_the_requester(self):
        ticket = self._ticket(lianghua_complexity="complex")
        ticket.with_user(self.it_user).write(
            {
                "lianghua_progress_note": "We reproduced it on the test system.",
                "stage_id": self.stage_progress.id,
            }
        )
        message = ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.requester.partner_id in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn("In Progress", message.body)
        self.assertIn("We reproduced it on the test system.", message.body)
        # A general ticket does not post progress.
        general = self._ticket()
        general.with_user(self.it_user).stage_id = self.stage_progress
        self.assertFalse(
            general.message_ids.filtered(lambda m: m.message_type == "comment" and m.partner_ids)
        )

    def test_rating_is_requested_on_close_and_a_low_one_is_followed_up(self):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertEqual(
            done.rating_mail_template_id,
            self.env.ref("helpdesk_mgmt_rating.rating_ticket_email_template"),
        )
        ticket = self._ticket()
        ticket.with_user(self.it_user).stage_id = self.stage_done
        request = ticket.rating_ids
        self.assertEqual(request.partner_id, self.requester.partner_id, "the requester is asked")
        survey = ticket.message_ids.filtered(lambda m: "Satisfaction Survey" in (m.subject or ""))
        self.assertIn(self.requester.partner_id, survey.partner_ids)
        ticket.rating_apply(1, token=request.access_token, feedback="Took three days.")
        activity = ticket.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("lianghua_service.mail_activity_ticket_low_rating")
            )
        )
        self.assertEqual(activity.user_id, self.it_manager, "the team leader follows up")
        self.assertIn("Took three days.", activity.note)
        happy = self._ticket()
        happy.rating_apply(5, token=happy._rating_get_access_token())
        self.assertFalse(happy.activity_ids)

    # Maintenance

    def _plan(self, **vals):
        return self.env["lianghua.maintenance.plan"].create(
            {
                "name": "Backup restore test",
                "system_id": self.erp.id,
                "team_id": self.team.id,
                "user_id": self.it_user.id,
                "interval": 1,
                "interval_unit": "month",
                "next_date": self.today + timedelta(days=5),
                "lead_days": 7,
                "line_ids": [
                    fields.Command.create({"name": "Restore last night's backup"}),
                    fields.Command.create({"name": "Compare row counts"}),
                ],
                **vals,
            }
        )

    def test_maintenance_plan_opens_tickets_ahead_with_its_checklist(self):
        plan = self._plan()
        later = self._plan(name="Certificates", next_date=self.today + timedelta(days=30))
        Plan = self.env["lianghua.maintenance.plan"]
        Plan._cron_open_tickets()
        Plan._cron_open_tickets()
        ticket = plan.ticket_ids
        self.assertEqual(len(ticket), 1, "once per date")
        self.assertFalse(later.ticket_ids, "not yet within its lead time")
        self.assertRecordValues(
            ticket,
            [
                {
                    "lianghua_kind": "maintenance",
                    "lianghua_system_id": self.erp.id,
                    "lianghua_date_planned": self.today + timedelta(days=5),
                    "user_id": self.it_user.id,
                }
            ],
        )
        self.assertEqual(
            ticket.lianghua_check_ids.mapped("name"),
            ["Restore last night's backup", "Compare row counts"],
        )
        self.assertEqual(plan.next_date, self.today + timedelta(days=5) + relativedelta(months=1))

        # Completion records the results of the checklist.
        it_ticket = ticket.with_user(self.it_user)
        with self.assertRefused(UserError, "Compare row counts"):
            it_ticket.lianghua_check_ids[0].result = "pass"
            it_ticket.stage_id = self.stage_done
        self.env.invalidate_all()
        it_ticket.lianghua_check_ids.write({"result": "pass"})
        it_ticket.lianghua_check_ids[1].note = "12 rows missing in the archive, reloaded"
        it_ticket.stage_id = self.stage_done
        self.assertTrue(ticket.closed)

    def test_maintenance_cron_takes_the_plans_due_by_their_opening_date(self):
        Plan = self.env["lianghua.maintenance.plan"]
        field = Plan._fields["date_open"]
        self.assertTrue(field.store and field.index, "searched in the database")
        first = self._plan(next_date=self.today + timedelta(days=3))
        second = self._plan(name="Certificates")  # in 5 days, opens 7 days ahead
        later = self._plan(name="Disk space", next_date=self.today + timedelta(days=30))
        paused = self._plan(name="Paused", active=False)
        legacy = self.env["lianghua.system"].create({"name": "Legacy MES", "state": "retired"})
        retired = self._plan(name="Legacy backup", system_id=legacy.id)
        self.assertRecordValues(
            first | second | later,
            [
                {"date_open": self.today - timedelta(days=4)},
                {"date_open": self.today - timedelta(days=2)},
                {"date_open": self.today + timedelta(days=23)},
            ],
        )
        self.assertEqual(Plan.search(Plan._get_cron_domain(self.today)), first | second)

        # One batch per call, the earliest opening first; the cron calls again.
        with patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress:
            Plan._cron_open_tickets(batch_size=1)
            progress.assert_called_once_with(done=1, remaining=1)
            self.assertEqual(len(first.ticket_ids), 1)
            self.assertFalse(second.ticket_ids)
            Plan._cron_open_tickets(batch_size=1)
            Plan._cron_open_tickets(batch_size=1)
        self.assertEqual(len(second.ticket_ids), 1)
        self.assertFalse((later | paused | retired).ticket_ids)
        # The opening date follows the plan.
        self.assertEqual(first.date_open, first.next_date - timedelta(days=7))
        later.lead_days = 30
        self.assertEqual(Plan.search(Plan._get_cron_domain(self.today)), later)

    def test_maintenance_cron_survives_a_plan_that_fails(self):
        Plan = self.env["lianghua.maintenance.plan"]
        good, broken, other = (self._plan(name=name) for name in ("Backup", "Broken", "Logs"))
        open_tickets = type(Plan)._open_tickets

        def failing(plans):
            if broken in plans:
                raise ValueError("the checklist cannot be copied")
            return open_tickets(plans)

        logger = "odoo.addons.lianghua_service.models.maintenance_plan"
        with patch.object(type(Plan), "_open_tickets", failing), self.assertLogs(logger) as logs:
            Plan._cron_open_tickets()
            self.assertFalse(
                Plan.search(Plan._get_cron_domain(self.today)), "the next run skips it"
            )
        self.assertEqual([len(plan.ticket_ids) for plan in (good, broken, other)], [1, 0, 1])
        errors = [record for record in logs.records if record.levelname == "ERROR"]
        self.assertEqual(len(errors), 1)
        self.assertIn("Broken", errors[0].getMessage())
        self.assertRecordValues(
            broken,
            [
                {
                    "date_open": self.today + timedelta(days=1),
                    "next_date": self.today + timedelta(days=5),  # unchanged
                }
            ],
        )
        # Tomorrow, it is tried again.
        with self.at(datetime.combine(self.today + timedelta(days=1), time(9))):
            Plan._cron_open_tickets()
        self.assertEqual(len(broken.ticket_ids), 1)

    def test_a_paused_plan_opens_its_next_date_only(self):
        plan = self._plan(next_date=self.today - relativedelta(months=3, days=-2))
        self.env["lianghua.maintenance.plan"]._cron_open_tickets()
        self.assertEqual(len(plan.ticket_ids), 1, "no backfill of the missed months")
        self.assertGreaterEqual(plan.ticket_ids.lianghua_date_planned, self.today)
        self.assertGreater(plan.next_date, self.today)

    def test_month_end_maintenance_stays_at_month_end(self):
        plan = self._plan(next_date=date(2027, 1, 31))
        dates = []
        for __ in range(3):
            dates.append(plan.next_date)
            plan.with_context(lianghua_keep_anchor=True).next_date = plan._following_date(
                plan.next_date
            )
        self.assertEqual(dates, [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)])

    def test_maintenance_plan_bad_input(self):
        with self.assertRefused(ValidationError, "at least every 1"):
            self._plan(interval=0)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self._plan(lead_days=-1)
        with self.assertRefused(UserError, "open these tickets themselves"):
            self._ticket().with_user(self.it_user).write(
                {"lianghua_maintenance_plan_id": self._plan().id}
            )

    # Availability

    def test_availability_from_incident_downtime(self):
        self.erp.date_go_live = self.today - relativedelta(years=1)
        month = (datetime.now() - relativedelta(months=1)).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        day5 = month + timedelta(days=4)
        for start, end in (
            (day5.replace(hour=10), day5.replace(hour=12)),
            (day5.replace(hour=11), day5.replace(hour=13)),  # overlaps: counted once
            (day5.replace(hour=20), day5.replace(hour=21)),
        ):
            self._ticket(lianghua_kind="incident", lianghua_down_start=start, lianghua_down_end=end)
        self._ticket(  # another system's outage
            lianghua_system_id=self.crm.id,
            lianghua_kind="incident",
            lianghua_down_start=day5,
            lianghua_down_end=day5 + timedelta(hours=5),
        )
        self.env.flush_all()
        row = self.env["lianghua.system.availability"].search(
            [("system_id", "=", self.erp.id), ("month", "=", month.date())]
        )
        hours = ((month + relativedelta(months=1)) - month).days * 24
        self.assertRecordValues(
            row,
            [
                {
                    "downtime_hours": 4.0,
                    "incident_count": 3,
                    "service_hours": hours,
                    "availability_target": 99.5,
                }
            ],
        )
        self.assertAlmostEqual(row.availability, 100 * (1 - 4 / hours), places=6)

    def test_cancelled_incidents_do_not_count_and_closing_needs_the_end(self):
        self.erp.date_go_live = self.today - relativedelta(years=1)
        start = fields.Datetime.now() - timedelta(hours=3)
        incident = self._ticket(lianghua_kind="incident", lianghua_down_start=start)
        with self.assertRefused(UserError, "Record when the outage"):
            incident.with_user(self.it_user).stage_id = self.stage_done
        incident.with_user(self.it_user).stage_id = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_cancelled"
        )  # a false alarm
        self.env.flush_all()
        row = self.env["lianghua.system.availability"].search(
            [("system_id", "=", self.erp.id)], order="month desc", limit=1
        )
        self.assertEqual(row.downtime_hours, 0.0)

    def test_incident_bad_input(self):
        with self.assertRefused(UserError, "ends before it starts"):
            self._ticket(
                lianghua_kind="incident",
                lianghua_down_start=datetime(2026, 11, 2, 10),
                lianghua_down_end=datetime(2026, 11, 2, 9),
            )
        with self.assertRefused(UserError, "has a start"):
            self._ticket(lianghua_kind="incident", lianghua_down_end=datetime(2026, 11, 2, 9))

    # The register

    def test_upgrade_of_a_system_goes_back_through_the_request_lifecycle(self):
        action = self.erp.with_user(self.requester).action_request_change()
        Request = self.env["lianghua.request"].with_user(self.requester)
        with Form(Request.with_context(**action["context"])) as form:
            form.background = "Month-end closing takes three days."
            form.description = "<p>Automate the bank reconciliation.</p>"
            form.expected_goal = "Close in one day."
            form.date_required = self.future
        request = form.save()
        self.assertRecordValues(
            request, [{"system_id": self.erp.id, "title": "Upgrade of ERP", "state": "draft"}]
        )
        self.assertEqual(self.erp.request_count, 1)

    def test_system_bad_input_and_rights(self):
        System = self.env["lianghua.system"]
        with self.assertRefused(ValidationError, "percentage above 0"):
            System.create({"name": "MES", "availability_target": 120})
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation), self.cr.savepoint():
            System.create({"name": "ERP 2", "code": "ERP"})
            self.env.flush_all()
        self.assertTrue(System.create({"name": "MES"}).code.startswith("SYS"))
        # Business users and auditors read the register; only IT changes it.
        self.assertEqual(self.erp.with_user(self.requester).name, "ERP")
        with self.assertRaises(AccessError):
            self.erp.with_user(self.requester).write({"criticality": "low"})
        with self.assertRaises(AccessError):
            self.erp.with_user(self.auditor).write({"criticality": "low"})
        self.erp.with_user(self.it_user).write({"criticality": "high"})

    # Rights on tickets

    def test_who_sees_which_ticket(self):
        ticket = self._ticket()  # a Sales requester's ticket
        Ticket = self.env["helpdesk.ticket"]
        visible = {
            user: bool(Ticket.with_user(user).search([("id", "=", ticket.id)]))
            for user in (
                self.requester, self.colleague, self.requester_prod, self.dept_manager,
                self.dept_manager_prod, self.it_user, self.leader, self.auditor,
            )
        }  # fmt: skip
        self.assertEqual(
            visible,
            {
                self.requester: True,
                self.colleague: False,
                self.requester_prod: False,
                self.dept_manager: True,
                self.dept_manager_prod: False,
                self.it_user: True,
                self.leader: True,
                self.auditor: True,
            },
        )
        for user in (self.auditor, self.leader):
            with self.assertRaises(UserError):
                ticket.with_user(user).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            ticket.with_user(self.requester_prod).read(["name"])
        self.assertUnchanged(ticket, {"name": "Cannot post invoices"})
        # Nor its escalations and checks, through their own models.
        ticket.lianghua_check_ids = [fields.Command.create({"name": "Check the queue"})]
        self.env["lianghua.ticket.escalation"].sudo().create(
            {
                "ticket_id": ticket.id,
                "step_id": self.env.ref("lianghua_service.escalation_step_resolution_50").id,
            }
        )
        for model in ("lianghua.ticket.escalation", "lianghua.maintenance.check"):
            self.assertFalse(self.env[model].with_user(self.requester_prod).search([]), model)
            self.assertTrue(self.env[model].with_user(self.requester).search([]), model)
            self.assertTrue(self.env[model].with_user(self.auditor).search([]), model)

    def test_escalation_steps_are_configured_by_it_managers(self):
        step = self.env.ref("lianghua_service.escalation_step_resolution_50")
        with self.assertRaises(AccessError):
            step.with_user(self.it_user).threshold = 60
        with self.assertRefused(ValidationError, "choose whom"):
            step.with_user(self.it_manager).reassign = "user"
        with self.assertRefused(ValidationError, "above 0 and up"):
            step.with_user(self.it_manager).threshold = 0
        step.with_user(self.it_manager).threshold = 60
