import json
import logging
import re
from datetime import datetime

from pytz import utc

from odoo import SUPERUSER_ID, http
from odoo.http import request

_logger = logging.getLogger(__name__)

# RFC 3339 as Alertmanager writes it: nanoseconds, "Z" or an offset.
RFC3339 = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$"
)
# Alertmanager's "no end yet".
ZERO_TIME = datetime(1, 1, 1)


def parse_time(value):
    """Naive UTC datetime of an RFC 3339 timestamp; ValueError if it is not one."""
    match = RFC3339.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"not an RFC 3339 time: {value!r}")
    day, time, fraction, zone = match.groups()
    zone = "+00:00" if zone in ("Z", "z") else zone
    try:
        moment = datetime.fromisoformat(f"{day}T{time}.{(fraction or '0')[:6]:0<6}{zone}")
        return moment.astimezone(utc).replace(tzinfo=None, microsecond=0)
    except OverflowError as error:
        raise ValueError(f"time out of range: {value!r}") from error


def _strings(value, what):
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise ValueError(f"{what} must map strings to strings")
    return value


def parse_alertmanager(payload):
    """The alerts of an Alertmanager webhook payload (version 4), checked
    before anything is written. ValueError says what is wrong."""
    if not isinstance(payload, dict) or payload.get("version") != "4":
        raise ValueError("expected an Alertmanager webhook payload, version 4")
    alerts = payload.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise ValueError("alerts must be a non-empty list")
    parsed = []
    for alert in alerts:
        if not isinstance(alert, dict):
            raise ValueError("each alert must be an object")
        status = alert.get("status")
        if status not in ("firing", "resolved"):
            raise ValueError(f"alert status must be firing or resolved, not {status!r}")
        fingerprint = alert.get("fingerprint")
        if not isinstance(fingerprint, str) or not fingerprint.strip():
            raise ValueError("each alert needs its fingerprint")
        starts_at = parse_time(alert.get("startsAt"))
        ends_at = parse_time(alert.get("endsAt") or "0001-01-01T00:00:00Z")
        if status == "firing" or ends_at <= ZERO_TIME:
            ends_at = False
        if status == "resolved" and not ends_at:
            raise ValueError("a resolved alert needs its endsAt")
        if ends_at and ends_at < starts_at:
            raise ValueError("an alert cannot end before it starts")
        generator_url = alert.get("generatorURL") or ""
        if not isinstance(generator_url, str):
            raise ValueError("generatorURL must be a string")
        parsed.append(
            {
                "status": status,
                "fingerprint": fingerprint.strip()[:64],
                "labels": _strings(alert.get("labels") or {}, "labels"),
                "annotations": _strings(alert.get("annotations") or {}, "annotations"),
                "starts_at": starts_at,
                "ends_at": ends_at,
                "generator_url": generator_url[:500] or False,
            }
        )
    return parsed


class LianghuaMonitoringController(http.Controller):
    @http.route(
        "/lianghua/monitoring/alertmanager",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def alertmanager_webhook(self, **kwargs):
        """Alertmanager's webhook receiver: ``Authorization: Bearer <token>`` of a
        monitoring source; 401 without a token, 403 with a wrong one, 400 for a
        payload that is not Alertmanager's (nothing is written)."""
        header = request.httprequest.headers.get("Authorization", "")
        scheme, __, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return self._reply({"error": "missing bearer token"}, 401)
        env = request.env(user=SUPERUSER_ID)
        source = env["lianghua.monitoring.source"]._lianghua_find_by_token(token.strip())
        if not source:
            return self._reply({"error": "unknown token"}, 403)
        try:
            payload = json.loads(request.httprequest.get_data(as_text=True))
            alerts = parse_alertmanager(payload)
        except (ValueError, OverflowError, RecursionError) as error:  # JSONDecodeError too
            return self._reply({"error": f"malformed payload: {error}"}, 400)
        # Nothing is written before: a concurrent delivery of the same alert
        # may have the transaction rolled back and the alerts received again.
        counts = source._lianghua_process_alerts(alerts)
        _logger.info("Monitoring source %s: %s", source.name, counts)
        return self._reply({"status": "ok", **counts}, 200)

    def _reply(self, body, status):
        return request.make_json_response(body, status=status)
