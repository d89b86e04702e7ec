import secrets

from markupsafe import Markup

from odoo import fields, models

IT_MANAGER_GROUP = "lianghua_service.group_lianghua_it_manager"
# Alert severity label: ticket priority (OCA: 0 low ... 3 very high).
SEVERITY_PRIORITY = {
    "critical": "3",
    "page": "3",
    "high": "2",
    "major": "2",
    "error": "2",
    "warning": "1",
    "minor": "1",
    "info": "0",
    "none": "0",
}


class LianghuaMonitoringSource(models.Model):
    """A monitoring system (a Prometheus Alertmanager) that opens incidents
    through ``/lianghua/monitoring/alertmanager``, authenticated by its token."""

    _name = "lianghua.monitoring.source"
    _description = "Monitoring Source"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    token = fields.Char(
        required=True,
        copy=False,
        groups=IT_MANAGER_GROUP,
        default=lambda self: secrets.token_urlsafe(32),
        help="Alertmanager sends it as a bearer token (http_config.authorization.credentials).",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        required=True,
        check_company=True,
        help="The team the incidents go to.",
    )
    system_id = fields.Many2one(
        "lianghua.system",
        string="Default System",
        check_company=True,
        help="For alerts whose label names no known system.",
    )
    system_label = fields.Char(
        required=True,
        default="system",
        help="The alert label that carries the code of the information system.",
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "lianghua_monitoring_source_id")
    incident_count = fields.Integer(compute="_compute_incident_count")

    _sql_constraints = [("token_uniq", "unique (token)", "A token belongs to one source.")]

    def _compute_incident_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("lianghua_monitoring_source_id", "in", self.ids)],
                ["lianghua_monitoring_source_id"],
                ["__count"],
            )
        )
        for source in self:
            source.incident_count = counts.get(source, 0)

    def action_regenerate_token(self):
        for source in self:
            source.token = secrets.token_urlsafe(32)
            source.message_post(body=self.env._("A new token was generated."))

    # Alerts

    def _lianghua_receive_alerts(self, alerts):
        """Open or update one incident per alert fingerprint (firing), or
        record when it ended (resolved). ``alerts`` are parsed: see
        ``controllers.monitoring.parse_alertmanager``. Returns the counts."""
        self.ensure_one()
        source = self.sudo().with_company(self.company_id)  # monitoring has no user
        Ticket = source.env["helpdesk.ticket"]
        codes = {alert["labels"].get(source.system_label) for alert in alerts} - {None}
        systems = {
            system.code: system
            for system in source.env["lianghua.system"].search(
                [("code", "in", list(codes)), ("company_id", "=", source.company_id.id)]
            )
        }
        fingerprints = [alert["fingerprint"] for alert in alerts]
        known = Ticket.with_context(active_test=False).search(
            [
                ("lianghua_monitoring_source_id", "=", source.id),
                ("lianghua_alert_fingerprint", "in", fingerprints),
            ],
            order="id desc",
        )
        counts = {"opened": 0, "updated": 0, "resolved": 0}
        for alert in alerts:
            same = known.filtered(
                lambda t, alert=alert: t.lianghua_alert_fingerprint == alert["fingerprint"]
            )
            # The same outage (same start), else the open incident of this alert
            # that has not ended yet (Alertmanager may move startsAt).
            ticket = (
                same.filtered(lambda t, alert=alert: t.lianghua_down_start == alert["starts_at"])[
                    :1
                ]
                or same.filtered(
                    lambda t, alert=alert: (
                        not t.closed
                        and not t.lianghua_down_end
                        and t.lianghua_down_start <= (alert["ends_at"] or alert["starts_at"])
                    )
                )[:1]
            )
            system = systems.get(alert["labels"].get(source.system_label)) or source.system_id
            vals = source._lianghua_incident_vals(alert, system)
            if ticket:
                ticket.write(
                    {key: vals[key] for key in ("lianghua_down_end", "lianghua_alert_url")}
                )
                counts["resolved" if alert["ends_at"] else "updated"] += 1
            else:
                ticket = Ticket.create(vals)
                known |= ticket
                counts["opened"] += 1
                if alert["ends_at"]:
                    counts["resolved"] += 1
        return counts

    def _lianghua_incident_vals(self, alert, system):
        labels, annotations = alert["labels"], alert["annotations"]
        name = annotations.get("summary") or labels.get("alertname") or alert["fingerprint"]
        rows = Markup("").join(
            Markup("<li><code>%s</code>: %s</li>") % (key, value)
            for key, value in sorted(labels.items())
        )
        description = Markup("<p>%s</p><ul>%s</ul>") % (
            annotations.get("description") or name,
            rows,
        )
        return {
            "name": name[:200],
            "description": description,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "lianghua_kind": "incident",
            "lianghua_system_id": system.id,
            "lianghua_monitoring_source_id": self.id,
            "lianghua_alert_fingerprint": alert["fingerprint"],
            "lianghua_alert_url": alert["generator_url"],
            "lianghua_down_start": alert["starts_at"],
            "lianghua_down_end": alert["ends_at"],
            "priority": SEVERITY_PRIORITY.get(labels.get("severity", "").lower(), "1"),
            "channel_id": self.env.ref("lianghua_service.helpdesk_ticket_channel_monitoring").id,
        }

    def action_view_incidents(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_ticket_action", "lianghua_monitoring_source_id", create=False
        )
