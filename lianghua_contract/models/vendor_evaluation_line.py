from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class LianghuaVendorEvaluationLine(models.Model):
    """A line of a vendor evaluation: an indicator, its value measured by the
    engine and the score derived from it (``lianghua.indicator.
    _vendor_score``), or a criterion scored by a reviewer; each scores 0 to
    100 with a weight."""

    _name = "lianghua.vendor.evaluation.line"
    _description = "Vendor Evaluation Line"
    _inherit = ["lianghua.line.mixin"]
    _order = "evaluation_id, kind, sequence, id"
    _check_company_auto = True
    _document_field = "evaluation_id"

    evaluation_id = fields.Many2one(
        "lianghua.vendor.evaluation",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    state = fields.Selection(related="evaluation_id.state", string="Status")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("indicator", "Indicator"), ("review", "Reviewer's Score")],
        required=True,
        default="review",
    )
    name = fields.Char(string="Criterion", required=True)
    indicator_id = fields.Many2one(
        "lianghua.indicator", readonly=True, ondelete="set null", check_company=True
    )
    value_id = fields.Many2one(
        "lianghua.indicator.value",
        string="Measured Value",
        readonly=True,
        ondelete="set null",
        check_company=True,
    )
    value = fields.Float(readonly=True, digits=(16, 2))
    sample_size = fields.Integer(readonly=True)
    unit = fields.Char(related="indicator_id.unit")
    sample_label = fields.Char(related="indicator_id.sample_label")
    score = fields.Float(digits=(5, 2), help="From 0 to 100.")
    weight = fields.Float(default=1.0, digits=(5, 2))
    comment = fields.Text()
    reviewer_id = fields.Many2one(
        "res.users",
        readonly=True,
        check_company=True,
        help="Who gave the score (a criterion is scored once a reviewer writes its score).",
    )
    counted = fields.Boolean(
        string="In the Total",
        compute="_compute_counted",
        store=True,
        help="An indicator with data, or a criterion a reviewer scored.",
    )

    @api.depends("kind", "sample_size", "reviewer_id")
    def _compute_counted(self):
        for line in self:
            line.counted = bool(line.sample_size if line.kind == "indicator" else line.reviewer_id)

    @api.constrains("score", "weight")
    def _check_score_weight(self):
        for line in self:
            if not 0 <= line.score <= 100:
                raise ValidationError(
                    _("The score of %(criterion)s is from 0 to 100.", criterion=line.name)
                )
            if line.weight <= 0:
                raise ValidationError(
                    _("The weight of %(criterion)s must be above 0.", criterion=line.name)
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        evaluations = self._lianghua_vals_records(vals_list, "evaluation_id")
        if not self.env.su:
            evaluations._check_it()
            evaluations.check_access("write")
            evaluations._check_draft()
            self._lianghua_check_workflow_fields(
                vals_list,
                _("Indicator lines are filled by the Compute button."),
                allowed={"kind"},
            )
            if any(vals.get("kind", "review") != "review" for vals in vals_list):
                raise UserError(_("Indicator lines are filled by the Compute button."))
            for vals in vals_list:
                # Scored at creation only with a score: the form sends 0 for an empty one.
                if vals.get("score"):
                    vals["reviewer_id"] = self.env.user.id
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            self.evaluation_id._check_it()
            self.evaluation_id.check_access("write")
            self.evaluation_id._check_draft()
            self._lianghua_check_workflow_fields(
                [vals], _("Indicator lines are filled by the Compute button.")
            )
            if {"name", "score"} & set(vals) and self.filtered(
                lambda line: line.kind == "indicator"
            ):
                raise UserError(
                    _("The score of an indicator comes from its value: change its weight.")
                )
            if "score" in vals:
                vals = {**vals, "reviewer_id": self.env.user.id}
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_or_indicator(self):
        if self.env.su:
            return
        self.evaluation_id._check_it()
        self.evaluation_id._check_draft()
        if self.filtered(lambda line: line.kind == "indicator"):
            raise UserError(_("An indicator stays in the evaluation: lower its weight instead."))

    # Hooks

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {
            "kind",
            "indicator_id",
            "value_id",
            "value",
            "sample_size",
            "reviewer_id",
            "counted",
        }
