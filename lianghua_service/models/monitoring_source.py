import hashlib
import secrets

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, consteq
from odoo.tools.sql import column_exists

IT_MANAGER_GROUP = "lianghua_service.group_lianghua_it_manager"
# The unique index of helpdesk_ticket behind "one incident per alert
# occurrence" (created by helpdesk.ticket's init()).
ALERT_OCCURRENCE_INDEX = "helpdesk_ticket_lianghua_alert_occurrence_uniq"
# The first characters of a token, stored in clear to find its source (as core
# API keys do); the rest is secret.
TOKEN_INDEX_SIZE = 8
# Deliveries of the same alerts that may meet, one after the other, on the
# index: a transaction tries again as many times.
ALERT_ATTEMPTS = 3
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
    _inherit = ["mail.thread", "lianghua.document.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    # The token Alertmanager sends as a bearer token, stored as core API keys
    # are: its first characters to find the source, and its hash.
    token_index = fields.Char(
        string="Token Starts With",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=IT_MANAGER_GROUP,
        help="The first characters of the token Alertmanager sends as a bearer token "
        "(http_config.authorization.credentials). The token itself is shown once, when "
        "it is generated, and stored hashed.",
    )
    token_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
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

    def init(self):
        res = super().init()
        # Databases of before the hashing kept the tokens in clear: hash them
        # (sha256 of the token, as _lianghua_hash_token), then drop them.
        if column_exists(self.env.cr, self._table, "token"):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %(table)s
                       SET token_index = left(token, %(size)s),
                           token_hash = encode(sha256(convert_to(token, 'UTF8')), 'hex')
                     WHERE token IS NOT NULL AND token_hash IS NULL
                    """,
                    table=SQL.identifier(self._table),
                    size=TOKEN_INDEX_SIZE,
                )
            )
            self.env.cr.execute(
                SQL("ALTER TABLE %s DROP COLUMN token", SQL.identifier(self._table))
            )
        return res

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

    # Actions

    def action_regenerate_token(self):
        """A new token, shown once to the IT manager: Alertmanager must be given it."""
        self._check_can_regenerate_token()
        token = self._do_regenerate_token()[self]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("New token of %(name)s", name=self.name),
                "message": _(
                    "Copy it into alertmanager.yml now: it is stored hashed and shown only "
                    "this once. %(token)s",
                    token=token,
                ),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _check_can_regenerate_token(self):
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(IT_MANAGER_GROUP):
            raise AccessError(_("Only IT managers generate the tokens of monitoring sources."))
        self.check_access("write")

    def _do_regenerate_token(self):
        """{source: its new token, in clear}: the only time it is known."""
        tokens = {}
        for source in self:
            token = secrets.token_urlsafe(32)
            source_sudo = source.sudo()  # the hash is nobody's to read (checked by the caller)
            source_sudo.write(
                {
                    "token_index": token[:TOKEN_INDEX_SIZE],
                    "token_hash": self._lianghua_hash_token(token),
                }
            )
            source.message_post(body=_("A new token was generated."))
            tokens[source] = token
        return tokens

    # Tokens

    @api.model
    def _lianghua_hash_token(self, token):
        # The token is 256 random bits: a plain hash is as good as a slow one
        # (core API keys, of 160 bits, use pbkdf2 against password guessing).
        return hashlib.sha256(token.encode()).hexdigest()

    @api.model
    def _lianghua_find_by_token(self, token):
        """The active source whose token this is, or none: found by the token's
        first characters (not secret), then its hash compared in constant
        time, never the secret itself in SQL."""
        if not isinstance(token, str) or len(token) <= TOKEN_INDEX_SIZE:
            return self.browse()
        digest = self._lianghua_hash_token(token)
        # Monitoring has no user: the token is its credential.
        candidates = self.sudo().search([("token_index", "=", token[:TOKEN_INDEX_SIZE])])
        for source in candidates:
            if consteq(source.token_hash or "", digest):
                return source
        return self.browse()

    # Alerts

    def _lianghua_process_alerts(self, alerts):
        """``_lianghua_receive_alerts`` in the webhook's transaction, as one.

        Two deliveries of the same alert at the same moment (Alertmanager
        retries, HA pairs) both find no incident and both open one; the
        second insert meets the unique index of the alert occurrence. Its
        transaction (REPEATABLE READ) cannot see the other's incident: it is
        rolled back, and the alerts are received once more in a new one,
        where the incident is found and updated. The caller must have written
        nothing yet: the whole transaction is rolled back."""
        self.ensure_one()
        for attempt in range(1, ALERT_ATTEMPTS + 1):
            try:
                return self._lianghua_receive_alerts(alerts)
            except pg_errors.UniqueViolation as error:
                if error.diag.constraint_name != ALERT_OCCURRENCE_INDEX or (
                    attempt == ALERT_ATTEMPTS
                ):
                    raise
                self.env.cr.rollback()
                self.env.invalidate_all()

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
                # A concurrent delivery may have opened it: see _lianghua_process_alerts.
                with source.env.cr.savepoint():
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
