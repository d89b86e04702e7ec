from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

LEGAL_GROUP = "lianghua_contract.group_lianghua_legal"


class LianghuaContractReviewNote(models.Model):
    """Legal's comment on one section or clause of a contract under review;
    IT answers it and marks it resolved in the draft that follows. Open
    comments go back with a rejected contract."""

    _name = "lianghua.contract.review.note"
    _description = "Contract Review Comment"
    _inherit = ["lianghua.document.mixin"]
    _order = "agreement_id, state, id"
    _check_company_auto = True

    agreement_id = fields.Many2one(
        "agreement",
        string="Contract",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True, index=True)
    section_id = fields.Many2one(
        "agreement.section", domain="[('agreement_id', '=', agreement_id)]"
    )
    clause_id = fields.Many2one("agreement.clause", domain="[('agreement_id', '=', agreement_id)]")
    note = fields.Text(string="Comment", required=True)
    author_id = fields.Many2one(
        "res.users",
        string="By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        check_company=True,
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")], default="open", required=True
    )
    resolution = fields.Text(help="How IT answered the comment.")

    def _get_workflow_fields(self):
        # Signed by whoever writes it (see create).
        return super()._get_workflow_fields() | {"author_id"}

    def _compute_display_name(self):
        for note in self:
            note.display_name = (
                note.clause_id.name or note.section_id.name or note.agreement_id.display_name
            )

    @api.constrains("section_id", "clause_id", "agreement_id")
    def _check_part_of_contract(self):
        for note in self:
            parts = note.section_id.agreement_id | note.clause_id.agreement_id
            if parts - note.agreement_id:
                raise UserError(_("A comment is about a section or clause of its contract."))

    @api.model_create_multi
    def create(self, vals_list):
        contracts = self._lianghua_vals_records(vals_list, "agreement_id")
        if not self.env.su:
            contracts.check_access("read")
            if any(vals.get("author_id", self.env.uid) != self.env.uid for vals in vals_list):
                raise UserError(_("A comment is signed by whoever writes it."))
            for contract in contracts:
                self._check_can_comment(contract)
        return super().create(vals_list)

    @api.model
    def _check_can_comment(self, contract):
        contract.check_access("read")
        legal = self.env.user.has_group(LEGAL_GROUP)
        if not contract.lianghua_kind or not (
            (legal and contract.lianghua_state == "review")
            or (self._lianghua_is_it() and contract.lianghua_state in ("draft", "review"))
        ):
            raise AccessError(_("Legal comments on contracts under review; IT on its drafts."))

    def write(self, vals):
        if not self.env.su:
            if {"agreement_id", "author_id"} & set(vals):
                raise UserError(_("A comment stays on its contract, signed by its author."))
            for note in self:
                own = note.author_id == self.env.user and note.state == "open"
                answering = self._lianghua_is_it() and set(vals) <= {"state", "resolution"}
                if not (own or answering) or note.agreement_id.lianghua_state not in (
                    "draft",
                    "review",
                ):
                    raise AccessError(
                        _("Only its author changes a comment, and IT resolves it, before signing.")
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_others(self):
        if not self.env.su and any(
            note.author_id != self.env.user or note.agreement_id.lianghua_state != "review"
            for note in self
        ):
            raise AccessError(_("A comment is removed by its author during the review only."))
