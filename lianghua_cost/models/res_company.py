from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    lianghua_budget_leader_amount = fields.Monetary(
        string="Leaders Approve Budgets From",
        currency_field="currency_id",
        default=1000000,
        help="Project budgets and overruns of this amount or more (in the company's "
        "currency) are approved by a company leader after finance.",
    )
    lianghua_cost_alert_percent = fields.Float(
        string="Cost Alert At (%)",
        default=90.0,
        help="A project whose committed and actual costs reach this share of its budget "
        "is flagged, and its manager is asked to explain the cause and the measure.",
    )

    @api.constrains("lianghua_budget_leader_amount", "lianghua_cost_alert_percent")
    def _check_lianghua_cost_settings(self):
        for company in self:
            if company.lianghua_budget_leader_amount < 0:
                raise ValidationError(_("The leaders' approval amount cannot be negative."))
            if company.lianghua_cost_alert_percent <= 0:
                raise ValidationError(_("The cost alert needs a share above zero."))
