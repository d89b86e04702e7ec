from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    lianghua_contract_leader_amount = fields.Monetary(
        string="Leaders Approve Contracts From",
        currency_field="currency_id",
        default=500000,
        help="Service contracts of this amount or more (in the company's currency) are "
        "approved by a company leader after the legal review.",
    )
