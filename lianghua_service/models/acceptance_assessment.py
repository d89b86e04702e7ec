from odoo import _, api, fields, models
from odoo.exceptions import UserError

RESULTS = [("pending", "To Assess"), ("pass", "Pass"), ("fail", "Fail")]


class LianghuaAcceptanceAssessment(models.Model):
    _name = "lianghua.acceptance.assessment"
    _description = "Acceptance Assessment"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "acceptance_id"
    _order = "acceptance_id, user_id, criterion_sequence, id"

    acceptance_id = fields.Many2one(
        "lianghua.acceptance",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    project_id = fields.Many2one(related="acceptance_id.project_id")
    acceptance_state = fields.Selection(related="acceptance_id.state", string="Acceptance Status")
    company_id = fields.Many2one(related="acceptance_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users", string="Member", required=True, readonly=True, check_company=True
    )
    criterion_id = fields.Many2one(
        "lianghua.acceptance.criterion", required=True, readonly=True, check_company=True
    )
    criterion_description = fields.Text(related="criterion_id.description")
    criterion_sequence = fields.Integer(related="criterion_id.sequence", store=True)
    result = fields.Selection(RESULTS, required=True, default="pending")
    comment = fields.Text()

    _sql_constraints = [
        (
            "criterion_uniq",
            "unique (acceptance_id, user_id, criterion_id)",
            "A member assesses a criterion once.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(_("An assessment sheet is set up by the acceptance."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if set(vals) - {"result", "comment"}:
                raise UserError(_("An assessment sheet is set up by the acceptance."))
            for assessment in self:
                if assessment.user_id != self.env.user:
                    raise UserError(_("Each member of the group assesses for themselves."))
                if assessment.acceptance_id.state != "assessing":
                    raise UserError(
                        _(
                            "%(name)s is not under assessment.",
                            name=assessment.acceptance_id.name,
                        )
                    )
        return super().write(vals)
