import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

LEVELS = [("warning", "Warning"), ("alarm", "Alarm")]


class LianghuaRiskWarning(models.Model):
    """An early warning (policy 6.3, 風險預警): an early-warning indicator's
    value on a project or system crossed its warning or alarm threshold.
    The warning cron raises it once (one open warning per indicator and
    scope), notifies its owner, creates or re-scores the linked risk,
    escalates it to an alarm, and closes it when the value is back within
    the thresholds. Its readings keep each change of level."""

    _name = "lianghua.risk.warning"
    _description = "Early Warning"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "state desc, level, date_raised desc, id desc"
    _check_company_auto = True
    _rec_name = "scope_name"

    indicator_id = fields.Many2one(
        "lianghua.indicator", required=True, readonly=True, index=True, ondelete="cascade",
        check_company=True,
    )  # fmt: skip
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Scope Record", readonly=True, index=True)
    project_id = fields.Many2one(
        "project.project", readonly=True, index="btree_not_null", check_company=True
    )
    system_id = fields.Many2one(
        "lianghua.system", string="Information System", readonly=True, index="btree_not_null",
        check_company=True,
    )  # fmt: skip
    department_id = fields.Many2one(
        "hr.department", string="Business Department", readonly=True, index="btree_not_null",
        check_company=True,
    )  # fmt: skip
    scope_name = fields.Char(string="Watched", readonly=True)
    unit = fields.Char(related="indicator_id.unit")
    level = fields.Selection(LEVELS, required=True, readonly=True, tracking=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], string="Status", required=True, readonly=True,
        default="open", tracking=True, index=True,
    )  # fmt: skip
    value = fields.Float(string="Value at Last Change", readonly=True, tracking=True)
    current_value = fields.Float(compute="_compute_current_value")
    threshold = fields.Float(string="Threshold Crossed", readonly=True)
    date_raised = fields.Datetime(string="Raised On", readonly=True, index=True)
    date_escalated = fields.Datetime(string="Alarm Since", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    risk_id = fields.Many2one(
        "lianghua.risk", readonly=True, index="btree_not_null", check_company=True
    )
    owner_id = fields.Many2one("res.users", readonly=True, check_company=True)
    reading_ids = fields.One2many("lianghua.risk.warning.reading", "warning_id", string="History")

    # Computes

    def _compute_current_value(self):
        """The indicator's value of the current period on the warning's scope
        (one search for every warning)."""
        values = self.env["lianghua.indicator.value"].search(
            [
                ("indicator_id", "in", self.indicator_id.ids),
                ("res_id", "in", self.mapped("res_id")),
            ],
            order="date_start desc",
        )
        latest = {}
        for value in values:
            latest.setdefault(
                (value.indicator_id.id, value.company_id.id, value.res_id), value.value
            )
        for warning in self:
            warning.current_value = latest.get(
                (warning.indicator_id.id, warning.company_id.id, warning.res_id), warning.value
            )

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "lianghua_risk_warning_one_open": (
                ("indicator_id", "company_id", "res_id"),
                "state = 'open'",
                lambda: self.env._("An indicator has one open warning per project or system."),
            ),
        }

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(_("Early warnings are raised by their indicators, not by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            raise UserError(_("An early warning follows its indicator: it cannot be edited."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if not self.env.su:
            raise UserError(_("Early warnings are the register's history: they stay."))

    @api.model
    def _heat_map_list(self, project, limit):
        """The open warnings (alarms first) the user sees, of ``project`` or
        of all, for the heat map's side list."""
        if not self.has_access("read"):
            return []
        domain = [("state", "=", "open")]
        if project:
            domain.append(("project_id", "=", project.id))
        labels = dict(self._fields["level"]._description_selection(self.env))
        return [
            {
                "id": warning.id,
                "indicator": warning.indicator_id.name,
                "scope": warning.scope_name,
                "level": warning.level,
                "level_label": labels[warning.level],
                "value": round(warning.value, 2),
                "unit": warning.unit or "",
            }
            for warning in self.search(domain, limit=limit, order="level, date_raised desc")
        ]

    # Actions

    def action_view_risk(self):
        self.ensure_one()
        return self.risk_id._get_lianghua_form_action()

    def action_view_indicator(self):
        self.ensure_one()
        return self.indicator_id._get_lianghua_form_action()

    # Cron

    @api.model
    def _cron_evaluate(self, batch_size=20):
        """Measure the current period of the early-warning indicators and
        compare each value with the thresholds, in each company by its own
        calendar: one batch of indicators per call, each in its own
        savepoint; rerun-safe (one open warning per indicator and scope)."""
        Indicator = self.env["lianghua.indicator"]
        today = fields.Date.context_today(self)
        domain = [
            ("lianghua_early_warning", "=", True),
            ("computation", "!=", False),
            "|",
            ("lianghua_warned_on", "=", False),
            ("lianghua_warned_on", "<", today),
        ]
        indicators = Indicator.search(domain, limit=batch_size, order="lianghua_warned_on, id")
        companies = self.env["res.company"].search([("active", "=", True)])
        for indicator in indicators:
            try:
                with self.env.cr.savepoint():
                    for company in indicator.company_id or companies:
                        day = Indicator._local_today(company)
                        indicator._measure(day, companies=company)
                        self._evaluate(indicator, company, day)
            except Exception:  # one indicator's failure must not stop the others
                _logger.exception("Early warnings of %s failed", indicator.code)
            indicator.lianghua_warned_on = today
        remaining = Indicator.search_count(domain) if len(indicators) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(indicators), remaining=remaining)

    @api.model
    def _evaluate(self, indicator, company, day):
        """Compare the values of ``indicator`` for the period holding ``day``
        in ``company`` with its thresholds: raise, escalate, de-escalate or
        close the warnings, in a fixed number of queries plus the ones of
        each change."""
        scope_field = indicator._get_scope_fields()[indicator.scope]
        values = self.env["lianghua.indicator.value"].search(
            [
                ("indicator_id", "=", indicator.id),
                ("company_id", "=", company.id),
                ("date_start", "=", indicator._period_start(day)),
            ]
        )
        open_warnings = {
            w.res_id: w
            for w in self.search(
                [
                    ("indicator_id", "=", indicator.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                ]
            )
        }
        to_raise, changed, seen = [], [], set()
        for value in values:
            seen.add(value.res_id)
            level = indicator._lianghua_level_of(value.value, value.sample_size)
            warning = open_warnings.get(value.res_id)
            if level and not warning:
                to_raise.append((value, level))
            elif warning and level != warning.level:
                changed.append((warning, level, value.value))
        closing = [
            (warning, False, warning.value)
            for res_id, warning in open_warnings.items()
            if res_id not in seen
        ]
        if to_raise:
            self._raise(indicator, company, scope_field, to_raise)
        for warning, level, value in changed + closing:
            if level:
                warning._change_level(level, value)
            else:
                warning._close(value)

    @api.model
    def _raise(self, indicator, company, scope_field, raised):
        now = fields.Datetime.now()
        scopes = self.env[self._fields[scope_field].comodel_name].browse(
            [value[scope_field].id for value, __ in raised]
        )
        levels = {value[scope_field]: level for value, level in raised}
        risks = self._risks_for(indicator, scope_field, scopes, levels)
        warnings = self.sudo().create(  # raised by the cron, for every scope
            [
                {
                    "indicator_id": indicator.id,
                    "company_id": company.id,
                    "res_id": value.res_id,
                    scope_field: value[scope_field].id,
                    "department_id": self._department_of(value[scope_field]).id,
                    "scope_name": value.scope_name,
                    "level": level,
                    "value": value.value,
                    "threshold": indicator.lianghua_alarm_threshold
                    if level == "alarm"
                    else indicator.lianghua_warning_threshold,
                    "date_raised": now,
                    "date_escalated": now if level == "alarm" else False,
                    "risk_id": risks[value[scope_field]].id,
                    "owner_id": risks[value[scope_field]].owner_id.id,
                    "reading_ids": [
                        (
                            0,
                            0,
                            {"date": now, "value": value.value, "level": level, "event": "raised"},
                        )
                    ],
                }
                for value, level in raised
            ]
        )
        for warning in warnings:
            warning._notify_owner()

    @api.model
    def _department_of(self, scope):
        if scope._name == "project.project":
            return scope.lianghua_department_id
        return scope.department_id

    @api.model
    def _risks_for(self, indicator, scope_field, scopes, levels):
        """{scope: its open risk raised by ``indicator``}: the one already in
        the register (re-scored to the warning's level) or a new one."""
        Risk = self.env["lianghua.risk"].sudo()  # the register of every project, for the cron
        existing = Risk.search(
            [
                ("indicator_id", "=", indicator.id),
                (scope_field, "in", scopes.ids),
                ("state", "!=", "closed"),
            ]
        )
        risks = {risk[scope_field]: risk for risk in existing}
        for scope, risk in risks.items():
            risk._lianghua_rescore_for(indicator, levels[scope])
        missing = scopes.filtered(lambda scope: scope not in risks)
        if missing:
            new = Risk.create(
                [self._risk_vals(indicator, scope_field, scope, levels[scope]) for scope in missing]
            )
            risks.update({risk[scope_field]: risk for risk in new})
        return risks

    @api.model
    def _risk_vals(self, indicator, scope_field, scope, level):
        """The risk a warning of ``indicator`` stands for on ``scope``, written
        in its owner's language (the cron has none)."""
        owner = self._owner_of(scope, indicator)
        env = self._lang_env(owner, scope.company_id)
        indicator_lang = indicator.with_env(env)
        return {
            "title": env._("%(indicator)s beyond its threshold", indicator=indicator_lang.name),
            scope_field: scope.id,
            "category_id": indicator.lianghua_risk_category_id.id,
            "probability_id": indicator._lianghua_probability_at(level).id,
            "impact_id": indicator.lianghua_risk_impact_id.id,
            "owner_id": owner.id,
            "description": indicator_lang.description,
            "source": "warning",
            "indicator_id": indicator.id,
        }

    @api.model
    def _lang_env(self, user, company):
        """The environment of the language ``user`` reads (else the
        company's), for what the cron writes once for them."""
        lang = user.lang or company.partner_id.lang or self.env.lang
        return self.with_context(lang=lang).env

    @api.model
    def _owner_of(self, scope, indicator):
        """Who answers for a new risk: the project's manager, the system's
        IT owner, else the indicator's owner."""
        if scope._name == "project.project":
            return scope.user_id or indicator.owner_id
        return scope.sudo().it_owner_id or indicator.owner_id

    def _change_level(self, level, value):
        self.ensure_one()
        now = fields.Datetime.now()
        vals = {"level": level, "value": value}
        if level == "alarm":
            vals["date_escalated"] = now
        vals["threshold"] = (
            self.indicator_id.lianghua_alarm_threshold
            if level == "alarm"
            else self.indicator_id.lianghua_warning_threshold
        )
        vals["reading_ids"] = [
            (0, 0, {"date": now, "value": value, "level": level,
                    "event": "escalated" if level == "alarm" else "eased"})
        ]  # fmt: skip
        self.write(vals)
        if self.risk_id and self.risk_id.state != "closed":
            self.risk_id._lianghua_rescore_for(self.indicator_id, level)
        if level == "alarm":
            self._notify_owner()

    def _close(self, value):
        self.ensure_one()
        now = fields.Datetime.now()
        self.write(
            {
                "state": "closed",
                "value": value,
                "date_closed": now,
                "reading_ids": [
                    (0, 0, {"date": now, "value": value, "level": self.level, "event": "closed"})
                ],
            }
        )
        self.activity_unlink(["lianghua_risk.mail_activity_early_warning"])
        if self.risk_id:
            env = self._lang_env(self.owner_id, self.company_id)
            self.risk_id.message_post(
                body=env._(
                    "%(indicator)s is back within its thresholds (%(value)s): the early "
                    "warning is closed. Close the risk if it is no longer a threat.",
                    indicator=self.indicator_id.with_env(env).name,
                    value=round(value, 2),
                )
            )

    def _notify_owner(self):
        """A to-do for the owner of the warning's risk."""
        self.ensure_one()
        if not self.owner_id:
            return
        self.activity_unlink(["lianghua_risk.mail_activity_early_warning"])
        env = self._lang_env(self.owner_id, self.company_id)
        levels = dict(self._fields["level"]._description_selection(env))
        self.activity_schedule(
            "lianghua_risk.mail_activity_early_warning",
            user_id=self.owner_id.id,
            summary=env._(
                "%(level)s: %(indicator)s at %(value)s on %(scope)s",
                level=levels[self.level],
                indicator=self.indicator_id.with_env(env).name,
                value=round(self.value, 2),
                scope=self.scope_name,
            ),
        )


class LianghuaRiskWarningReading(models.Model):
    """A change of an early warning: raised, escalated, eased, closed, with
    the value that made it."""

    _name = "lianghua.risk.warning.reading"
    _description = "Early Warning History"
    _order = "date desc, id desc"
    _check_company_auto = True

    warning_id = fields.Many2one(
        "lianghua.risk.warning", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="warning_id.company_id", store=True)
    date = fields.Datetime(required=True)
    value = fields.Float()
    level = fields.Selection(LEVELS)
    event = fields.Selection(
        [
            ("raised", "Raised"),
            ("escalated", "Escalated to Alarm"),
            ("eased", "Eased to Warning"),
            ("closed", "Closed"),
        ],
        required=True,
    )
