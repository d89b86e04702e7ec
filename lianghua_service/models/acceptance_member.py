from odoo import api, fields, models


class LianghuaAcceptanceMember(models.Model):
    _name = "lianghua.acceptance.member"
    _description = "Acceptance Group Member"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "acceptance_id"
    _order = "acceptance_id, is_leader desc, id"

    acceptance_id = fields.Many2one(
        "lianghua.acceptance", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="acceptance_id.company_id", store=True)
    user_id = fields.Many2one("res.users", string="Member", required=True, check_company=True)
    is_leader = fields.Boolean(string="Group Leader")

    _sql_constraints = [
        ("user_uniq", "unique (acceptance_id, user_id)", "A member sits once in the group."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        acceptances = self._lianghua_vals_records(vals_list, "acceptance_id")
        acceptances._check_members_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.acceptance_id._check_members_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_assessing(self):
        self.acceptance_id._check_members_editable()
