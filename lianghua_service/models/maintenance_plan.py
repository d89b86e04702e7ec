import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

UNITS = [("day", "Days"), ("week", "Weeks"), ("month", "Months"), ("year", "Years")]

_logger = logging.getLogger(__name__)


class LianghuaMaintenancePlan(models.Model):
    """Periodic maintenance of a system (定期维护): every so often, a
    maintenance ticket with the plan's checklist, opened some days ahead."""

    _name = "lianghua.maintenance.plan"
    _description = "Maintenance Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "next_date, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    system_id = fields.Many2one(
        "lianghua.system",
        required=True,
        tracking=True,
        check_company=True,
        index=True,
    )
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    team_id = fields.Many2one(
        "helpdesk.ticket.team", required=True, tracking=True, check_company=True
    )
    user_id = fields.Many2one("res.users", string="Assigned to", tracking=True, check_company=True)
    interval = fields.Integer(string="Every", required=True, default=1, tracking=True)
    interval_unit = fields.Selection(
        UNITS, string="Unit", required=True, default="month", tracking=True
    )
    next_date = fields.Date(
        string="Next Maintenance",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    date_anchor = fields.Date(
        string="Recurs From",
        readonly=True,
        copy=False,
        help="The date the recurrence counts from: the last date set by hand.",
    )
    lead_days = fields.Integer(
        string="Open Days Ahead",
        default=7,
        tracking=True,
        help="The maintenance ticket opens this many days before its date.",
    )
    date_open = fields.Date(
        string="Ticket Opens On",
        compute="_compute_date_open",
        store=True,
        index=True,
        copy=False,
        help="The day the next maintenance ticket opens: its date less the days ahead "
        "(the day after, when opening it failed).",
    )
    line_ids = fields.One2many("lianghua.maintenance.plan.line", "plan_id", string="Checklist")
    note = fields.Html(string="Instructions")
    ticket_ids = fields.One2many("helpdesk.ticket", "lianghua_maintenance_plan_id")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    last_ticket_date = fields.Date(string="Last Opened", readonly=True, copy=False)

    @api.constrains("interval", "lead_days")
    def _check_recurrence(self):
        for plan in self:
            if plan.interval < 1:
                raise ValidationError(
                    _("Maintenance plan %(plan)s recurs at least every 1 unit.", plan=plan.name)
                )
            if plan.lead_days < 0:
                raise ValidationError(
                    _(
                        "Maintenance plan %(plan)s: the days ahead cannot be negative.",
                        plan=plan.name,
                    )
                )

    @api.depends("next_date", "lead_days")
    def _compute_date_open(self):
        for plan in self:
            plan.date_open = plan.next_date and plan.next_date - timedelta(days=plan.lead_days)

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("lianghua_maintenance_plan_id", "in", self.ids)],
                ["lianghua_maintenance_plan_id"],
                ["__count"],
            )
        )
        for plan in self:
            plan.ticket_count = counts.get(plan, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("date_anchor", vals.get("next_date"))
        plans = super().create(vals_list)
        for plan in plans.filtered(lambda plan: not plan.date_anchor):
            plan.date_anchor = plan.next_date
        return plans

    def write(self, vals):
        if "next_date" in vals and not self.env.context.get("lianghua_keep_anchor"):
            vals = {**vals, "date_anchor": vals["next_date"]}
        return super().write(vals)

    def _following_date(self, date):
        """The first date of the recurrence after ``date``, counted from the
        anchor so that month ends stay month ends (31 Jan, 28 Feb, 31 Mar)."""
        self.ensure_one()
        anchor = self.date_anchor or self.next_date
        step = 1
        while True:
            following = anchor + relativedelta(**{f"{self.interval_unit}s": step * self.interval})
            if following > date:
                return following
            step += 1

    def action_view_tickets(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_ticket_action", "lianghua_maintenance_plan_id", create=False
        )

    def action_open_now(self):
        """Open the next maintenance ticket now, whatever the lead time."""
        self._check_can_open_now()
        tickets = self._open_tickets()
        if len(tickets) == 1:
            return tickets._get_lianghua_form_action()
        return self.action_view_tickets()

    def _check_can_open_now(self):
        """IT opens maintenance tickets, on the active plans of systems in
        service (the plan moves to its next date)."""
        if not self._lianghua_is_it():
            raise AccessError(_("Only IT staff open maintenance tickets."))
        self.check_access("write")
        for plan in self:
            if not plan.active:
                raise UserError(
                    _(
                        "Maintenance plan %(plan)s is archived: restore it to open its tickets.",
                        plan=plan.name,
                    )
                )
            if plan.system_id.state == "retired":
                raise UserError(
                    _(
                        "%(system)s is retired: maintenance plan %(plan)s opens no more tickets.",
                        system=plan.system_id.display_name,
                        plan=plan.name,
                    )
                )

    # Cron

    @api.model
    def _get_cron_domain(self, today):
        """The plans whose ticket is due to open: within their lead time, on
        systems not retired (archived plans are left out)."""
        return [("date_open", "<=", today), ("system_id.state", "!=", "retired")]

    @api.model
    def _cron_open_tickets(self, batch_size=100):
        """Open the maintenance tickets that fall within their lead time, one
        batch per call (the cron framework commits and calls again while work
        remains). A plan paused for a while opens its next occurrence, not
        every missed one; a plan that fails is logged and tried again the day
        after, the others go on."""
        today = fields.Date.context_today(self)
        domain = self._get_cron_domain(today)
        plans = self.search(domain, limit=batch_size, order="date_open, id")
        plans._open_tickets_isolated()
        remaining = self.search_count(domain) if len(plans) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(plans), remaining=remaining)

    def _open_tickets_isolated(self):
        """``_open_tickets``, one plan's failure not stopping the others: the
        batch in a savepoint, and if it fails, plan by plan, each in its own
        savepoint. A plan that fails is logged and opens the day after: the
        next runs take the others first. Returns the plans that failed."""
        try:
            with self.env.cr.savepoint():
                self._open_tickets()
            return self.browse()
        except Exception:  # find the plan at fault, below
            _logger.info("Maintenance batch failed; opening its tickets plan by plan")
        failed = self.browse()
        for plan in self:
            try:
                with self.env.cr.savepoint():
                    plan._open_tickets()
            except Exception:  # one bad plan, not the whole batch
                _logger.exception(
                    "Maintenance plan %s (id %s) failed to open its ticket; trying again tomorrow",
                    plan.name,
                    plan.id,
                )
                failed |= plan
        if failed:
            # In SQL: whatever broke the plan may break a write through the ORM.
            tomorrow = fields.Date.context_today(self) + timedelta(days=1)
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET date_open = %s WHERE id IN %s",
                    SQL.identifier(self._table),
                    tomorrow,
                    tuple(failed.ids),
                )
            )
            failed.invalidate_recordset(["date_open"])
        return failed

    def _open_tickets(self):
        today = fields.Date.context_today(self)
        plans = self.sudo()  # the workflow opens the tickets
        vals_list = []
        for plan in plans:
            date = plan.next_date
            # No backfill: skip the occurrences missed while the plan was paused.
            while date < today:
                date = plan._following_date(date)
            vals_list.append(
                {
                    "name": _("%(plan)s (%(date)s)", plan=plan.name, date=date),
                    "description": plan.note
                    or Markup("<p>%s</p>")
                    % _("Periodic maintenance of %(system)s.", system=plan.system_id.name),
                    "team_id": plan.team_id.id,
                    "user_id": plan.user_id.id,
                    "company_id": plan.company_id.id,
                    "lianghua_kind": "maintenance",
                    "lianghua_system_id": plan.system_id.id,
                    "lianghua_maintenance_plan_id": plan.id,
                    "lianghua_date_planned": date,
                    "lianghua_check_ids": [
                        fields.Command.create({"name": line.name, "sequence": line.sequence})
                        for line in plan.line_ids
                    ],
                }
            )
        tickets = self.env["helpdesk.ticket"].sudo().create(vals_list)
        for plan, ticket in zip(plans, tickets, strict=True):
            plan.with_context(lianghua_keep_anchor=True).write(
                {
                    "next_date": plan._following_date(ticket.lianghua_date_planned),
                    "last_ticket_date": today,
                }
            )
        return self.env["helpdesk.ticket"].browse(tickets.ids)


class LianghuaMaintenancePlanLine(models.Model):
    _name = "lianghua.maintenance.plan.line"
    _description = "Maintenance Checklist Item"
    _inherit = ["lianghua.line.mixin"]
    _order = "sequence, id"
    _check_company_auto = True
    _document_field = "plan_id"

    plan_id = fields.Many2one(
        "lianghua.maintenance.plan",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check Item", required=True)


class LianghuaMaintenanceCheck(models.Model):
    """The result of one checklist item on a maintenance ticket."""

    _name = "lianghua.maintenance.check"
    _description = "Maintenance Check Result"
    _inherit = ["lianghua.line.mixin"]
    _order = "sequence, id"
    _check_company_auto = True
    _document_field = "ticket_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check Item", required=True)
    result = fields.Selection(
        [("pending", "To Check"), ("pass", "Pass"), ("fail", "Fail"), ("na", "Not Applicable")],
        required=True,
        default="pending",
    )
    note = fields.Char()
