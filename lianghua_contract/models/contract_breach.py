from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class LianghuaContractBreach(models.Model):
    """A breach of a contract by its provider (policy 7.2.2), recorded against
    the clause it breaks, with its evidence. The liability is computed as the
    clause says; the provider answers; the agreed penalty is deducted on the
    provider's next bill, or credited by a credit note when nothing is left to
    bill: never a silent edit of an amount."""

    _name = "lianghua.contract.breach"
    _description = "Contract Breach"
    _inherit = [
        "lianghua.contract.chatter.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.document.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.contract.breach"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    agreement_id = fields.Many2one(
        "agreement",
        string="Contract",
        required=True,
        index=True,
        check_company=True,
        domain=[("lianghua_state", "in", ("signed", "expired"))],
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, string="Vendor", index=True
    )
    clause_id = fields.Many2one(
        "agreement.clause",
        string="Clause Breached",
        required=True,
        domain="[('agreement_id', '=', agreement_id)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    description = fields.Text(string="What Happened", required=True)
    days_late = fields.Integer(tracking=True, help="For a liability per day late.")
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence")
    amount_liability = fields.Monetary(
        string="Liability per the Clause", compute="_compute_amount_liability", store=True
    )
    amount_agreed = fields.Monetary(string="Agreed Penalty", tracking=True)
    vendor_response = fields.Text(tracking=True)
    outcome = fields.Text(tracking=True)
    state = fields.Selection(
        [
            ("draft", "Recorded"),
            ("notified", "Notified to the Vendor"),
            ("agreed", "Penalty Agreed"),
            ("deducted", "Penalty Deducted"),
            ("waived", "Waived"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    move_id = fields.Many2one(
        "account.move",
        string="Deducted On",
        readonly=True,
        copy=False,
        check_company=True,
        ondelete="restrict",
        groups="base.group_user",
        help="The vendor bill that deducts the penalty, or the credit note that credits it.",
    )

    @api.depends(
        "clause_id.lianghua_liability_type",
        "clause_id.lianghua_liability_amount",
        "clause_id.lianghua_liability_percent",
        "clause_id.lianghua_liability_cap",
        "agreement_id.lianghua_amount",
        "days_late",
    )
    def _compute_amount_liability(self):
        for breach in self:
            breach.amount_liability = (
                breach.clause_id._lianghua_liability(breach.days_late) if breach.clause_id else 0.0
            )

    @api.constrains("clause_id", "agreement_id")
    def _check_clause(self):
        for breach in self:
            if breach.clause_id.agreement_id != breach.agreement_id:
                raise ValidationError(_("The clause breached must be a clause of the contract."))

    @api.constrains("days_late", "amount_agreed")
    def _check_amounts(self):
        if any(breach.days_late < 0 or breach.amount_agreed < 0 for breach in self):
            raise ValidationError(_("Days late and penalties cannot be negative."))

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        contracts = self._lianghua_vals_records(vals_list, "agreement_id")
        if not self.env.su:
            self._check_it()
            self._lianghua_check_workflow_fields(
                vals_list, _("The status of a breach is set by its workflow.")
            )
            contracts.check_access("read")
            if contracts.filtered(lambda c: c.lianghua_state not in ("signed", "expired")):
                raise UserError(_("Breaches are recorded on contracts in force or expired."))
        self._lianghua_assign_numbers(vals_list, contracts.company_id)
        breaches = super().create(vals_list)
        breaches._link_evidence()
        return breaches

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            self._check_it()
            self._lianghua_check_workflow_fields(
                [vals], _("The status of a breach is set by its workflow.")
            )
            if "agreement_id" in vals:
                raise UserError(_("A breach stays on its contract."))
            settled = self.filtered(lambda b: b.state in ("deducted", "waived"))
            if settled:
                raise UserError(
                    _("Breach %(name)s is settled: it is kept as it is.", name=settled[0].name)
                )
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._link_evidence()
        return res

    def _link_evidence(self):
        """Uploaded evidence belongs to no record yet, and only its uploader
        may read it: it becomes the breach's, readable by whoever reads the
        breach (IT, the department served, the vendor once notified)."""
        for breach in self:
            self._lianghua_adopt_attachments(breach.attachment_ids, breach)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_notified(self):
        if not self.env.su and self.filtered(lambda b: b.state != "draft"):
            raise UserError(_("A breach notified to the vendor is kept."))

    # Actions

    def action_notify(self):
        """Send the breach to the vendor's contacts, who answer it."""
        self._check_it()
        self.check_access("write")
        self._check_state("draft", _("notified"))
        breaches_sudo = self.sudo()  # the status is written by the workflow only
        breaches_sudo.write({"state": "notified"})
        for breach_sudo in breaches_sudo:
            if not breach_sudo.amount_agreed:
                breach_sudo.amount_agreed = breach_sudo.amount_liability
            breach_sudo.message_subscribe(breach_sudo.partner_id.ids)
            breach_sudo.message_post(
                body=_(
                    "Breach of clause %(clause)s notified to %(vendor)s: %(description)s "
                    "Liability per the clause: %(amount)s.",
                    clause=breach_sudo.clause_id.name,
                    vendor=breach_sudo.partner_id.name,
                    description=breach_sudo.description,
                    amount=breach_sudo.amount_liability,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=breach_sudo.attachment_ids.ids,
            )
        return True

    def action_agree_penalty(self):
        """The penalty is agreed: deducted on the next bill of the contract,
        or credited at once when no payment is left to bill."""
        self._check_can_decide()
        self._check_state("notified", _("settled"))
        for breach in self:
            if breach.amount_agreed <= 0:
                raise ValidationError(
                    _("Breach %(name)s needs the agreed penalty.", name=breach.name)
                )
        breaches_sudo = self.sudo()  # the workflow writes the status and the credit notes
        breaches_sudo.write({"state": "agreed"})
        breaches_sudo._lianghua_credit_when_nothing_to_bill()
        return True

    def action_waive(self):
        self._check_can_decide()
        self._check_state("notified", _("waived"))
        for breach in self:
            if not breach.outcome:
                raise ValidationError(
                    _("Say why breach %(name)s is waived in its outcome.", name=breach.name)
                )
        self.sudo().write({"state": "waived", "amount_agreed": 0.0})
        return True

    def action_view_move(self):
        self.ensure_one()
        self.check_access("read")
        return self.env["lianghua.contract.milestone"]._lianghua_bills_action(self.move_id)

    # Checks

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {"state", "move_id", "name"}

    def _check_can_decide(self):
        if not self._lianghua_is_it_manager():
            raise AccessError(_("Only IT managers settle a breach with the vendor."))
        self.check_access("write")

    def _check_state(self, state, action):
        for breach in self:
            if breach.state != state:
                raise UserError(
                    _(
                        "Breach %(name)s cannot be %(action)s in its status.",
                        name=breach.name,
                        action=action,
                    )
                )

    # Workflow

    def _lianghua_penalty_line(self, sign):
        """The penalty as a line of a vendor bill (deducted: ``sign`` -1) or
        of a credit note (1)."""
        self.ensure_one()
        return self.agreement_id._lianghua_move_line(
            _("Penalty: %(breach)s", breach=self.display_name), sign * self.amount_agreed
        )

    def _lianghua_credit_when_nothing_to_bill(self):
        """Agreed penalties of contracts with no payment left to bill become a
        credit note of the vendor."""
        for breach in self.filtered(lambda b: b.state == "agreed"):
            contract = breach.agreement_id
            open_payments = contract.lianghua_milestone_ids.filtered(
                lambda m: m.state in ("draft", "waiting", "due")
            )
            if open_payments:
                continue  # deducted on the next bill
            refund = contract._lianghua_create_vendor_move(
                "in_refund",
                _("Penalty %(breach)s", breach=breach.name),
                [breach._lianghua_penalty_line(1)],
            )
            breach.write({"state": "deducted", "move_id": refund.id})
            contract.message_post(
                body=_(
                    "Penalty of breach %(breach)s credited: %(move)s (draft, for finance to post).",
                    breach=breach.name,
                    move=refund._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )
