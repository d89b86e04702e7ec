from odoo import api, fields, models


class LianghuaPlanLineMixin(models.AbstractModel):
    """Lines of a solution plan: written by IT while the plan is a draft."""

    _name = "lianghua.plan.line.mixin"
    _description = "Solution Plan Line"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "plan_id"

    plan_id = fields.Many2one(
        "lianghua.plan", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)

    @api.model_create_multi
    def create(self, vals_list):
        plans = self._lianghua_vals_records(vals_list, "plan_id")
        plans._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.plan_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_plan_submitted(self):
        self.plan_id._check_editable()
