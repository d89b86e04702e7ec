from odoo import api, models


class LianghuaContractTextMixin(models.AbstractModel):
    """The text of a service contract (its sections and clauses) is written
    by IT while the contract is a draft, and afterwards through an amendment:
    every change asks the contract (``agreement._lianghua_check_text_editable``),
    the one it is on and the one it would move to."""

    _name = "lianghua.contract.text.mixin"
    _description = "Contract Text"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["agreement"].browse(
            [vals["agreement_id"] for vals in vals_list if vals.get("agreement_id")]
        )._lianghua_check_text_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.agreement_id._lianghua_check_text_editable()
        if vals.get("agreement_id"):
            self.env["agreement"].browse(vals["agreement_id"])._lianghua_check_text_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed_contract(self):
        self.agreement_id._lianghua_check_text_editable()
