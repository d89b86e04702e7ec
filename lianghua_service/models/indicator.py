import logging
from collections import namedtuple
from datetime import date, datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

IT_MANAGER_GROUP = "lianghua_service.group_lianghua_it_manager"
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}

# A period measured: its first and last days, [start, end) as naive UTC
# datetimes (the company's midnights), and the company's today.
Period = namedtuple("Period", "first last start end today")


def measures(*scopes):
    """Declare a batch computation of indicators, on the scopes it measures.

    An addon registers a computation with a selection entry on
    ``lianghua.indicator.computation`` and a method ``_measure_<entry>``
    decorated with this, which receives every scope record and the period at
    once and returns ``{scope id: (value, sample size)}`` from a fixed number
    of queries::

        computation = fields.Selection(
            selection_add=[("vendor_score", "Vendor score")],
            ondelete={"vendor_score": "set null"},
        )

        @measures("partner")
        def _measure_vendor_score(self, scopes, period):
            ...

    ``period`` is a ``Period``: its first and last days (for Date fields), its
    bounds as naive UTC datetimes, midnights in the time zone of the company
    measured (``self.env.company``), and that company's today; scopes with no data are left out
    (or given a sample size of 0): they read "no data", not 0 % nor 100 %.
    """

    def decorate(method):
        method._lianghua_indicator_scopes = frozenset(scopes)
        return method

    return decorate


class LianghuaIndicator(models.Model):
    """A service indicator: what is measured, on which scope, per which
    period, and how (a computation registered in code, or values entered by
    its owner with evidence). Its measurements are ``lianghua.indicator.value``
    records, one per scope record and period."""

    _name = "lianghua.indicator"
    _description = "Service Indicator"
    _inherit = ["mail.thread", "lianghua.document.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to measure it in every company."
    )
    scope = fields.Selection(
        [
            ("company", "Company"),
            ("department", "Department"),
            ("system", "Information System"),
            ("project", "Project"),
            ("team", "Service Team"),
            ("partner", "Vendor"),
        ],
        string="Measured Per",
        required=True,
        default="company",
        tracking=True,
        help="What each value is measured on.",
    )
    period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        required=True,
        default="month",
        tracking=True,
    )
    computation = fields.Selection(
        [
            ("system_availability", "Availability of the system"),
            ("sla_attainment", "SLA targets met"),
            ("resolution_hours", "Mean time to resolve"),
            ("satisfaction", "Satisfaction (average rating)"),
            ("first_pass_acceptance", "Acceptances passed at the first round"),
            ("milestones_on_time", "Milestones reached on time"),
            ("open_critical_defects", "Open critical defects"),
            ("requests_evaluated_on_time", "Requests evaluated within the lead time"),
        ],
        tracking=True,
        help="How the values are computed from the records. Empty: its owner "
        "enters them, with their evidence.",
    )
    parameter = fields.Float(
        tracking=True,
        help="A figure the computation uses, if it needs one: the evaluation lead "
        "time in days for requests evaluated on time.",
    )
    unit = fields.Char(translate=True, help="How the values read: %, hours, defects...")
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True,
        default="higher",
    )
    target = fields.Float(
        string="Target Value", tracking=True, help="The value to reach, in the indicator's unit."
    )
    has_target = fields.Boolean(string="Has a Target", tracking=True)
    sample_label = fields.Char(
        string="Sample Counts",
        translate=True,
        help="What the sample size of a value counts: tickets, ratings, hours in service...",
    )
    owner_id = fields.Many2one(
        "res.users",
        tracking=True,
        check_company=True,
        domain=[("share", "=", False)],
        help="Who enters the values of an indicator without a computation.",
    )
    measured_on = fields.Date(
        string="Last Measured", readonly=True, copy=False, help="The day the cron last measured it."
    )
    value_ids = fields.One2many("lianghua.indicator.value", "indicator_id", string="Values")
    value_count = fields.Integer(compute="_compute_value_count", string="Values Count")
    trend_value_ids = fields.One2many(
        "lianghua.indicator.value",
        compute="_compute_trend_value_ids",
        string="Trend",
        help="The values of the last 12 periods.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "An indicator code is used once per company.",
        ),
    ]

    # Computes

    def _compute_value_count(self):
        counts = dict(
            self.env["lianghua.indicator.value"]._read_group(
                [("indicator_id", "in", self.ids)], ["indicator_id"], ["__count"]
            )
        )
        for indicator in self:
            indicator.value_count = counts.get(indicator, 0)

    def _compute_trend_value_ids(self):
        today = fields.Date.context_today(self)
        starts = {
            indicator: indicator._period_start(today)
            - relativedelta(months=11 * PERIOD_MONTHS[indicator.period])
            for indicator in self
        }
        values = self.env["lianghua.indicator.value"].search(
            [
                ("indicator_id", "in", self.ids),
                ("date_start", ">=", min(starts.values(), default=today)),
            ],
            order="date_start desc, scope_name",
        )
        by_indicator = values.grouped("indicator_id")
        for indicator in self:
            indicator.trend_value_ids = by_indicator.get(indicator, values.browse()).filtered(
                lambda value, start=starts[indicator]: value.date_start >= start
            )

    # Constraints

    @api.constrains("computation", "parameter")
    def _check_parameter(self):
        for indicator in self:
            if indicator.computation == "requests_evaluated_on_time" and indicator.parameter <= 0:
                raise ValidationError(
                    _(
                        "%(name)s needs its evaluation lead time (days) as its parameter.",
                        name=indicator.display_name,
                    )
                )

    @api.constrains("computation", "scope")
    def _check_computation_scope(self):
        for indicator in self:
            if not indicator.computation:
                continue
            scopes = indicator._measure_method()._lianghua_indicator_scopes
            if indicator.scope not in scopes:
                labels = dict(self._fields["scope"]._description_selection(self.env))
                raise ValidationError(
                    _(
                        "%(computation)s is measured per %(scopes)s, not per %(scope)s.",
                        computation=dict(
                            self._fields["computation"]._description_selection(self.env)
                        )[indicator.computation],
                        scopes=", ".join(sorted(labels[s] for s in scopes)),
                        scope=labels[indicator.scope],
                    )
                )

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            # unique (code, company_id) lets shared indicators share a code
            "lianghua_indicator_shared_code_uniq": (
                ("code",),
                "company_id IS NULL",
                lambda: self.env._("An indicator code is used once per company."),
            ),
        }

    # CRUD

    def write(self, vals):
        measured = {"scope", "period", "computation", "company_id"} & set(vals)
        if measured and self.env["lianghua.indicator.value"].sudo().search_count(
            [("indicator_id", "in", self.ids)], limit=1
        ):
            raise UserError(
                _(
                    "This indicator has values: what it measures, how and how often stay as "
                    "they are. Archive it and create another one."
                )
            )
        return super().write(vals)

    # Periods

    def _period_start(self, day):
        """The first day of the period of this indicator that holds ``day``."""
        self.ensure_one()
        months = PERIOD_MONTHS[self.period]
        return date(day.year, (day.month - 1) // months * months + 1, 1)

    def _period_bounds(self, day):
        start = self._period_start(day)
        return start, start + relativedelta(months=PERIOD_MONTHS[self.period], days=-1)

    @api.model
    def _company_tz(self, company):
        """The time zone a company's periods follow: its working calendar's."""
        return pytz.timezone(company.resource_calendar_id.tz or "UTC")

    @api.model
    def _utc_bounds(self, date_start, date_end, company):
        """[start, end) of the days ``date_start`` to ``date_end`` in the
        company's time zone, as naive UTC datetimes."""
        tz = self._company_tz(company)

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_start), utc(date_end + relativedelta(days=1))

    # Scopes

    @api.model
    def _get_scope_fields(self):
        """{scope: field of lianghua.indicator.value naming the scope record}.
        An addon with a new scope adds its selection entry, its field on the
        values, and its entry here."""
        return {
            "company": "company_id",
            "department": "department_id",
            "system": "system_id",
            "project": "project_id",
            "team": "team_id",
            "partner": "partner_id",
        }

    def _get_scope_domain(self, company):
        """The records measured in ``company``. Vendors are shared between
        companies: each company measures them on its own records."""
        self.ensure_one()
        return {
            "company": [("id", "=", company.id)],
            "department": [("company_id", "=", company.id)],
            "system": [("company_id", "=", company.id), ("state", "!=", "planned")],
            "project": [("company_id", "=", company.id), ("lianghua_request_id", "!=", False)],
            "team": [("company_id", "=", company.id)],
            "partner": [("company_id", "in", [company.id, False]), ("supplier_rank", ">", 0)],
        }[self.scope]

    def _scope_records(self, company):
        self.ensure_one()
        field = self.env["lianghua.indicator.value"]._fields[self._get_scope_fields()[self.scope]]
        # Measured as superuser: the values are read under their own rules.
        scopes_sudo = self.env[field.comodel_name].sudo()
        return scopes_sudo.search(self._get_scope_domain(company))

    def _measure_method(self):
        self.ensure_one()
        return getattr(type(self), f"_measure_{self.computation}")

    # Actions

    def action_view_values(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_indicator_value_action",
            "indicator_id",
            create=not self.computation,
        )

    def action_measure_now(self):
        """Measure the current period again (IT managers)."""
        self._check_can_measure()
        companies = self.env.companies
        today = self._local_today(self.env.company)
        # Checked above; the values are written by the engine, in the user's companies.
        self.sudo()._measure(today, force=True, companies=companies)
        return True

    def _check_can_measure(self):
        if not self.env.user.has_group(IT_MANAGER_GROUP):
            raise AccessError(_("Only IT managers measure indicators on demand."))
        self.check_access("read")
        manual = self.filtered(lambda indicator: not indicator.computation)
        if manual:
            raise UserError(
                _(
                    "%(name)s has no computation: its owner enters its values.",
                    name=manual[0].display_name,
                )
            )

    # Business

    def _measure(self, day, force=False, companies=None):
        """Measure every computed indicator of ``self`` for the period holding
        ``day``, in each of ``companies`` it measures (every active company
        by default): one query for the scope records, one for the figures and
        one to store them, per indicator and company. A period that has ended
        (at midnight in the company's time zone) is closed; closed values are
        kept as measured unless ``force``."""
        now = fields.Datetime.now()
        self.env.flush_all()  # the computations read the tables
        if companies is None:
            companies = self.env["res.company"].sudo().search([("active", "=", True)])
        for indicator in self.filtered("computation"):
            date_start, date_end = indicator._period_bounds(day)
            method = indicator._measure_method()
            measured = indicator.company_id & companies if indicator.company_id else companies
            for company in measured:
                start, end = self._utc_bounds(date_start, date_end, company)
                period = Period(date_start, date_end, start, end, self._local_today(company))
                scopes = indicator._scope_records(company)
                figures = method(indicator.with_company(company), scopes, period) if scopes else {}
                indicator._store_values(company, scopes, period, figures, now, end <= now, force)

    def _store_values(self, company, scopes, period, figures, now, closed, force):
        """Insert or update the values of ``scopes`` for one period in one
        statement: the unique key (indicator, scope, period) holds the row, a
        rerun updates it, a closed one stays unless forced."""
        self.ensure_one()
        Value = self.env["lianghua.indicator.value"]
        Value.flush_model()  # the statements below work on the table
        fname = self._get_scope_fields()[self.scope]
        scope_fields = sorted(set(self._get_scope_fields().values()) - {"company_id"})
        columns = [
            "indicator_id",
            "company_id",
            "res_id",
            *scope_fields,
            "scope_name",
            "date_start",
            "date_end",
            "value",
            "sample_size",
            "status",
            "closed",
            "computed_on",
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        ]
        rows = []
        for scope in scopes:
            value, sample = figures.get(scope.id, (0.0, 0))
            scope_values = dict.fromkeys(scope_fields)
            if fname != "company_id":
                scope_values[fname] = scope.id
            status = Value._status_of(self, value, sample)
            rows.append(
                SQL(
                    "(%s)",
                    SQL(", ").join(
                        [
                            self.id,
                            company.id,
                            scope.id,
                            *(scope_values[name] for name in scope_fields),
                            scope.display_name,
                            period.first,
                            period.last,
                            float(value or 0.0),
                            int(sample or 0),
                            status,
                            closed,
                            now,
                            self.env.uid,
                            now,
                            self.env.uid,
                            now,
                        ]
                    ),
                )
            )
        if rows:
            self._upsert_values(columns, rows, force)
        if closed:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE lianghua_indicator_value SET closed = TRUE
                     WHERE indicator_id = %s AND company_id = %s AND date_start = %s AND NOT closed
                    """,
                    self.id,
                    company.id,
                    period.first,
                )
            )
        Value.invalidate_model()
        self.invalidate_recordset(["value_ids", "trend_value_ids", "value_count"])

    def _upsert_values(self, columns, rows, force):
        key = ("indicator_id", "company_id", "res_id", "date_start")
        updated = [c for c in columns if c not in (*key, "create_uid", "create_date")]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO lianghua_indicator_value (%(columns)s) VALUES %(rows)s
                ON CONFLICT (indicator_id, company_id, res_id, date_start) DO UPDATE
                   SET %(updates)s
                 WHERE %(force)s OR NOT lianghua_indicator_value.closed
                """,
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                rows=SQL(", ").join(rows),
                updates=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(c), SQL.identifier(c)) for c in updated
                ),
                force=force,
            )
        )

    def _measure_since(self, day):
        """Measure every period from the one holding ``day`` to the current
        one: the history of an indicator added to a running database (or of
        the demo)."""
        today = fields.Date.context_today(self)
        for indicator in self.filtered("computation"):
            day_ = indicator._period_start(fields.Date.to_date(day))
            while day_ <= today:
                indicator._measure(day_)
                day_ += relativedelta(months=PERIOD_MONTHS[indicator.period])

    # Cron

    @api.model
    def _local_today(self, company):
        now = pytz.utc.localize(fields.Datetime.now())
        return now.astimezone(self._company_tz(company)).date()

    @api.model
    def _cron_measure(self, batch_size=20):
        """Measure the open periods of the computed indicators, in each
        company by its own calendar: the current period, and the one before
        until its values are closed (measured once after it ended). One batch
        of indicators per call, each in its own savepoint; rerun-safe (the
        values are keyed by indicator, company, scope and period)."""
        today = fields.Date.context_today(self)
        domain = [
            ("computation", "!=", False),
            "|",
            ("measured_on", "=", False),
            ("measured_on", "<", today),
        ]
        indicators = self.search(domain, limit=batch_size, order="measured_on, id")
        companies = self.env["res.company"].search([("active", "=", True)])
        for indicator in indicators:
            try:
                with self.env.cr.savepoint():
                    for company in indicator.company_id or companies:
                        local_today = self._local_today(company)
                        previous = indicator._period_start(local_today) - relativedelta(days=1)
                        if not indicator._is_closed(previous, company):
                            indicator._measure(previous, companies=company)
                        indicator._measure(local_today, companies=company)
            except Exception:  # one indicator's failure must not stop the others
                _logger.exception("Indicator %s failed to measure", indicator.code)
            indicator.measured_on = today
        remaining = self.search_count(domain) if len(indicators) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(indicators), remaining=remaining)

    def _is_closed(self, day, company):
        """Whether the period of ``day`` was measured in ``company`` after it
        ended."""
        self.ensure_one()
        domain = [
            ("indicator_id", "=", self.id),
            ("company_id", "=", company.id),
            ("date_start", "=", self._period_start(day)),
        ]
        Value = self.env["lianghua.indicator.value"]
        return bool(Value.search_count(domain, limit=1)) and not Value.search_count(
            [*domain, ("closed", "=", False)], limit=1
        )
