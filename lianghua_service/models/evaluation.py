from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

IT_GROUP = "lianghua_service.group_lianghua_it_user"
CONCLUSIONS = [
    ("accepted", "Accept"),
    ("rejected", "Reject"),
    ("more_info", "More Information Needed"),
]


class LianghuaEvaluation(models.Model):
    _name = "lianghua.evaluation"
    _description = "Request Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(related="request_id.name", store=True)
    request_id = fields.Many2one(
        "lianghua.request",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', '=', 'to_evaluate')]",
    )
    plan_count = fields.Integer(related="request_id.plan_count", string="Plan Count")
    project_id = fields.Many2one(related="request_id.project_id")
    title = fields.Char(related="request_id.title")
    requester_id = fields.Many2one(related="request_id.requester_id")
    department_id = fields.Many2one(related="request_id.department_id", store=True)
    category_id = fields.Many2one(related="request_id.category_id", store=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    evaluator_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("groups_id", "in", self.env.ref(IT_GROUP).ids)],
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("lianghua.evaluation.line", "evaluation_id", string="Dimensions")
    score = fields.Float(
        string="Overall Score",
        compute="_compute_score",
        store=True,
        aggregator="avg",
        digits=(3, 2),
        help="Weighted average of the scored dimensions, out of 5.",
    )
    estimated_cost = fields.Monetary(tracking=True)
    estimated_effort = fields.Float(string="Estimated Effort (person-days)", tracking=True)
    conclusion = fields.Selection(CONCLUSIONS, tracking=True)
    conclusion_note = fields.Text(
        help="Why the request is rejected, what information is missing, or the summary of an "
        "acceptance. The requester receives it.",
    )
    state = fields.Selection(
        [("draft", "In Progress"), ("done", "Concluded")],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        default="draft",
        tracking=True,
    )
    date_concluded = fields.Datetime(string="Concluded On", readonly=True, copy=False)

    @api.depends("line_ids.score", "line_ids.weight")
    def _compute_score(self):
        for evaluation in self:
            scored = evaluation.line_ids.filtered(lambda line: line.score != "0")
            weight = sum(scored.mapped("weight"))
            evaluation.score = (
                sum(int(line.score) * line.weight for line in scored) / weight if weight else 0.0
            )

    @api.constrains("estimated_cost", "estimated_effort")
    def _check_estimates(self):
        for evaluation in self:
            if evaluation.estimated_cost < 0 or evaluation.estimated_effort < 0:
                raise ValidationError(_("Estimated cost and effort cannot be negative."))

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        requests = self._lianghua_vals_records(vals_list, "request_id")
        requests._check_can_start_evaluation()
        dimensions = self.env["lianghua.evaluation.dimension"].search(
            [("company_id", "in", [False, *requests.company_id.ids])]
        )
        for vals, request in zip(vals_list, requests, strict=True):
            if not vals.get("line_ids"):
                vals["line_ids"] = [
                    Command.create({"dimension_id": dimension.id})
                    for dimension in dimensions
                    if dimension.company_id in (request.company_id, self.env["res.company"])
                ]
        evaluations = super().create(vals_list)
        requests._do_start_evaluation()
        return evaluations

    def write(self, vals):
        if not self.env.su:
            if {"state", "date_concluded"}.intersection(vals):
                raise UserError(_("An evaluation is concluded only with its Conclude button."))
            if "request_id" in vals:
                raise UserError(_("An evaluation stays with the request it was started for."))
            if any(evaluation.state == "done" for evaluation in self):
                raise UserError(_("A concluded evaluation can no longer be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if not self.env.su:
            raise UserError(
                _("An evaluation is part of the request's history; conclude it instead.")
            )

    # Actions

    def action_conclude(self):
        self._check_can_conclude()
        self._do_conclude()
        return True

    def action_view_plans(self):
        self.ensure_one()
        return self.request_id.action_view_plans()

    def action_view_project(self):
        self.ensure_one()
        return self.request_id.action_view_project()

    def action_view_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lianghua.request",
            "res_id": self.request_id.id,
            "views": [(False, "form")],
        }

    # Business

    def _check_can_conclude(self):
        is_it = self._lianghua_is_it()
        for evaluation in self:
            if not is_it:
                raise UserError(_("Only IT staff conclude evaluations."))
            if evaluation.state != "draft" or evaluation.request_id.state != "evaluating":
                raise UserError(
                    _("Evaluation %(name)s is already concluded.", name=evaluation.name)
                )
            if not evaluation.conclusion:
                raise ValidationError(
                    _("Choose the conclusion of evaluation %(name)s.", name=evaluation.name)
                )
            if evaluation.conclusion != "accepted" and not evaluation.conclusion_note:
                raise ValidationError(
                    _(
                        "Tell the requester why, or what is missing, in the conclusion note of "
                        "%(name)s.",
                        name=evaluation.name,
                    )
                )
            unscored = evaluation.line_ids.filtered(lambda line: line.score == "0")
            if evaluation.conclusion == "accepted" and unscored:
                raise ValidationError(
                    _(
                        "Score every dimension before accepting %(name)s "
                        "(missing: %(dimensions)s).",
                        name=evaluation.name,
                        dimensions=", ".join(unscored.dimension_id.mapped("name")),
                    )
                )

    def _do_conclude(self):
        evaluations_sudo = self.sudo()  # the status is written by the workflow only
        evaluations_sudo.write({"state": "done", "date_concluded": fields.Datetime.now()})
        for evaluation in self:
            request = evaluation.request_id
            if evaluation.conclusion == "accepted":
                request._do_accept()
            elif evaluation.conclusion == "rejected":
                request._do_reject(evaluation.conclusion_note)
            else:
                request._do_request_information(evaluation.conclusion_note)
