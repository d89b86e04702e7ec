from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, plaintext2html

from odoo.addons.rating.models.rating_data import RATING_LIMIT_OK

from .monitoring_source import ALERT_OCCURRENCE_INDEX

IT_GROUP = "lianghua_service.group_lianghua_it_user"
IT_MANAGER_GROUP = "lianghua_service.group_lianghua_it_manager"


class HelpdeskTicket(models.Model):
    """O&M tickets (运维工单) on OCA helpdesk: the system they concern, general or
    complex problems, incidents with their downtime, maintenance with its
    checklist, SLA escalations."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "lianghua.document.mixin"]
    _check_company_auto = True

    # helpdesk_mgmt's links stay in the ticket's company (its channels are
    # shared: data/helpdesk_data.xml).
    user_id = fields.Many2one(check_company=True)
    team_id = fields.Many2one(check_company=True)
    stage_id = fields.Many2one(check_company=True)
    partner_id = fields.Many2one(check_company=True)
    category_id = fields.Many2one(check_company=True)
    tag_ids = fields.Many2many(check_company=True)
    duplicate_id = fields.Many2one(check_company=True)
    channel_id = fields.Many2one(check_company=True)
    lianghua_system_id = fields.Many2one(
        "lianghua.system",
        string="Information System",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    lianghua_kind = fields.Selection(
        [("support", "Support"), ("incident", "Incident"), ("maintenance", "Maintenance")],
        string="Ticket Type",
        required=True,
        default="support",
        tracking=True,
        index=True,
    )
    lianghua_complexity = fields.Selection(
        [("general", "General"), ("complex", "Complex")],
        string="Complexity",
        required=True,
        default="general",
        tracking=True,
        help="Complex problems are analysed by the team, with their own SLA targets; the "
        "requester is told of the progress at each stage.",
    )
    lianghua_department_id = fields.Many2one(
        "hr.department",
        string="Requesting Department",
        compute="_compute_lianghua_department_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
    )
    lianghua_progress_note = fields.Text(
        string="Progress for the Requester",
        help="Sent to the requester with each stage change of a complex ticket.",
    )
    lianghua_analysis = fields.Html(
        string="Analysis", groups=IT_GROUP, help="The team's internal analysis."
    )
    lianghua_down_start = fields.Datetime(
        string="Down Since", tracking=True, help="Start of the outage, for the availability."
    )
    lianghua_down_end = fields.Datetime(string="Down Until", tracking=True)
    lianghua_monitoring_source_id = fields.Many2one(
        "lianghua.monitoring.source", string="Monitoring Source", readonly=True, check_company=True
    )
    lianghua_alert_fingerprint = fields.Char(
        string="Alert Fingerprint", readonly=True, index="btree_not_null", copy=False
    )
    lianghua_alert_url = fields.Char(string="Alert Source", readonly=True, copy=False)
    lianghua_maintenance_plan_id = fields.Many2one(
        "lianghua.maintenance.plan",
        string="Maintenance Plan",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    lianghua_date_planned = fields.Date(
        string="Planned For", readonly=True, copy=False, help="The date of the maintenance."
    )
    lianghua_check_ids = fields.One2many(
        "lianghua.maintenance.check", "ticket_id", string="Maintenance Checklist"
    )
    lianghua_escalation_ids = fields.One2many(
        "lianghua.ticket.escalation", "ticket_id", string="Escalations", readonly=True
    )
    lianghua_downtime_hours = fields.Float(
        string="Downtime (hours)", compute="_compute_lianghua_downtime_hours"
    )

    @api.depends("partner_id", "lianghua_system_id", "company_id")
    def _compute_lianghua_department_id(self):
        no_company = self.env["res.company"]
        for ticket in self:
            user = ticket.partner_id.user_ids[:1]
            if user and not user.share:
                # Their department in the ticket's company (not in another one).
                department = user.with_company(ticket.company_id)._lianghua_home_department()
                ticket.lianghua_department_id = department.filtered(
                    lambda d, ticket=ticket: d.company_id in (ticket.company_id, no_company)
                )
            elif not ticket.lianghua_department_id:
                ticket.lianghua_department_id = ticket.lianghua_system_id.department_id

    @api.depends("lianghua_down_start", "lianghua_down_end")
    def _compute_lianghua_downtime_hours(self):
        now = fields.Datetime.now()
        for ticket in self:
            start, end = ticket.lianghua_down_start, ticket.lianghua_down_end or now
            ticket.lianghua_downtime_hours = (
                max((end - start).total_seconds(), 0) / 3600 if start else 0.0
            )

    @api.constrains("lianghua_down_start", "lianghua_down_end")
    def _check_lianghua_downtime(self):
        for ticket in self:
            if ticket.lianghua_down_end and not ticket.lianghua_down_start:
                raise UserError(
                    _("Ticket %(ticket)s: an outage that ends has a start.", ticket=ticket.number)
                )
            if ticket.lianghua_down_end and ticket.lianghua_down_end < ticket.lianghua_down_start:
                raise UserError(
                    _(
                        "Ticket %(ticket)s: the outage ends before it starts.",
                        ticket=ticket.number,
                    )
                )

    # Database

    def init(self):
        res = super().init()
        # One incident per alert occurrence: a monitoring source opens one
        # ticket per alert fingerprint and outage start. The same alert firing
        # again after its outage was resolved starts at another time, and is
        # another incident (see lianghua.monitoring.source's matching); two
        # deliveries of the same firing at the same moment (Alertmanager
        # retries, HA pairs) meet here, and the second one becomes an update.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s
                       (lianghua_monitoring_source_id, lianghua_alert_fingerprint,
                        lianghua_down_start)
                 WHERE lianghua_monitoring_source_id IS NOT NULL
                """,
                SQL.identifier(ALERT_OCCURRENCE_INDEX),
                SQL.identifier(self._table),
            )
        )
        return res

    # CRUD

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        # Business users open tickets for themselves; IT picks the requester.
        if "partner_id" in fields_list and not defaults.get("partner_id"):
            user = self.env.user
            if not self.env.su and not user.share and not user.has_group(IT_GROUP):
                defaults["partner_id"] = user.partner_id.id
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        self._lianghua_check_workflow_fields(
            vals_list, _("Monitoring and maintenance plans open these tickets themselves.")
        )
        if self._lianghua_by_requester():
            self._lianghua_check_requester_create(vals_list)
        # A ticket nobody routed (portal, API) goes to the service desk, and its SLA.
        desk = self.env.ref("lianghua_service.helpdesk_team_service_desk", False)
        for vals in vals_list:
            company_id = vals.get("company_id") or self.env.company.id
            if desk and not vals.get("team_id") and desk.sudo().company_id.id == company_id:
                vals["team_id"] = desk.id
        return super().create(vals_list)

    # Hooks (lianghua.document.mixin)

    def _get_workflow_fields(self):
        # Written by monitoring, maintenance plans and escalations, not by hand.
        return super()._get_workflow_fields() | {
            "lianghua_monitoring_source_id",
            "lianghua_alert_fingerprint",
            "lianghua_alert_url",
            "lianghua_maintenance_plan_id",
            "lianghua_date_planned",
        }

    def _get_sla_fields(self):
        """A change of these may change which SLA policies apply."""
        return frozenset({"priority", "lianghua_complexity", "category_id", "team_id", "tag_ids"})

    def _get_requester_fields(self):
        """What a business user may change on their own tickets; the rest is IT's."""
        return frozenset(
            {
                "name",
                "description",
                "lianghua_system_id",
                "category_id",
                "partner_name",
                "partner_email",
                "attachment_ids",
                "message_main_attachment_id",
                "properties",
            }
        )

    def _lianghua_by_requester(self):
        """A business user acts (neither IT nor the workflow)."""
        return not self._lianghua_is_it()

    def _lianghua_check_requester_write(self, vals):
        """Business users add to their own tickets; IT works them."""
        refused = set(vals) - self._get_requester_fields()
        if refused:
            raise UserError(
                _(
                    "IT works the tickets: you may change the subject, the description, the "
                    "system and the category of yours (not %(fields)s).",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(refused)
                    ),
                )
            )
        if set(vals) - {"message_main_attachment_id"}:
            others = self.filtered(lambda ticket: ticket.partner_id != self.env.user.partner_id)
            if others:
                raise UserError(
                    _(
                        "Only its requester and IT change ticket %(ticket)s.",
                        ticket=others[:1].display_name,
                    )
                )

    def _lianghua_check_requester_create(self, vals_list):
        """Business users open support tickets for themselves; IT assigns,
        classifies, moves and records outages."""
        first_stage = self.env["helpdesk.ticket.team"]._get_applicable_stages()[:1]
        for vals in vals_list:
            it_only = [
                name
                for name in ("user_id", "lianghua_down_start", "lianghua_down_end")
                if vals.get(name)
            ]
            if vals.get("lianghua_kind", "support") != "support":
                it_only.append("lianghua_kind")
            if vals.get("stage_id") and vals["stage_id"] != first_stage.id:
                it_only.append("stage_id")
            if it_only:
                raise UserError(
                    _(
                        "IT assigns, classifies and moves tickets and records outages: open "
                        "the ticket without %(fields)s.",
                        fields=", ".join(
                            self._fields[name].get_description(self.env)["string"]
                            for name in it_only
                        ),
                    )
                )

    def write(self, vals):
        self._lianghua_check_workflow_fields(
            [vals], _("Monitoring and maintenance plans open these tickets themselves.")
        )
        if self._lianghua_by_requester():
            self._lianghua_check_requester_write(vals)
        if "stage_id" in vals:
            self._lianghua_check_can_close(vals["stage_id"])
        complex_before = {
            ticket: ticket.stage_id
            for ticket in self.filtered(lambda t: t.lianghua_complexity == "complex")
        }
        res = super().write(vals)
        if self._get_sla_fields().intersection(vals) and not self.env.context.get(
            "lianghua_keep_sla"
        ):
            self._lianghua_refresh_sla()
        if "stage_id" in vals:
            moved = self.filtered(lambda t: t in complex_before and complex_before[t] != t.stage_id)
            moved._lianghua_post_progress()
        return res

    # SLA (helpdesk_mgmt_sla)

    def set_sla(self):
        """helpdesk_mgmt_sla's: plan the SLA lines afresh. Its ``create`` calls
        it on the new tickets, as their creator; called again (it is public)
        it would drop the lines and the working time they have consumed. The
        SLA lines are the workflow's: requesters open tickets, not targets."""
        self._check_can_set_sla()
        self._lianghua_set_sla()

    def refresh_sla(self):
        """helpdesk_mgmt_sla's "Set SLA" button: the policies that apply now,
        the time consumed carried over (see ``_lianghua_refresh_sla``)."""
        self._check_can_set_sla()
        self._lianghua_refresh_sla()

    def _check_can_set_sla(self):
        """IT plans the SLA targets of open tickets again; anyone, the targets
        of the tickets they are creating (helpdesk_mgmt_sla's ``create``)."""
        if self.env.su or self._lianghua_sla_pending():
            return
        if not self._lianghua_is_it():
            raise AccessError(_("Only IT staff set the SLA targets of tickets."))
        self.check_access("write")
        closed = self.filtered("closed")
        if closed:
            raise UserError(
                _(
                    "Ticket %(ticket)s is closed: its SLA targets stay as they were.",
                    ticket=closed[:1].display_name,
                )
            )

    def _lianghua_sla_pending(self):
        """Tickets made in this transaction that have no SLA line yet: the ones
        helpdesk_mgmt_sla's ``create`` passes to ``set_sla``. A client cannot
        name them: a call over RPC runs in a transaction of its own."""
        now = self.env.cr.now()
        return all(ticket.create_date == now and not ticket.ticket_sla_ids for ticket in self)

    def _lianghua_set_sla(self):
        """The SLA lines of the policies that apply, in one batch (the lines
        plan their escalations per calendar, not per line)."""
        tickets = self.sudo()  # the SLA lines are the workflow's (checked by the caller)
        tickets.ticket_sla_ids.unlink()
        self.env["helpdesk.ticket.sla"].sudo().create(
            [
                {"ticket_id": ticket.id, "sla_id": sla.id}
                for ticket in tickets.filtered("team_id.use_sla")
                for sla in ticket._get_sla()
            ]
        )

    # Duplicates (helpdesk_mgmt)

    def action_open_duplicate_wizard(self):
        """Marking a ticket as a duplicate closes it: IT works the tickets."""
        self._check_can_mark_duplicate()
        return super().action_open_duplicate_wizard()

    def action_duplicate_tickets(self):
        """helpdesk_mgmt's list action: copies of the selected tickets (IT's)."""
        self.browse(self.env.context.get("active_ids") or [])._check_can_mark_duplicate()
        return super().action_duplicate_tickets()

    def _check_can_mark_duplicate(self):
        if not self._lianghua_is_it():
            raise AccessError(_("Only IT staff mark and copy tickets as duplicates."))
        self.check_access("write")

    # Mail gateway

    @api.private
    @api.model
    def message_new(self, msg, custom_values=None):
        # The mail gateway's, as superuser (mail.thread._message_route_process):
        # over RPC it would open a ticket in the name of any sender.
        self._check_mail_gateway()
        # Mail sent to a team's alias: the email channel.
        custom_values = dict(custom_values or {})
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email", False)
        if channel:
            custom_values.setdefault("channel_id", channel.id)
        return super().message_new(msg, custom_values=custom_values)

    @api.private
    def message_update(self, msg, update_vals=None):
        # The mail gateway's too: helpdesk_mgmt's subscribes whoever the
        # message names, and the update writes ``update_vals``.
        self._check_mail_gateway()
        return super().message_update(msg, update_vals=update_vals)

    @api.model
    def _check_mail_gateway(self):
        if not self.env.su:
            raise AccessError(_("Tickets arrive by mail through the mail gateway only."))

    # Rating

    @api.private
    def rating_apply(
        self, rate, token=None, rating=None, feedback=None, subtype_xmlid=None,
        notify_delay_send=False,
    ):  # fmt: skip
        # The rating page's (rating's controller, as superuser, after checking
        # the requester's token): over RPC it would rate, and have IT follow
        # up, any ticket with any token.
        self._check_can_apply_rating(token, rating)
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rating.rating < RATING_LIMIT_OK:
            self._lianghua_follow_up_rating(rating)
        return rating

    def _check_can_apply_rating(self, token, rating):
        """The rating page's, as superuser; and a rating belongs to the ticket
        it is applied to."""
        if not self.env.su:
            raise AccessError(_("Ratings come from the requester's rating page."))
        self.ensure_one()
        if token:
            rating = self.env["rating.rating"].search([("access_token", "=", token)], limit=1)
        if rating and (rating.res_model, rating.res_id) != (self._name, self.id):
            raise UserError(_("This rating belongs to another document."))

    def _lianghua_follow_up_rating(self, rating):
        """A dissatisfied requester: the team leader (or an IT manager) follows up."""
        activity_type = self.env.ref("lianghua_service.mail_activity_ticket_low_rating")
        for ticket in self.filtered(
            lambda t: activity_type not in t.sudo().activity_ids.activity_type_id
        ):
            user = ticket.team_id.user_id or ticket.user_id
            if not user:
                user = self.env.ref(IT_MANAGER_GROUP).users[:1]
            ticket_sudo = ticket.sudo()  # the rating comes from the requester's token
            ticket_sudo.activity_schedule(
                "lianghua_service.mail_activity_ticket_low_rating",
                user_id=user.id,
                note=plaintext2html(rating.feedback or ""),
            )

    # Business

    def _lianghua_check_can_close(self, stage_id):
        """A maintenance ticket closes with its checklist decided, an outage
        with its end (cancelling or rejecting needs neither)."""
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id)
        dropped = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled") | self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_rejected"
        )
        if not stage.closed or stage in dropped:
            return
        for ticket in self:
            if ticket.lianghua_down_start and not ticket.lianghua_down_end:
                raise UserError(
                    _(
                        "Record when the outage of %(ticket)s ended before closing it.",
                        ticket=ticket.display_name,
                    )
                )
            pending = ticket.lianghua_check_ids.filtered(lambda check: check.result == "pending")
            if pending:
                raise UserError(
                    _(
                        "Record the result of every checklist item of %(ticket)s first: %(items)s.",
                        ticket=ticket.display_name,
                        items=", ".join(pending.mapped("name")),
                    )
                )

    def _lianghua_post_progress(self):
        """Complex tickets: the requester hears of each stage (email and portal)."""
        for ticket in self.filtered("partner_id"):
            body = Markup("<p>%s</p>") % _(
                "Your ticket %(ticket)s is now at the stage: %(stage)s.",
                ticket=ticket.number,
                stage=ticket.stage_id.name,
            )
            if ticket.lianghua_progress_note:
                body += plaintext2html(ticket.lianghua_progress_note)
            ticket_sudo = ticket.sudo()  # the requester may follow the ticket only
            ticket_sudo.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=ticket.partner_id.ids,
            )

    def _lianghua_refresh_sla(self):
        """Priority, complexity or category changed: the SLA policies that apply
        may too. A new policy of the same kind (response, resolution) goes on
        from the time the old one had consumed."""
        now = fields.Datetime.now()
        TicketSla = self.env["helpdesk.ticket.sla"].sudo()  # SLA lines: the workflow's
        for ticket in self.filtered("team_id.use_sla"):
            ticket_sudo = ticket.sudo()
            slas = ticket_sudo._get_sla()
            old_lines = ticket_sudo.ticket_sla_ids.filtered(
                lambda line, slas=slas: line.sla_id not in slas
            )
            if not old_lines and slas == ticket_sudo.sla_ids:
                continue
            consumed = old_lines._lianghua_elapsed_hours(now)
            carried = {line.sla_id.lianghua_kind: consumed[line] for line in old_lines}
            old_lines.unlink()
            new_lines = TicketSla.create(
                [
                    {"ticket_id": ticket.id, "sla_id": sla.id}
                    for sla in slas - ticket_sudo.ticket_sla_ids.sla_id
                ]
            )
            for line in new_lines.filtered(
                lambda line, carried=carried: line.sla_id.lianghua_kind in carried
            ):
                line.write(
                    {
                        "consumed_time": carried[line.sla_id.lianghua_kind],
                        "last_state_date": now,
                    }
                )
            new_lines._lianghua_update_escalation_due()

    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        # The policies are searched as superuser (_lianghua_set_sla): those of
        # the ticket's company and the shared ones, not their record rule.
        return [
            *domain,
            ("company_id", "in", [False, self.company_id.id]),
            ("lianghua_priority", "in", [False, self.priority]),
            ("lianghua_complexity", "in", [False, self.lianghua_complexity]),
        ]

    @api.model
    def _cron_lianghua_escalate(self, batch_size=200):
        """Fire the escalation steps that are due, one batch per call.

        The cron framework commits after each call and calls again while
        work remains; a batch that is killed is rolled back as a whole and
        redone by the next run, and a step fires once per ticket (see
        lianghua.ticket.escalation). A ticket whose escalation fails is
        logged and skipped, the others go on; it is tried again later (see
        ``_lianghua_escalate_isolated``), not first in every batch.
        """
        TicketSla = self.env["helpdesk.ticket.sla"]
        now = fields.Datetime.now()
        domain = TicketSla._lianghua_escalation_due_domain(now)
        lines = TicketSla.search(domain, limit=batch_size, order="lianghua_escalation_due, id")
        lines._lianghua_escalate_isolated(now)
        remaining = TicketSla.search_count(domain) if len(lines) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(lines), remaining=remaining)
