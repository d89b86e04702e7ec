from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

IT_MANAGER_GROUP = "lianghua_service.group_lianghua_it_manager"
STATUSES = [
    ("on_target", "On Target"),
    ("off_target", "Off Target"),
    ("no_target", "No Target"),
    ("no_data", "No Data"),
]


class LianghuaIndicatorValue(models.Model):
    """One measurement: an indicator's value on one scope record for one
    period, with what it was computed from. Computed values are written by the
    engine (``lianghua.indicator._measure``); values of an indicator without a
    computation are entered by its owner, with their evidence."""

    _name = "lianghua.indicator.value"
    _description = "Service Indicator Value"
    _inherit = ["mail.thread", "lianghua.document.mixin"]
    _order = "date_start desc, indicator_id, scope_name"
    _rec_name = "scope_name"
    _check_company_auto = True

    indicator_id = fields.Many2one(
        "lianghua.indicator", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    scope = fields.Selection(related="indicator_id.scope")
    unit = fields.Char(related="indicator_id.unit")
    direction = fields.Selection(related="indicator_id.direction")
    target = fields.Float(related="indicator_id.target")
    sample_label = fields.Char(related="indicator_id.sample_label")
    computed = fields.Boolean(compute="_compute_computed")
    # The scope record: its id (the unique key) and the field of its kind,
    # for grouping, smart buttons and record rules.
    res_id = fields.Integer(string="Scope Record", readonly=True, index=True)
    department_id = fields.Many2one("hr.department", index="btree_not_null", check_company=True)
    system_id = fields.Many2one(
        "lianghua.system", string="Information System", index="btree_not_null", check_company=True
    )
    project_id = fields.Many2one("project.project", index="btree_not_null", check_company=True)
    team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Service Team", index="btree_not_null", check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Vendor", index="btree_not_null", check_company=True
    )
    scope_name = fields.Char(string="Measured On", readonly=True)
    date_start = fields.Date(string="Period Start", required=True)
    date_end = fields.Date(string="Period End", readonly=True)
    period_name = fields.Char(string="Period", compute="_compute_period_name")
    value = fields.Float(aggregator="avg", tracking=True)
    sample_size = fields.Integer(
        aggregator="sum", readonly=True, help="How many records the value was computed from."
    )
    status = fields.Selection(
        STATUSES, compute="_compute_status", store=True, readonly=True, index=True
    )
    computed_on = fields.Datetime(readonly=True)
    closed = fields.Boolean(
        readonly=True, help="The period has ended and was measured: the value stays as it is."
    )
    comment = fields.Text(help="Where a value entered by hand comes from.")
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence")

    _sql_constraints = [
        (
            "indicator_scope_period_uniq",
            "unique (indicator_id, company_id, res_id, date_start)",
            "An indicator has one value per scope and period.",
        ),
    ]

    # Computes

    @api.depends("indicator_id.computation")
    def _compute_computed(self):
        for value in self:
            value.computed = bool(value.indicator_id.computation)

    @api.depends("date_start", "indicator_id.period")
    def _compute_period_name(self):
        for value in self:
            start = value.date_start
            period = value.indicator_id.period
            if not start:
                value.period_name = False
            elif period == "year":
                value.period_name = f"{start.year}"
            elif period == "quarter":
                value.period_name = f"{start.year} Q{(start.month - 1) // 3 + 1}"
            else:
                value.period_name = f"{start.year}-{start.month:02d}"

    @api.depends(
        "value",
        "sample_size",
        "indicator_id.computation",
        "indicator_id.target",
        "indicator_id.has_target",
        "indicator_id.direction",
    )
    def _compute_status(self):
        for value in self:
            value.status = self._status_of(value.indicator_id, value.value, value.sample_size)

    @api.model
    def _status_of(self, indicator, value, sample):
        """On or off target, or no data (a computed value from no records)."""
        if indicator.computation and not sample:
            return "no_data"
        if not indicator.has_target:
            return "no_target"
        if indicator.direction == "higher":
            return "on_target" if value >= indicator.target else "off_target"
        return "on_target" if value <= indicator.target else "off_target"

    # Constraints

    @api.constrains("indicator_id", *("department_id", "system_id", "project_id", "team_id"))
    def _check_scope(self):
        for value in self:
            fname = value.indicator_id._get_scope_fields()[value.indicator_id.scope]
            named = {
                name
                for name in value.indicator_id._get_scope_fields().values()
                if name != "company_id" and value[name]
            }
            if named - {fname} or (fname != "company_id" and not value[fname]):
                raise ValidationError(
                    _(
                        "A value of %(indicator)s is measured on one %(scope)s.",
                        indicator=value.indicator_id.display_name,
                        scope=dict(
                            value.indicator_id._fields["scope"]._description_selection(self.env)
                        )[value.indicator_id.scope],
                    )
                )

    # CRUD

    # Written by the engine or by create, never by hand.
    _lianghua_engine_fields = frozenset(
        {"res_id", "scope_name", "date_end", "sample_size", "status", "closed", "computed_on"}
    )

    @api.model_create_multi
    def create(self, vals_list):
        indicators = self._lianghua_vals_records(vals_list, "indicator_id")
        for vals, indicator in zip(vals_list, indicators, strict=True):
            self._check_can_enter(indicator)
            self._check_evidence(indicator, vals.get("comment"), vals.get("attachment_ids"))
            try:
                day = fields.Date.to_date(vals.get("date_start"))
            except ValueError:
                day = None
            if not day:
                raise ValidationError(
                    _(
                        "A value of %(indicator)s needs a day of its period.",
                        indicator=indicator.display_name,
                    )
                )
            fname = indicator._get_scope_fields()[indicator.scope]
            if fname == "company_id":
                scope = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
            else:
                scope = self._lianghua_vals_records([vals], fname)
            start, end = indicator._period_bounds(day)
            for name in self._lianghua_engine_fields:
                vals.pop(name, None)
            vals.update(
                date_start=start,
                date_end=end,
                res_id=scope.id,
                scope_name=scope.sudo().display_name,  # the name of a record the user names
            )
        return super().create(vals_list)

    def write(self, vals):
        for value in self:
            self._check_can_enter(value.indicator_id)
            if value.closed:
                raise UserError(
                    _(
                        "The value of %(indicator)s for %(period)s is closed.",
                        indicator=value.indicator_id.display_name,
                        period=value.period_name,
                    )
                )
        frozen = {"indicator_id", "date_start", "company_id", *self._lianghua_engine_fields}
        frozen |= set(self.indicator_id._get_scope_fields().values())
        if frozen & set(vals) and not self.env.su:
            raise UserError(_("Enter a new value for another indicator, scope or period."))
        res = super().write(vals)
        if {"comment", "attachment_ids"} & set(vals):
            for value in self.filtered(lambda v: not v.computed):
                self._check_evidence(value.indicator_id, value.comment, value.attachment_ids)
        return res

    @api.model
    def _check_evidence(self, indicator, comment, attachments):
        if not (comment or attachments):
            raise ValidationError(
                _(
                    "A value of %(indicator)s entered by hand needs its evidence: "
                    "a comment or an attachment.",
                    indicator=indicator.display_name,
                )
            )

    def _check_can_enter(self, indicator):
        """Values of an indicator without a computation are entered by its
        owner or an IT manager; computed ones by the engine only."""
        if self.env.su:
            return
        if indicator.computation:
            raise UserError(
                _(
                    "The values of %(indicator)s are computed from the records.",
                    indicator=indicator.display_name,
                )
            )
        user = self.env.user
        if user != indicator.owner_id and not user.has_group(IT_MANAGER_GROUP):
            raise AccessError(
                _(
                    "Only the owner of %(indicator)s enters its values.",
                    indicator=indicator.display_name,
                )
            )

    # Actions

    def action_recompute(self):
        """Measure the periods of these values again from the records, closed
        ones included (IT managers)."""
        self.indicator_id._check_can_measure()
        for indicator, values in self.grouped("indicator_id").items():
            for date_start in sorted(set(values.mapped("date_start"))):
                # Checked above; the values are written by the engine.
                indicator.sudo()._measure(date_start, force=True, companies=values.company_id)
        return True

    def action_view_indicator(self):
        self.ensure_one()
        return self.indicator_id._get_lianghua_form_action()
