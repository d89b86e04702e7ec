from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class LianghuaVendorEvaluation(models.Model):
    """The periodic evaluation of a vendor (policy 7.2.2: the execution of
    its contracts checked and evaluated), per quarter: its indicators, as the
    indicators engine measures them on its tickets and projects, and the
    scores its reviewers give, each with a weight. Done, it is kept as it is
    and shown on the vendor and on the contract."""

    _name = "lianghua.vendor.evaluation"
    _description = "Vendor Evaluation"
    _inherit = [
        "lianghua.contract.chatter.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.document.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.vendor.evaluation"

    # The contracts a vendor is evaluated on: signed once.
    _contract_states = ("signed", "expired", "closed")

    def _default_date_start(self):
        return self._quarter_start(fields.Date.context_today(self))

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    agreement_id = fields.Many2one(
        "agreement",
        string="Contract",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('lianghua_kind', '!=', False), "
        "('lianghua_state', 'in', ('signed', 'expired', 'closed')), "
        "('partner_id', 'child_of', partner_id)]",
        help="The service contract evaluated, if the evaluation is of one contract; the "
        "indicators measure the vendor's work as a whole.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(
        related="agreement_id.lianghua_department_id", string="Business Department", store=True
    )
    date_start = fields.Date(
        string="Quarter Start",
        required=True,
        default=_default_date_start,
        tracking=True,
        help="The first day of the quarter evaluated (any day of it is taken to its first).",
    )
    date_end = fields.Date(string="Quarter End", compute="_compute_period", store=True)
    period_name = fields.Char(string="Quarter", compute="_compute_period", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        default="draft",
        index=True,
        tracking=True,
    )
    line_ids = fields.One2many("lianghua.vendor.evaluation.line", "evaluation_id", string="Lines")
    indicator_line_ids = fields.One2many(
        "lianghua.vendor.evaluation.line",
        "evaluation_id",
        string="Indicators",
        domain=[("kind", "=", "indicator")],
    )
    review_line_ids = fields.One2many(
        "lianghua.vendor.evaluation.line",
        "evaluation_id",
        string="Reviewers' Scores",
        domain=[("kind", "=", "review")],
        context={"default_kind": "review"},
    )
    score = fields.Float(
        string="Total Score",
        compute="_compute_score",
        store=True,
        aggregator="avg",
        digits=(5, 2),
        tracking=True,
        help="Weighted average of the scores (0 to 100) of the lines with a score: "
        "sum of weight x score / sum of weights. Indicators without data are left out.",
    )
    computed_on = fields.Datetime(string="Indicators Computed On", readonly=True, copy=False)
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False)
    summary = fields.Text(string="Conclusion")

    # Computes

    @api.depends("date_start")
    def _compute_period(self):
        for evaluation in self:
            start = evaluation.date_start
            evaluation.date_end = start and start + relativedelta(months=3, days=-1)
            evaluation.period_name = start and f"{start.year} Q{(start.month - 1) // 3 + 1}"

    @api.depends("line_ids.score", "line_ids.weight", "line_ids.counted")
    def _compute_score(self):
        for evaluation in self:
            lines = evaluation.line_ids.filtered("counted")
            weight = sum(lines.mapped("weight"))
            evaluation.score = (
                sum(line.weight * line.score for line in lines) / weight if weight else 0.0
            )

    # Constraints

    @api.constrains("partner_id", "agreement_id")
    def _check_vendor(self):
        for evaluation in self:
            vendor = evaluation.partner_id
            if vendor.commercial_partner_id != vendor:
                raise ValidationError(
                    _(
                        "Evaluate the vendor %(vendor)s itself, not one of its contacts.",
                        vendor=vendor.commercial_partner_id.display_name,
                    )
                )
            contract = evaluation.agreement_id.sudo()  # its vendor and status, not its terms
            if contract and (
                not contract.lianghua_kind
                or contract.partner_id.commercial_partner_id != vendor
                or contract.lianghua_state not in self._contract_states
            ):
                raise ValidationError(
                    _(
                        "The contract of an evaluation of %(vendor)s is a signed service "
                        "contract of that vendor.",
                        vendor=vendor.display_name,
                    )
                )

    @api.constrains("date_start")
    def _check_date_start(self):
        for evaluation in self:
            if evaluation.date_start > fields.Date.context_today(evaluation):
                raise ValidationError(
                    _("A vendor is evaluated on a quarter that has started, not a future one.")
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_it()
            self._lianghua_check_workflow_fields(
                vals_list,
                _("The number, status and score of an evaluation are set by its buttons."),
            )
        for vals in vals_list:
            if vals.get("date_start"):
                vals["date_start"] = self._quarter_start(vals["date_start"])
        companies = self.env["res.company"].browse(
            [vals.get("company_id") or self.env.company.id for vals in vals_list]
        )
        self._lianghua_assign_numbers(vals_list, companies)
        evaluations = super().create(vals_list)
        # Evaluated as a vendor: the indicators engine measures it as one.
        vendors_sudo = evaluations.partner_id.sudo().filtered(lambda p: not p.supplier_rank)
        vendors_sudo._increase_rank("supplier_rank")
        return evaluations

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            self._check_it()
            self._lianghua_check_workflow_fields(
                [vals], _("The number, status and score of an evaluation are set by its buttons.")
            )
            self._check_draft()
        if vals.get("date_start"):
            vals = {**vals, "date_start": self._quarter_start(vals["date_start"])}
        res = super().write(vals)
        if {"partner_id", "company_id", "date_start"} & set(vals):
            # Measured for another vendor or quarter: to compute again.
            self.indicator_line_ids.sudo().unlink()
            self.sudo().computed_on = False
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if not self.env.su and self.filtered(lambda e: e.state == "done"):
            raise UserError(_("A vendor evaluation that is done is kept."))

    # Actions

    def action_compute(self):
        """Fill the indicator lines with the vendor's values of the quarter,
        measured by the indicators engine (IT staff, draft evaluations)."""
        self._check_can_compute()
        self._do_compute()
        return True

    def action_done(self):
        """Close the evaluation with its total score (IT managers)."""
        self._check_can_done()
        self._do_done()
        return True

    # Checks

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {
            "name",
            "state",
            "score",
            "computed_on",
            "date_done",
        }

    def _lianghua_it_only_message(self):
        return _("Vendor evaluations are kept by IT staff.")

    def _check_draft(self):
        done = self.filtered(lambda e: e.state != "draft")
        if done:
            raise UserError(
                _("Vendor evaluation %(name)s is done: it is kept as it is.", name=done[0].name)
            )

    def _check_can_compute(self):
        self._check_it()
        self.check_access("write")
        self._check_draft()

    def _check_can_done(self):
        if not self._lianghua_is_it_manager():
            raise AccessError(_("Only IT managers close a vendor evaluation."))
        self.check_access("write")
        self._check_draft()
        for evaluation in self:
            if not evaluation.computed_on:
                raise UserError(
                    _(
                        "Compute the indicators of %(name)s before closing it.",
                        name=evaluation.name,
                    )
                )
            unscored = evaluation.review_line_ids.filtered(lambda line: not line.reviewer_id)
            if unscored:
                raise ValidationError(
                    _(
                        "Score every criterion of %(name)s first (missing: %(criteria)s).",
                        name=evaluation.name,
                        criteria=", ".join(unscored.mapped("name")),
                    )
                )
            if any(line.weight <= 0 for line in evaluation.line_ids):
                raise ValidationError(
                    _("Every line of %(name)s needs a weight above 0.", name=evaluation.name)
                )
            if not evaluation.line_ids.filtered("counted"):
                raise ValidationError(
                    _(
                        "%(name)s has no score yet: no indicator has data and no reviewer "
                        "scored it.",
                        name=evaluation.name,
                    )
                )

    # Business

    @api.model
    def _quarter_start(self, day):
        try:
            day = fields.Date.to_date(day)
        except (TypeError, ValueError):
            day = None
        if not isinstance(day, date):
            raise ValidationError(_("The quarter of an evaluation is given by a date."))
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)

    def _get_evaluation_indicators(self, company):
        """The indicators a vendor is evaluated on in ``company``: the active
        quarterly vendor indicators that have a score (see
        ``lianghua.indicator._vendor_score``)."""
        Indicator = self.env["lianghua.indicator"].sudo()  # configuration, read for IT
        return Indicator.search(
            [
                ("scope", "=", "partner"),
                ("period", "=", "quarter"),
                ("computation", "in", Indicator._get_vendor_evaluation_computations()),
                ("company_id", "in", [False, company.id]),
            ]
        )

    def _do_compute(self):
        Value = self.env["lianghua.indicator.value"].sudo()  # the engine's values, read for IT
        now = fields.Datetime.now()
        for (company, date_start), evaluations in self.grouped(
            lambda e: (e.company_id, e.date_start)
        ).items():
            indicators_sudo = self._get_evaluation_indicators(company)
            vendors = evaluations.partner_id
            domain = [
                ("indicator_id", "in", indicators_sudo.ids),
                ("company_id", "=", company.id),
                ("partner_id", "in", vendors.ids),
                ("date_start", "=", date_start),
            ]
            closed = Value.search([*domain, ("closed", "=", True)])
            closed_count = {
                indicator: len(values)
                for indicator, values in closed.grouped("indicator_id").items()
            }
            to_measure = indicators_sudo.browse(
                [i.id for i in indicators_sudo if closed_count.get(i, 0) < len(vendors)]
            )
            # A closed value stays as measured; the others are measured now
            # (a period that has ended closes as it is measured).
            to_measure._measure(date_start, force=False, companies=company)
            values = {(v.indicator_id, v.partner_id): v for v in Value.search(domain)}
            for evaluation in evaluations:
                evaluation._fill_indicator_lines(indicators_sudo, values)
            evaluations.sudo().computed_on = now  # written by the workflow only

    def _fill_indicator_lines(self, indicators_sudo, values):
        self.ensure_one()
        old = self.indicator_line_ids.sudo()
        weights = {line.indicator_id: line.weight for line in old}
        commands = [Command.delete(line.id) for line in old]
        for sequence, indicator in enumerate(indicators_sudo, start=1):
            value = values.get((indicator, self.partner_id))
            has_data = bool(value and value.sample_size)
            commands.append(
                Command.create(
                    {
                        "kind": "indicator",
                        "sequence": sequence,
                        "name": indicator.name,
                        "indicator_id": indicator.id,
                        "value_id": value.id if value else False,
                        "value": value.value if value else 0.0,
                        "sample_size": value.sample_size if value else 0,
                        "score": indicator._vendor_score(value.value) if has_data else 0.0,
                        "weight": weights.get(indicator, 1.0),
                    }
                )
            )
        self.sudo().line_ids = commands  # indicator lines are written by the workflow only

    def _do_done(self):
        evaluations_sudo = self.sudo()  # the status is written by the workflow only
        evaluations_sudo.write({"state": "done", "date_done": fields.Datetime.now()})
        for evaluation_sudo in evaluations_sudo:
            evaluation_sudo.message_post(
                body=_(
                    "Evaluation of %(vendor)s for %(period)s done: %(score)s / 100.",
                    vendor=evaluation_sudo.partner_id.display_name,
                    period=evaluation_sudo.period_name,
                    score=round(evaluation_sudo.score, 2),
                ),
                subtype_xmlid="mail.mt_note",
            )
