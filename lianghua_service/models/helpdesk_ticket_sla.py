import logging
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup
from pytz import utc

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

IT_MANAGER_GROUP = "lianghua_service.group_lianghua_it_manager"
# The priorities of OCA helpdesk tickets, lowest first.
PRIORITY_ORDER = ["0", "1", "2", "3"]
# Targets whose clock runs: on time, or past the deadline (OCA marks a target
# "expired" when the ticket changes stage after its deadline; the clock of the
# escalations beyond 100 % runs on).
RUNNING = ("in_progress", "expired")

_logger = logging.getLogger(__name__)


class HelpdeskTicketSla(models.Model):
    """A ticket's SLA line, with the time of its next escalation step: the cron
    looks at the lines that are due, not at every open ticket."""

    _inherit = "helpdesk.ticket.sla"
    _check_company_auto = True

    # How long a ticket whose escalation failed waits before it is tried again:
    # the batches that follow take the other tickets first.
    _lianghua_escalation_retry = timedelta(hours=1)

    # A ticket's targets are its company's (record rule), from policies of its
    # company or shared ones.
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    ticket_id = fields.Many2one(check_company=True)
    sla_id = fields.Many2one(check_company=True)
    expected_stage_id = fields.Many2one(check_company=True)
    lianghua_kind = fields.Selection(related="sla_id.lianghua_kind", store=True)
    lianghua_escalation_due = fields.Datetime(
        string="Next Escalation",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="When the next escalation step of this target falls due.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # The workflow plans the targets (helpdesk.ticket._lianghua_set_sla and
        # _lianghua_refresh_sla, as superuser); a client would restart a clock.
        if not self.env.su:
            raise AccessError(_("The SLA targets of tickets are planned by the workflow."))
        lines = super().create(vals_list)
        lines._lianghua_update_escalation_due()
        return lines

    def _stage_recompute(self):
        res = super()._stage_recompute()
        self._lianghua_update_escalation_due()
        return res

    # Working time

    def _lianghua_calendar_groups(self):
        groups = defaultdict(lambda: self.browse())
        for line in self:
            groups[line.ticket_id.team_id.resource_calendar_id] |= line
        return groups

    @staticmethod
    def _lianghua_timeline(calendar, start, end):
        """The calendar's working time between two naive UTC moments (holidays
        excluded; without a calendar, every hour counts), as (intervals, their
        ends, the working hours from ``start`` to the end of each)."""
        if calendar:
            intervals = [
                (
                    begin.astimezone(utc).replace(tzinfo=None),
                    stop.astimezone(utc).replace(tzinfo=None),
                )
                for begin, stop, __ in calendar._work_intervals_batch(
                    utc.localize(start), utc.localize(end), compute_leaves=True
                )[False]
            ]
        else:
            intervals = [(start, end)]
        done_at, total = [], 0.0
        for begin, stop in intervals:
            total += (stop - begin).total_seconds() / 3600
            done_at.append(total)
        return intervals, [stop for __, stop in intervals], done_at

    @staticmethod
    def _lianghua_hours_before(timeline, moment):
        """Working hours of the timeline before ``moment``."""
        intervals, ends, done_at = timeline
        i = bisect_right(ends, moment)
        hours = done_at[i - 1] if i else 0.0
        if i < len(intervals) and intervals[i][0] < moment:
            hours += (moment - intervals[i][0]).total_seconds() / 3600
        return hours

    def _lianghua_elapsed_hours(self, now):
        """{line: working hours consumed by now}, one calendar query per calendar."""
        elapsed = {line: line.consumed_time for line in self}
        running = self.filtered(
            lambda line: (
                line.state in RUNNING and line.last_state_date and line.last_state_date < now
            )
        )
        for calendar, lines in running._lianghua_calendar_groups().items():
            timeline = self._lianghua_timeline(calendar, min(lines.mapped("last_state_date")), now)
            total = timeline[2][-1] if timeline[2] else 0.0
            for line in lines:
                elapsed[line] += total - self._lianghua_hours_before(timeline, line.last_state_date)
        return elapsed

    def _lianghua_plan(self, calendar, starts_hours):
        """{key: the moment ``hours`` working hours after ``start``} for
        ``starts_hours`` {key: (start, hours)}, one calendar query for all."""
        planned, todo = {}, {}
        for key, (start, hours) in starts_hours.items():
            if hours <= 0:
                planned[key] = start
            else:
                todo[key] = (start, hours)
        days = 14 + int(max((hours for __, hours in todo.values()), default=0) / 4)
        while todo:
            first = min(start for start, __ in todo.values())
            last = max(start for start, __ in todo.values())
            timeline = self._lianghua_timeline(calendar, first, last + timedelta(days=days))
            __, ends, done_at = timeline
            for key, (start, hours) in list(todo.items()):
                target = self._lianghua_hours_before(timeline, start) + hours
                k = bisect_left(done_at, target - 1e-9)
                if k < len(ends):
                    planned[key] = ends[k] - timedelta(hours=done_at[k] - target)
                    del todo[key]
            if days > 3660:  # a calendar without working time
                planned.update(dict.fromkeys(todo, False))
                break
            days *= 4
        return planned

    # Escalation

    def _lianghua_steps(self):
        """The active escalation steps, lowest threshold first."""
        return (
            self.env["lianghua.escalation.step"]
            .sudo()
            .search([("active", "=", True)], order="threshold, sequence, id")
        )

    def _lianghua_applicable_steps(self, steps):
        self.ensure_one()
        ticket = self.ticket_id
        return steps.filtered(
            lambda step: (
                step.sla_kind == self.lianghua_kind
                and (not step.team_ids or ticket.team_id in step.team_ids)
                and (not step.company_id or step.company_id == ticket.company_id)
            )
        )

    def _lianghua_fired(self):
        """{(ticket id, step id)} of the steps that have fired on these lines' tickets."""
        escalations = (
            self.env["lianghua.ticket.escalation"]
            .sudo()
            .search_fetch([("ticket_id", "in", self.ticket_id.ids)], ["ticket_id", "step_id"])
        )
        return {(esc.ticket_id.id, esc.step_id.id) for esc in escalations}

    def _lianghua_update_escalation_due(self):
        """Plan when the next step that has not fired falls due, on the team's
        working calendar; no date while the target is not running."""
        lines = self.sudo()  # the workflow plans the escalations
        steps = lines._lianghua_steps()
        fired = lines._lianghua_fired()
        due = {}
        todo = defaultdict(list)  # calendar: [(line, hours left)]
        for line in lines:
            due[line] = False
            if line.state not in RUNNING or not line.last_state_date or line.ticket_id.closed:
                continue
            upcoming = line._lianghua_applicable_steps(steps).filtered(
                lambda step, line=line: (line.ticket_id.id, step.id) not in fired
            )
            if upcoming:
                target = line.hours * upcoming[0].threshold / 100
                todo[line.ticket_id.team_id.resource_calendar_id].append(
                    (line, target - line.consumed_time)
                )
        for calendar, pending in todo.items():
            due.update(
                self._lianghua_plan(
                    calendar, {line: (line.last_state_date, hours) for line, hours in pending}
                )
            )
        for value in set(due.values()):
            changed = lines.filtered(
                lambda line, value=value: (
                    due[line] == value and line.lianghua_escalation_due != value
                )
            )
            if changed:
                changed.write({"lianghua_escalation_due": value})

    @api.model
    def _lianghua_escalation_due_domain(self, now):
        return [
            ("lianghua_escalation_due", "<=", now),
            ("state", "in", RUNNING),
            ("ticket_id.closed", "=", False),
        ]

    def _lianghua_escalate_isolated(self, now):
        """``_lianghua_escalate``, one ticket's failure not stopping the others:
        the batch in a savepoint, and if it fails, ticket by ticket, each in
        its own savepoint. A ticket that fails is logged and postponed by
        ``_lianghua_escalation_retry``. Returns the lines that failed."""
        try:
            with self.env.cr.savepoint():
                self._lianghua_escalate(now)
            return self.browse()
        except Exception:  # find the ticket at fault, below
            _logger.info("Escalation batch failed; escalating its tickets one by one")
        failed = self.browse()
        for ticket, lines in self.grouped("ticket_id").items():
            try:
                with self.env.cr.savepoint():
                    lines._lianghua_escalate(now)
            except Exception:  # one bad ticket, not the whole batch
                _logger.exception(
                    "Escalation of ticket %s (id %s) failed; trying again in %s",
                    ticket.sudo().number,
                    ticket.id,
                    self._lianghua_escalation_retry,
                )
                failed |= lines
        if failed:
            # In SQL: whatever broke the ticket may break a write through the ORM.
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET lianghua_escalation_due = %s WHERE id IN %s",
                    SQL.identifier(self._table),
                    now + self._lianghua_escalation_retry,
                    tuple(failed.ids),
                )
            )
            failed.invalidate_recordset(["lianghua_escalation_due"])
        return failed

    def _lianghua_escalate(self, now):
        """Fire the steps these lines have reached: each step once per ticket,
        logged in the chatter, with the activities, priorities and
        assignments it asks for."""
        lines = self.sudo().filtered(lambda line: line.state in RUNNING)
        if not lines:
            return
        elapsed = lines._lianghua_elapsed_hours(now)
        steps = lines._lianghua_steps()
        fired = lines._lianghua_fired()
        firing = []  # (line, step, share)
        for line in lines:
            share = 100.0 * elapsed[line] / line.hours if line.hours else 100.0
            for step in line._lianghua_applicable_steps(steps):
                key = (line.ticket_id.id, step.id)
                if step.threshold <= share + 1e-6 and key not in fired:
                    fired.add(key)
                    firing.append((line, step, share))
        if firing:
            self._lianghua_fire(firing, now)
        lines._lianghua_update_escalation_due()

    def _lianghua_fire(self, firing, now):
        Ticket = self.env["helpdesk.ticket"].sudo()
        self.env["lianghua.ticket.escalation"].sudo().create(
            [
                {
                    "ticket_id": line.ticket_id.id,
                    "ticket_sla_id": line.id,
                    "step_id": step.id,
                    "date": now,
                    "share": share,
                }
                for line, step, share in firing
            ]
        )
        managers = self.env.ref(IT_MANAGER_GROUP).sudo().users
        activity_type = self.env.ref("lianghua_service.mail_activity_ticket_escalation")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        activities, bodies = {}, defaultdict(Markup)
        new_priority, new_user = {}, {}
        for line, step, share in firing:
            ticket = line.ticket_id
            users = self.env["res.users"]
            if step.notify_assignee:
                users |= ticket.user_id
            if step.notify_team_leader:
                users |= ticket.team_id.user_id
            if step.notify_it_managers:
                users |= managers.filtered(
                    lambda user, ticket=ticket: ticket.company_id in user.company_ids
                )
            summary = _(
                "%(step)s: %(share)s%% of the %(target)s target used",
                step=step.name,
                share=round(share),
                target=line.sla_id.name,
            )
            for user in users:
                # One activity per person and ticket, however many steps fire at once.
                key = (ticket.id, user.id)
                if key in activities:
                    activities[key]["summary"] += "; " + summary
                    continue
                activities[key] = {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": summary,
                    "date_deadline": fields.Date.context_today(self),
                }
            body = Markup("<p>%s</p>") % _(
                "Escalation %(step)s (%(share)s%% of the %(target)s target, due %(deadline)s).",
                step=step.name,
                share=round(share),
                target=line.sla_id.name,
                deadline=fields.Datetime.to_string(line.deadline) if line.deadline else "-",
            )
            if users:
                body += Markup("<p>%s</p>") % _(
                    "Notified: %(users)s", users=", ".join(users.mapped("name"))
                )
            if step.raise_priority:
                current = new_priority.get(ticket, ticket.priority)
                if current not in PRIORITY_ORDER:
                    current = PRIORITY_ORDER[0]
                new_priority[ticket] = PRIORITY_ORDER[
                    min(PRIORITY_ORDER.index(current) + 1, len(PRIORITY_ORDER) - 1)
                ]
            target_user = {
                "team_leader": ticket.team_id.user_id,
                "user": step.reassign_user_id,
            }.get(step.reassign)
            # A step shared by the companies reassigns to people of the ticket's.
            if target_user and ticket.company_id not in target_user.company_ids:
                target_user = None
            if target_user and target_user != new_user.get(ticket, ticket.user_id):
                new_user[ticket] = target_user
                body += Markup("<p>%s</p>") % _("Reassigned to %(user)s.", user=target_user.name)
            bodies[ticket.id] += body
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                list(activities.values())
            )
        quiet = Ticket.with_context(tracking_disable=True, lianghua_keep_sla=True)
        for values, field in ((new_priority, "priority"), (new_user, "user_id")):
            for value in set(values.values()):
                tickets = quiet.browse([t.id for t, v in values.items() if v == value])
                tickets = tickets.filtered(lambda t, f=field, v=value: t[f] != v)
                if tickets:
                    tickets.write({field: value.id if field == "user_id" else value})
        Ticket.browse(list(bodies))._message_log_batch(
            bodies=dict(bodies), message_type="notification"
        )
