from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

STATES = [("identified", "Identified"), ("responding", "Responding"), ("closed", "Closed")]
# How many high risks and warnings the heat map lists beside the matrix.
HEAT_MAP_LIST = 10
SOURCES = [
    ("manual", "Identified by Hand"),
    ("plan", "Solution Plan"),
    ("review", "Risk Review"),
    ("warning", "Early Warning"),
]


class LianghuaRisk(models.Model):
    """A risk of the register (policy 6): what could go wrong on a project
    or an information system, why, how likely and how hard it would hit, the
    level the matrix gives that, who owns it and the responses (avoid,
    mitigate, transfer, accept) followed to closure. Risks come from the
    solution plan, from periodic reviews, from early warnings the indicators
    raise, or are identified by hand."""

    _name = "lianghua.risk"
    _description = "Risk"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "level_rank desc, score desc, id desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.risk"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    title = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one(
        "project.project", index="btree_not_null", tracking=True, check_company=True,
        domain="[('lianghua_request_id', '!=', False)]",
    )  # fmt: skip
    system_id = fields.Many2one(
        "lianghua.system", string="Information System", index="btree_not_null", tracking=True,
        check_company=True,
    )  # fmt: skip
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True, readonly=False,
        precompute=True, required=True,
    )  # fmt: skip
    department_id = fields.Many2one(
        "hr.department", compute="_compute_department_id", store=True, index=True,
        string="Business Department", check_company=True,
    )  # fmt: skip
    category_id = fields.Many2one(
        "lianghua.risk.category", required=True, tracking=True, ondelete="restrict"
    )
    guidance = fields.Html(related="category_id.guidance")
    description = fields.Html()
    cause = fields.Text(tracking=True)
    consequence = fields.Text(help="What happens to the project or the service if it occurs.")
    probability_id = fields.Many2one(
        "lianghua.risk.scale", required=True, tracking=True, ondelete="restrict",
        domain=[("axis", "=", "probability")],
    )  # fmt: skip
    impact_id = fields.Many2one(
        "lianghua.risk.scale", required=True, tracking=True, ondelete="restrict",
        domain=[("axis", "=", "impact")],
    )  # fmt: skip
    score = fields.Integer(compute="_compute_level_id", store=True, aggregator="max")
    level_id = fields.Many2one(
        "lianghua.risk.level", compute="_compute_level_id", store=True, tracking=True,
        index=True,
    )  # fmt: skip
    level_rank = fields.Integer(related="level_id.rank", store=True)
    color = fields.Char(related="level_id.color")
    is_high = fields.Boolean(related="level_id.is_high", store=True, string="High Risk")
    owner_id = fields.Many2one(
        "res.users", tracking=True, check_company=True, domain=[("share", "=", False)],
        default=lambda self: self.env.user,
    )  # fmt: skip
    state = fields.Selection(
        STATES, string="Status", required=True, readonly=True, copy=False, index=True,
        tracking=True, default="identified",
    )  # fmt: skip
    source = fields.Selection(SOURCES, required=True, readonly=True, default="manual")
    plan_risk_id = fields.Many2one(
        "lianghua.plan.risk", string="From Plan Line", readonly=True, copy=False,
        index="btree_not_null", check_company=True,
    )  # fmt: skip
    indicator_id = fields.Many2one(
        "lianghua.indicator", string="Raised by Indicator", readonly=True, copy=False,
        index="btree_not_null", check_company=True,
    )  # fmt: skip
    review_id = fields.Many2one(
        "lianghua.risk.review", string="Identified in Review", copy=False,
        index="btree_not_null", check_company=True,
    )  # fmt: skip
    date_identified = fields.Date(
        string="Identified On", required=True, default=fields.Date.context_today
    )
    date_closed = fields.Date(string="Closed On", readonly=True, copy=False)
    close_reason = fields.Text(
        string="Why Closed", copy=False, tracking=True,
        help="What makes the risk no longer a threat; required to close it.",
    )  # fmt: skip
    response_ids = fields.One2many("lianghua.risk.response", "risk_id", string="Responses")
    response_count = fields.Integer(compute="_compute_response_count", string="Responses Count")
    open_response_count = fields.Integer(compute="_compute_response_count")
    warning_ids = fields.One2many("lianghua.risk.warning", "risk_id", string="Early Warnings")
    warning_count = fields.Integer(compute="_compute_warning_count", string="Warnings")
    review_line_ids = fields.One2many(
        "lianghua.risk.review.line", "risk_id", string="Review History"
    )

    # Computes

    @api.depends("project_id.company_id", "system_id.company_id")
    def _compute_company_id(self):
        for risk in self:
            risk.company_id = (
                risk.project_id.company_id
                or risk.system_id.company_id
                or risk.company_id
                or self.env.company
            )

    @api.depends("project_id.lianghua_department_id", "system_id.department_id")
    def _compute_department_id(self):
        for risk in self:
            risk.department_id = (
                risk.project_id.lianghua_department_id or risk.system_id.department_id
            )

    @api.depends("probability_id.score", "impact_id.score")
    def _compute_level_id(self):
        """The level of the matrix's cell of the risk's probability and
        impact (one read of the matrix for every risk)."""
        matrix = self.env["lianghua.risk.matrix.cell"]._lianghua_matrix()
        for risk in self:
            cell = matrix.get((risk.probability_id.id, risk.impact_id.id))
            risk.level_id = cell.level_id if cell else False
            risk.score = risk.probability_id.score * risk.impact_id.score

    def _compute_response_count(self):
        groups = self.env["lianghua.risk.response"]._read_group(
            [("risk_id", "in", self.ids)], ["risk_id", "state"], ["__count"]
        )
        total, open_ = {}, {}
        for risk, state, count in groups:
            total[risk] = total.get(risk, 0) + count
            if state == "open":
                open_[risk] = open_.get(risk, 0) + count
        for risk in self:
            risk.response_count = total.get(risk, 0)
            risk.open_response_count = open_.get(risk, 0)

    def _compute_warning_count(self):
        counts = dict(
            self.env["lianghua.risk.warning"]._read_group(
                [("risk_id", "in", self.ids)], ["risk_id"], ["__count"]
            )
        )
        for risk in self:
            risk.warning_count = counts.get(risk, 0)

    # Constraints

    @api.constrains("project_id", "system_id")
    def _check_subject(self):
        for risk in self:
            if not risk._lianghua_subject():
                raise ValidationError(
                    _(
                        "Risk %(name)s names what it threatens: %(subjects)s.",
                        name=risk.title,
                        subjects=self._lianghua_subject_names(),
                    )
                )

    def _lianghua_subject(self):
        """What the risk threatens; a bridge adds its own subjects (a
        contract), with their field in ``_check_subject``'s constraint and
        their name in ``_lianghua_subject_names``."""
        self.ensure_one()
        return self.project_id or self.system_id

    def _lianghua_subject_names(self):
        return _("a project or an information system")

    # CRUD

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {
            "state", "date_closed", "source", "plan_risk_id", "indicator_id",
        }  # fmt: skip

    @api.model_create_multi
    def create(self, vals_list):
        self._check_it()
        self._lianghua_check_workflow_fields(
            vals_list, _("A risk is identified first: its status moves with its buttons.")
        )
        for vals in vals_list:
            if vals.get("review_id"):
                vals["source"] = "review"
        companies = [self._lianghua_company_of(vals) for vals in vals_list]
        self._lianghua_assign_numbers(vals_list, companies)
        risks = super().create(vals_list)
        # The constraint runs on the fields given: a risk naming none must fail too.
        risks._check_subject()
        return risks

    @api.model
    def _lianghua_company_of(self, vals):
        """The company a new risk will belong to, from what it names."""
        for fname in ("project_id", "system_id"):
            if vals.get(fname):
                return self._lianghua_vals_records([vals], fname).company_id
        if vals.get("company_id"):
            return self.env["res.company"].browse(vals["company_id"])
        return self.env.company

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            self._check_it()
            self._lianghua_check_workflow_fields(
                [vals], _("A risk's status moves with its buttons.")
            )
            closed = self.filtered(lambda risk: risk.state == "closed")
            if closed:
                raise UserError(
                    _("Risk %(name)s is closed: reopen it to change it.", name=closed[0].name)
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_followed(self):
        for risk in self:
            if risk.source != "manual" or risk.response_ids or risk.warning_ids:
                raise UserError(
                    _(
                        "Risk %(name)s has a history (responses, warnings, a plan): close it "
                        "instead.",
                        name=risk.name,
                    )
                )

    # Actions

    def action_close(self):
        """Close the risks whose responses are done, for the reason written
        on them."""
        self._check_can_close()
        self._do_close()
        return True

    def _check_can_close(self):
        self._check_it()
        self.check_access("write")
        for risk in self:
            if risk.state == "closed":
                raise UserError(_("Risk %(name)s is closed already.", name=risk.name))
            if risk.open_response_count:
                raise UserError(
                    _(
                        "Risk %(name)s still has %(count)s open responses: complete or cancel "
                        "them first.",
                        name=risk.name,
                        count=risk.open_response_count,
                    )
                )
            if risk.warning_ids.filtered(lambda w: w.state == "open"):
                raise UserError(
                    _(
                        "Risk %(name)s has an open early warning: it closes when its "
                        "indicator recovers.",
                        name=risk.name,
                    )
                )
            if not (risk.close_reason or "").strip():
                raise UserError(_("Say why risk %(name)s is closed (Why Closed).", name=risk.name))

    def _do_close(self):
        risks_sudo = self.sudo()  # the status is written by the workflow only
        risks_sudo.write({"state": "closed", "date_closed": fields.Date.context_today(self)})

    def action_reopen(self):
        self._check_it()
        self.check_access("write")
        if any(risk.state != "closed" for risk in self):
            raise UserError(_("Only a closed risk is reopened."))
        self._do_reopen()
        return True

    def _do_reopen(self):
        for risk in self.sudo():  # the status is written by the workflow only
            risk.write(
                {
                    "state": "responding" if risk.response_ids else "identified",
                    "date_closed": False,
                }
            )

    def action_view_responses(self):
        self.ensure_one()
        return self._get_lianghua_records_action(
            "lianghua_risk.lianghua_risk_response_action",
            "risk_id",
            create=self.state != "closed",
        )

    def action_view_warnings(self):
        self.ensure_one()
        return self._get_lianghua_records_action(
            "lianghua_risk.lianghua_risk_warning_action", "risk_id", create=False
        )

    def action_view_project(self):
        self.ensure_one()
        return self.project_id._get_lianghua_form_action()

    # Business

    def _lianghua_rescore_for(self, indicator, level):
        """An early warning of ``indicator`` at ``level`` makes the risk at
        least as probable as the indicator says (never less: lowering it is
        the review's decision)."""
        probability = indicator._lianghua_probability_at(level)
        for risk in self.filtered(lambda r: r.state != "closed"):
            if probability.score > risk.probability_id.score:
                risk.sudo().probability_id = probability  # the warning re-scores it
                risk.message_post(
                    body=_(
                        "Re-scored by the early warning of %(indicator)s: %(probability)s.",
                        indicator=indicator.name,
                        probability=probability.name,
                    )
                )

    @api.model
    def _lianghua_open_counts(self, fname, subjects):
        """{subject: (open risks, high ones)} of ``subjects`` (the records
        ``fname`` names), as the user's rules let them count: one
        ``_read_group`` for the smart buttons of projects, systems and
        contracts."""
        counts = {}
        if not self.has_access("read"):
            return counts
        for subject, is_high, count in self._read_group(
            [(fname, "in", subjects.ids), ("state", "!=", "closed")],
            [fname, "is_high"],
            ["__count"],
        ):
            total, high = counts.get(subject, (0, 0))
            counts[subject] = (total + count, high + (count if is_high else 0))
        return counts

    def _lianghua_start_responding(self):
        """A risk with a response is being responded to."""
        self.filtered(lambda risk: risk.state == "identified").sudo().state = "responding"

    @api.model
    def get_heat_map(self, project_id=False):
        """The heat map of the risks the user sees that are not closed (of one
        project, or all): the matrix's cells, each with its level, colour and
        count, the scales in order, and the legend. Read-only: the counts come
        from one ``_read_group`` under the user's rules."""
        domain = [("state", "!=", "closed")]
        project = self.env["project.project"]
        if project_id:
            if not isinstance(project_id, int) or isinstance(project_id, bool):
                raise UserError(_("The heat map is drawn for one project."))
            project = project.browse(project_id)
            project.check_access("read")
            domain.append(("project_id", "=", project.id))
        counts = {
            (probability.id, impact.id): count
            for probability, impact, count in self._read_group(
                domain, ["probability_id", "impact_id"], ["__count"]
            )
        }
        Scale = self.env["lianghua.risk.scale"]
        probabilities = Scale.search([("axis", "=", "probability")], order="score desc")
        impacts = Scale.search([("axis", "=", "impact")], order="score")
        by_pair = self.env["lianghua.risk.matrix.cell"]._lianghua_matrix()
        levels = self.env["lianghua.risk.level"].search([("active", "=", True)])
        return {
            "project": {"id": project.id, "name": project.display_name} if project else False,
            "probabilities": [
                {"id": p.id, "name": p.name, "score": p.score} for p in probabilities
            ],
            "impacts": [{"id": i.id, "name": i.name, "score": i.score} for i in impacts],
            "rows": [
                [
                    {
                        "probability_id": p.id,
                        "impact_id": i.id,
                        "count": counts.get((p.id, i.id), 0),
                        "level": by_pair[p.id, i.id].level_id.name
                        if (p.id, i.id) in by_pair
                        else False,
                        "color": by_pair[p.id, i.id].level_id.color
                        if (p.id, i.id) in by_pair
                        else "#ffffff",
                    }
                    for i in impacts
                ]
                for p in probabilities
            ],
            "levels": [
                {
                    "id": level.id,
                    "name": level.name,
                    "color": level.color,
                    "count": sum(
                        count
                        for pair, count in counts.items()
                        if pair in by_pair and by_pair[pair].level_id == level
                    ),
                }
                for level in levels
            ],
            "total": sum(counts.values()),
            "high_risks": [
                {
                    "id": risk.id,
                    "name": risk.name,
                    "title": risk.title,
                    "subject": risk._lianghua_subject().display_name,
                    "level": risk.level_id.name,
                    "color": risk.level_id.color,
                }
                for risk in self.search([*domain, ("is_high", "=", True)], limit=HEAT_MAP_LIST)
            ],
            "warnings": self.env["lianghua.risk.warning"]._heat_map_list(project, HEAT_MAP_LIST),
        }

    @api.model
    def action_heat_map_cell(self, probability_id, impact_id, project_id=False):
        """The list of the open risks of one cell of the heat map."""
        ids = (probability_id, impact_id, project_id or 0)
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise UserError(_("A cell of the heat map is a probability and an impact."))
        domain = [
            ("state", "!=", "closed"),
            ("probability_id", "=", probability_id),
            ("impact_id", "=", impact_id),
        ]
        if project_id:
            domain.append(("project_id", "=", project_id))
        action = self.env["ir.actions.actions"]._for_xml_id("lianghua_risk.lianghua_risk_action")
        action.update(domain=domain, context={"create": False})
        return action
