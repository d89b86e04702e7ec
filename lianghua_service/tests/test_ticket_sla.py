from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.mail.models.mail_thread import MailThread

from .common import LianghuaOperationsCommon

# Shanghai is UTC+8; the desk works 9:00-12:00 and 13:00-18:00, Monday to Friday.
FRI_16 = datetime(2026, 11, 20, 8, 0)  # Friday 16:00 in Shanghai
MON_9 = datetime(2026, 11, 23, 1, 0)
MON_10 = datetime(2026, 11, 23, 2, 0)
MON_11 = datetime(2026, 11, 23, 3, 0)
MON_1759 = datetime(2026, 11, 23, 9, 59)
MON_18 = datetime(2026, 11, 23, 10, 0)
TUE_14 = datetime(2026, 11, 24, 6, 0)
TUE_16 = datetime(2026, 11, 24, 8, 0)
TUE_18 = datetime(2026, 11, 24, 10, 0)
WED_9 = datetime(2026, 11, 25, 1, 0)
WED_10 = datetime(2026, 11, 25, 2, 0)
WED_14 = datetime(2026, 11, 25, 6, 0)
THU_14 = datetime(2026, 11, 26, 6, 0)

STEP_50 = "lianghua_service.escalation_step_resolution_50"
STEP_75 = "lianghua_service.escalation_step_resolution_75"
STEP_100 = "lianghua_service.escalation_step_resolution_100"


class Killed(BaseException):
    """A worker killed mid-batch (time limit, out of memory): not an error of
    a ticket, which the cron would skip."""


@tagged("post_install", "-at_install")
class TestTicketSla(LianghuaOperationsCommon):
    def _line(self, ticket, kind):
        return ticket.ticket_sla_ids.filtered(lambda line: line.lianghua_kind == kind)

    def test_deadlines_skip_the_weekend_and_pause_while_awaiting(self):
        with self.at(FRI_16):
            ticket = self._ticket()
        self.assertEqual(
            ticket.ticket_sla_ids.sla_id,
            self.env.ref("lianghua_service.sla_response_1")
            | self.env.ref("lianghua_service.sla_resolution_1_general"),
            "a medium, general ticket: 4 h response, 16 h resolution",
        )
        # Friday 16:00-18:00, then Monday from 9:00
        self.assertEqual(self._line(ticket, "response").deadline, MON_11)
        self.assertEqual(self._line(ticket, "resolution").deadline, TUE_16)

        with self.at(MON_10):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self._line(ticket, "response").state, "accomplished")
        with self.at(MON_11):
            ticket.stage_id = self.stage_awaiting
        resolution = self._line(ticket, "resolution")
        self.assertRecordValues(resolution, [{"state": "on_hold", "consumed_time": 4.0}])

        # Two days awaiting the requester do not count.
        with self.at(WED_9):
            ticket.stage_id = self.stage_progress
        self.assertRecordValues(resolution, [{"state": "in_progress", "deadline": THU_14}])

    def test_consumed_time_is_kept_when_the_sla_changes(self):
        with self.at(FRI_16):
            ticket = self._ticket()
        with self.at(MON_11):
            ticket.priority = "2"  # high: 8 h resolution, 2 h response
        resolution = self._line(ticket, "resolution")
        self.assertRecordValues(
            resolution,
            [
                {
                    "sla_id": self.env.ref("lianghua_service.sla_resolution_2_general").id,
                    # Friday 16:00-18:00 and Monday 9:00-11:00
                    "consumed_time": 4.0,
                    # 4 h left from Monday 11:00: 11:00-12:00, 13:00-16:00
                    "deadline": datetime(2026, 11, 23, 8, 0),
                }
            ],
        )
        response = self._line(ticket, "response")
        self.assertRecordValues(
            response,
            [{"sla_id": self.env.ref("lianghua_service.sla_response_2").id, "consumed_time": 4.0}],
        )
        with self.at(MON_11):
            ticket.invalidate_recordset(["sla_expired"])
            self.assertTrue(ticket.sla_expired, "4 h used of a 2 h response target")

    def test_consumed_time_carries_over_to_a_longer_target(self):
        with self.at(MON_9):
            ticket = self._ticket(stage_id=self.stage_progress.id)
        with self.at(datetime(2026, 11, 23, 6, 0)):  # Monday 14:00: 4 h used
            ticket.lianghua_complexity = "complex"  # medium, complex: 40 h
        resolution = self._line(ticket, "resolution")
        self.assertRecordValues(
            resolution,
            [
                {
                    "sla_id": self.env.ref("lianghua_service.sla_resolution_1_complex").id,
                    "consumed_time": 4.0,
                    "state": "in_progress",
                }
            ],
        )
        # 36 h left from Monday 14:00: Monday 4 h, Tuesday to Thursday 24 h,
        # Friday 8 h, ends Friday 18:00.
        self.assertEqual(resolution.deadline, datetime(2026, 11, 27, 10, 0))

    def test_escalation_steps_fire_once_each(self):
        Ticket = self.env["helpdesk.ticket"]
        with self.at(MON_9):
            ticket = self._ticket(stage_id=self.stage_progress.id)
        resolution = self._line(ticket, "resolution")
        self.assertEqual(resolution.lianghua_escalation_due, MON_18, "50 % of 16 h")

        with self.at(MON_1759):
            Ticket._cron_lianghua_escalate()
        self.assertFalse(ticket.lianghua_escalation_ids)

        with self.at(MON_18):
            Ticket._cron_lianghua_escalate()
            Ticket._cron_lianghua_escalate()
        self.assertEqual(ticket.lianghua_escalation_ids.step_id, self.env.ref(STEP_50))
        self.assertEqual(ticket.activity_ids.user_id, self.it_user)
        self.assertEqual(resolution.lianghua_escalation_due, TUE_14, "75 % of 16 h")
        self.assertEqual(ticket.priority, "1")

        with self.at(TUE_14):
            Ticket._cron_lianghua_escalate()
        self.assertEqual(
            ticket.lianghua_escalation_ids.step_id, self.env.ref(STEP_50) | self.env.ref(STEP_75)
        )
        self.assertEqual(ticket.priority, "2", "the 75 % step raises the priority")
        self.assertIn(self.it_manager, ticket.activity_ids.user_id, "the team leader hears")
        self.assertEqual(
            resolution.sla_id,
            self.env.ref("lianghua_service.sla_resolution_1_general"),
            "raising the priority does not restart the target",
        )
        self.assertEqual(resolution.lianghua_escalation_due, TUE_18)

        with self.at(WED_9):
            Ticket._cron_lianghua_escalate()
            Ticket._cron_lianghua_escalate()
        self.assertEqual(len(ticket.lianghua_escalation_ids), 3)
        self.assertEqual(ticket.user_id, self.it_manager, "breached: to the team leader")
        self.assertFalse(resolution.lianghua_escalation_due, "no step left")
        logged = ticket.message_ids.filtered(lambda m: "Escalation" in (m.body or ""))
        self.assertEqual(len(logged), 3, "each step is logged once in the chatter")
        self.assertIn("Half the resolution time used", logged[-1].body)

        # Later runs find nothing to do.
        with self.at(THU_14):
            Ticket._cron_lianghua_escalate()
        self.assertEqual(len(ticket.lianghua_escalation_ids), 3)

    def test_steps_due_together_fire_together_one_activity_per_person(self):
        Ticket = self.env["helpdesk.ticket"]
        self.it_manager.groups_id |= self.env.ref("lianghua_service.group_lianghua_it_manager")
        with self.at(MON_9):
            ticket = self._ticket(stage_id=self.stage_progress.id)
        with self.at(WED_9):  # the cron was down: 50, 75 and 100 % at once
            Ticket._cron_lianghua_escalate()
        self.assertEqual(len(ticket.lianghua_escalation_ids), 3)
        # the team leader is an IT manager too: told once, of both steps
        leader_activity = ticket.activity_ids.filtered(lambda a: a.user_id == self.it_manager)
        self.assertEqual(len(leader_activity), 1)
        self.assertIn("Resolution at risk", leader_activity.summary)
        self.assertIn("Resolution target breached", leader_activity.summary)
        self.assertEqual(ticket.priority, "2")

    def test_steps_beyond_the_breach_fire_after_a_stage_change(self):
        Ticket = self.env["helpdesk.ticket"]
        late = self.env["lianghua.escalation.step"].create(
            {"name": "Long overdue", "threshold": 150, "notify_it_managers": True}
        )
        with self.at(MON_9):
            ticket = self._ticket(stage_id=self.stage_progress.id)
        with self.at(WED_9):
            Ticket._cron_lianghua_escalate()
            ticket.stage_id = self.stage_new  # after the deadline: OCA marks it expired
        resolution = self._line(ticket, "resolution")
        self.assertEqual(resolution.state, "expired")
        # 150 % of 16 h is 24 h: Wednesday's 8 h more, until Wednesday 18:00
        self.assertEqual(resolution.lianghua_escalation_due, datetime(2026, 11, 25, 10, 0))
        with self.at(THU_14):
            Ticket._cron_lianghua_escalate()
        self.assertIn(late, ticket.lianghua_escalation_ids.step_id)

    def test_escalation_is_safe_to_rerun_after_a_crash_mid_batch(self):
        Ticket = self.env["helpdesk.ticket"]
        with self.at(MON_9):
            tickets = Ticket.browse(
                [self._ticket(stage_id=self.stage_progress.id).id for __ in range(3)]
            )
        with (
            self.at(MON_18),
            patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress,
        ):
            Ticket._cron_lianghua_escalate(batch_size=2)
            self.assertEqual(len(tickets.lianghua_escalation_ids), 2)
            progress.assert_called_once_with(done=2, remaining=1)

            # The next batch dies (the worker is killed: no error a cron
            # catches) after recording its escalations...
            with (
                patch.object(MailThread, "_message_log_batch", side_effect=Killed),
                self.assertRaises(Killed),
                self.env.cr.savepoint(),
            ):
                Ticket._cron_lianghua_escalate(batch_size=2)
            self.env.invalidate_all()
            self.assertEqual(len(tickets.lianghua_escalation_ids), 2, "rolled back with it")

            # ...and the rerun finishes the work, without firing anything twice.
            Ticket._cron_lianghua_escalate(batch_size=2)
            Ticket._cron_lianghua_escalate(batch_size=2)
        for ticket in tickets:
            self.assertEqual(ticket.lianghua_escalation_ids.step_id, self.env.ref(STEP_50))
            logged = ticket.message_ids.filtered(lambda m: "Escalation" in (m.body or ""))
            self.assertEqual(len(logged), 1)
            self.assertEqual(len(ticket.activity_ids), 1)

    def test_escalation_cron_survives_a_ticket_that_fails(self):
        Ticket = self.env["helpdesk.ticket"]
        TicketSla = self.env["helpdesk.ticket.sla"]
        with self.at(MON_9):
            good, broken, other = (
                self._ticket(stage_id=self.stage_progress.id, name=name)
                for name in ("Good", "Broken", "Other")
            )
        fire = type(TicketSla)._lianghua_fire

        def failing(lines, firing, now):
            if any(line.ticket_id == broken for line, __, __ in firing):
                raise ValueError("the assignee's mail server is gone")
            return fire(lines, firing, now)

        logger = "odoo.addons.lianghua_service.models.helpdesk_ticket_sla"
        with (
            self.at(MON_18),
            patch.object(type(TicketSla), "_lianghua_fire", failing),
            self.assertLogs(logger, "ERROR") as logs,
        ):
            Ticket._cron_lianghua_escalate()
        self.assertEqual(len(logs.records), 1)
        self.assertIn(broken.number, logs.records[0].getMessage())
        for ticket in good | other:
            self.assertEqual(ticket.lianghua_escalation_ids.step_id, self.env.ref(STEP_50))
        self.assertFalse(broken.lianghua_escalation_ids)
        resolution = self._line(broken, "resolution")
        self.assertEqual(resolution.lianghua_escalation_due, MON_18 + timedelta(hours=1))

        # The runs that follow take the other tickets first, and try it again
        # an hour later.
        with self.at(MON_18 + timedelta(minutes=30)):
            self.assertNotIn(
                resolution,
                TicketSla.search(
                    TicketSla._lianghua_escalation_due_domain(MON_18 + timedelta(minutes=30))
                ),
            )
            Ticket._cron_lianghua_escalate()
        self.assertFalse(broken.lianghua_escalation_ids)
        with self.at(MON_18 + timedelta(hours=1)):
            Ticket._cron_lianghua_escalate()
        self.assertEqual(broken.lianghua_escalation_ids.step_id, self.env.ref(STEP_50))

    def test_a_step_added_after_the_breach_reschedules_the_breached_targets(self):
        Ticket = self.env["helpdesk.ticket"]
        with self.at(MON_9):
            ticket = self._ticket(stage_id=self.stage_progress.id)
        with self.at(WED_9):
            Ticket._cron_lianghua_escalate()  # 50, 75 and 100 %
            ticket.stage_id = self.stage_new  # after the deadline: OCA marks it expired
        resolution = self._line(ticket, "resolution")
        self.assertEqual(resolution.state, "expired")
        self.assertFalse(resolution.lianghua_escalation_due, "no step left")

        with self.at(WED_10):
            late = self.env["lianghua.escalation.step"].create(
                {"name": "Long overdue", "threshold": 150, "notify_it_managers": True}
            )
        # 150 % of 16 h is 24 h: Wednesday's 8 h more, until Wednesday 18:00
        self.assertEqual(resolution.lianghua_escalation_due, datetime(2026, 11, 25, 10, 0))
        late.threshold = 200  # 32 h: Thursday 18:00
        self.assertEqual(resolution.lianghua_escalation_due, datetime(2026, 11, 26, 10, 0))
        late.active = False
        self.assertFalse(resolution.lianghua_escalation_due)
        late.active = True
        with self.at(datetime(2026, 11, 26, 10, 0)):
            Ticket._cron_lianghua_escalate()
        self.assertIn(late, ticket.lianghua_escalation_ids.step_id)

    def test_a_step_fires_once_even_when_the_target_changes(self):
        Ticket = self.env["helpdesk.ticket"]
        with self.at(MON_9):
            ticket = self._ticket(stage_id=self.stage_progress.id)
        with self.at(MON_18):
            Ticket._cron_lianghua_escalate()
            ticket.lianghua_complexity = "complex"  # a new, longer resolution target
            Ticket._cron_lianghua_escalate()
        self.assertEqual(len(ticket.lianghua_escalation_ids), 1)
        resolution = self._line(ticket, "resolution")
        # 75 % of 40 h is 30 h: 8 h used on Monday, 22 h more from Tuesday 9:00
        # ends Thursday 16:00.
        self.assertEqual(resolution.lianghua_escalation_due, datetime(2026, 11, 26, 8, 0))

    def test_escalation_cron_queries_do_not_grow_with_the_tickets(self):
        self._escalate_counting_queries(10)
        self._escalate_counting_queries(100)

    def _escalate_counting_queries(self, count):
        Ticket = self.env["helpdesk.ticket"]
        with self.at(MON_9):
            tickets = Ticket.create(
                [
                    {
                        "name": f"Slow report {i}",
                        "description": "<p>The monthly report takes minutes.</p>",
                        "team_id": self.team.id,
                        "user_id": self.it_user.id,
                        "partner_id": self.requester.partner_id.id,
                        "lianghua_system_id": self.erp.id,
                        "priority": "1",
                        "stage_id": self.stage_progress.id,
                    }
                    for i in range(count)
                ]
            )
        with self.at(MON_18):
            self.env.flush_all()
            self.env.invalidate_all()
            self.env.registry.clear_cache()  # the same cold start for both runs
            with self.assertQueryCount(__system__=QUERY_BOUND):
                Ticket._cron_lianghua_escalate()
        self.assertEqual(len(tickets.lianghua_escalation_ids), count)
        tickets.ticket_sla_ids.lianghua_escalation_due = False  # out of the next run
        self.env.flush_all()


# One batch of the escalation cron, whatever its size (in its savepoint).
QUERY_BOUND = 52
