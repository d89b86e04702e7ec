from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import is_html_empty

IT_GROUP = "lianghua_service.group_lianghua_it_user"
REQUESTER_GROUP = "lianghua_service.group_lianghua_requester"

CONTRACT_TYPES = [
    ("development", "Development"),
    ("implementation", "Implementation"),
    ("om", "Operation and Maintenance"),
    ("licence", "Software Licence"),
    ("equipment", "Equipment"),
    ("consulting", "Consulting"),
]
CONTRACT_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("approved", "To Sign"),
    ("signed", "In Force"),
    ("expired", "Expired"),
    ("closed", "Closed"),
    ("superseded", "Superseded"),
    ("cancel", "Cancelled"),
]


class Agreement(models.Model):
    """A service contract (policy, section 7) is an OCA agreement of the
    outsourcing or partner kind: its sections and clauses come from the
    policy's mandatory sections; legal, then leaders above an amount, review
    it through ``lianghua.tier.mixin``; once signed it is read-only but for
    what its execution needs, and it is paid through its payment milestones,
    supervised, evaluated, and renewed as a new version."""

    _name = "agreement"
    _inherit = [
        "agreement",
        "portal.mixin",
        "lianghua.tier.mixin",
        "lianghua.document.mixin",
        "lianghua.contract.chatter.mixin",
    ]
    _check_company_auto = True

    # Legal, then leaders (above the company's amount), review a contract.
    _state_field = "lianghua_state"
    _state_from = ["review"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    # How many days before the notice date the contract owner is reminded.
    _lianghua_reminder_lead_days = 14
    # What the vendor's contacts see in the portal (as its record rules say).
    _lianghua_portal_states = ("signed", "expired", "closed")

    # Company-checked links (OCA's agreement declares them without the check).
    partner_id = fields.Many2one(check_company=True)
    commercial_partner_id = fields.Many2one(check_company=True)
    partner_contact_id = fields.Many2one(check_company=True)
    company_contact_id = fields.Many2one(check_company=True)
    notification_address_id = fields.Many2one(check_company=True)
    partner_signed_user_id = fields.Many2one(check_company=True)
    assigned_user_id = fields.Many2one(check_company=True, string="Contract Owner")
    company_signed_user_id = fields.Many2one(check_company=True)
    reviewed_user_id = fields.Many2one(check_company=True)
    approved_user_id = fields.Many2one(check_company=True)
    parent_agreement_id = fields.Many2one(check_company=True)
    template_id = fields.Many2one(check_company=True)

    lianghua_kind = fields.Selection(
        [("outsourcing", "Outsourcing"), ("partner", "Partner Cooperation")],
        string="Service Contract",
        index=True,
        tracking=True,
        help="A service contract of the Lianghua policy: outsourced work or a partner's "
        "cooperation. Other agreements keep OCA's behaviour.",
    )
    lianghua_contract_type = fields.Selection(CONTRACT_TYPES, string="Contract Type", tracking=True)
    lianghua_state = fields.Selection(
        CONTRACT_STATES,
        string="Contract Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    lianghua_request_id = fields.Many2one(
        "lianghua.request",
        string="Request",
        tracking=True,
        check_company=True,
        index="btree_not_null",
    )
    lianghua_project_id = fields.Many2one(
        "project.project",
        string="Project",
        tracking=True,
        check_company=True,
        index="btree_not_null",
        help="The project the contract serves: its milestones and acceptances can "
        "condition the payments.",
    )
    lianghua_system_ids = fields.Many2many(
        "lianghua.system",
        "agreement_lianghua_system_rel",
        "agreement_id",
        "system_id",
        string="Information Systems",
        check_company=True,
    )
    lianghua_department_id = fields.Many2one(
        "hr.department",
        string="Business Department",
        compute="_compute_lianghua_department_id",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
        index="btree_not_null",
    )
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
        required=True,
    )
    lianghua_amount = fields.Monetary(string="Contract Amount", tracking=True)
    lianghua_amount_company = fields.Monetary(
        string="Amount in Company Currency",
        compute="_compute_lianghua_amount_company",
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    lianghua_needs_leader = fields.Boolean(
        string="Needs Leaders' Approval",
        compute="_compute_lianghua_needs_leader",
        help="The amount reaches the company's threshold for the leaders' approval.",
    )
    lianghua_notice_days = fields.Integer(
        string="Notice Period (Days)",
        default=30,
        tracking=True,
        help="Days before the end date by which renewal or termination is notified.",
    )
    lianghua_notice_date = fields.Date(
        string="Notice Date", compute="_compute_lianghua_notice_date", store=True
    )
    lianghua_reminder_date = fields.Date(
        string="Reminder Date",
        compute="_compute_lianghua_notice_date",
        store=True,
        help="The contract owner is reminded from this day, ahead of the notice date.",
    )
    lianghua_notice_sent = fields.Boolean(string="Notice Reminder Sent", copy=False)
    lianghua_renewal = fields.Selection(
        [("none", "No Renewal"), ("tacit", "Tacit Renewal"), ("agreement", "By Agreement")],
        string="Renewal",
        default="agreement",
        tracking=True,
    )
    lianghua_retention_percent = fields.Float(
        string="Retention (%)",
        tracking=True,
        help="Share of each payment withheld as retention money (质保金) until its release.",
    )
    lianghua_retention_release_date = fields.Date(string="Retention Release", tracking=True)
    lianghua_rejection_reason = fields.Text(string="Review Comments", readonly=True, copy=False)
    lianghua_signed_on = fields.Date(string="Signed On", readonly=True, copy=False, tracking=True)
    lianghua_previous_id = fields.Many2one(
        "agreement",
        string="Previous Contract",
        readonly=True,
        copy=False,
        check_company=True,
        help="The contract this one renews.",
    )
    lianghua_milestone_ids = fields.One2many(
        "lianghua.contract.milestone", "agreement_id", string="Payment Milestones"
    )
    lianghua_breach_ids = fields.One2many(
        "lianghua.contract.breach", "agreement_id", string="Breaches"
    )
    lianghua_review_note_ids = fields.One2many(
        "lianghua.contract.review.note", "agreement_id", string="Review Comments per Clause"
    )
    lianghua_amount_scheduled = fields.Monetary(
        string="Scheduled", compute="_compute_lianghua_amounts"
    )
    lianghua_amount_billed = fields.Monetary(string="Billed", compute="_compute_lianghua_amounts")
    lianghua_amount_retained = fields.Monetary(
        string="Retention Held", compute="_compute_lianghua_amounts"
    )
    lianghua_amount_penalties = fields.Monetary(
        string="Penalties", compute="_compute_lianghua_amounts"
    )
    lianghua_check_ids = fields.One2many(
        "lianghua.contract.check", "agreement_id", string="Supervision Checks"
    )
    lianghua_check_interval = fields.Integer(
        string="Check Every (Months)",
        default=3,
        tracking=True,
        help="The business department or IT checks the provider's performance this often; "
        "0 for no periodic check.",
    )
    lianghua_next_check_date = fields.Date(
        string="Next Check",
        compute="_compute_lianghua_next_check_date",
        store=True,
        help="The last check done (or the start of the contract) plus the interval.",
    )
    lianghua_check_reminded_date = fields.Date(
        string="Check Reminded For",
        readonly=True,
        copy=False,
        help="The next check date its owner has been reminded of.",
    )
    lianghua_check_reminder_due = fields.Boolean(
        compute="_compute_lianghua_check_reminder_due",
        store=True,
        help="The owner has not been reminded of the next check date yet.",
    )
    lianghua_check_count = fields.Integer(compute="_compute_lianghua_counts", string="Check Count")
    lianghua_breach_count = fields.Integer(
        compute="_compute_lianghua_counts", string="Breach Count"
    )
    lianghua_renewal_count = fields.Integer(
        compute="_compute_lianghua_counts", string="Renewal Count"
    )
    lianghua_can_edit = fields.Boolean(compute="_compute_lianghua_can_edit")
    lianghua_evaluation_ids = fields.One2many(
        "lianghua.vendor.evaluation", "agreement_id", string="Vendor Evaluations"
    )
    lianghua_evaluation_count = fields.Integer(
        compute="_compute_lianghua_counts", string="Evaluation Count"
    )

    @api.depends("lianghua_request_id.department_id")
    def _compute_lianghua_department_id(self):
        for contract in self:
            if contract.lianghua_request_id:
                contract.lianghua_department_id = contract.lianghua_request_id.department_id

    @api.depends("lianghua_amount", "currency_id", "company_id", "start_date")
    def _compute_lianghua_amount_company(self):
        for contract in self:
            company = contract.company_id or self.env.company
            contract.lianghua_amount_company = contract.currency_id._convert(
                contract.lianghua_amount,
                company.currency_id,
                company,
                contract.start_date or fields.Date.context_today(contract),
            )

    @api.depends("lianghua_amount_company", "company_id.lianghua_contract_leader_amount")
    def _compute_lianghua_needs_leader(self):
        for contract in self:
            company = contract.company_id or self.env.company
            contract.lianghua_needs_leader = bool(contract.lianghua_kind) and (
                contract.lianghua_amount_company >= company.lianghua_contract_leader_amount
            )

    @api.depends("end_date", "lianghua_notice_days")
    def _compute_lianghua_notice_date(self):
        lead = relativedelta(days=self._lianghua_reminder_lead_days)
        for contract in self:
            notice = contract.end_date and (
                contract.end_date - relativedelta(days=contract.lianghua_notice_days or 0)
            )
            contract.lianghua_notice_date = notice
            contract.lianghua_reminder_date = notice and notice - lead

    @api.depends("lianghua_milestone_ids.state", "lianghua_breach_ids.state")
    def _compute_lianghua_amounts(self):
        for contract in self:
            milestones = contract.lianghua_milestone_ids.filtered(lambda m: m.state != "cancel")
            billed = milestones.filtered(lambda m: m.state == "billed")
            contract.lianghua_amount_scheduled = sum(
                milestones.filtered(lambda m: m.condition != "retention").mapped("amount")
            )
            contract.lianghua_amount_billed = sum(billed.mapped("amount_billed"))
            retained = sum(billed.mapped("amount_retained"))
            released = sum(
                billed.filtered(lambda m: m.condition == "retention").mapped("amount_billed")
            )
            contract.lianghua_amount_retained = retained - released
            contract.lianghua_amount_penalties = sum(
                contract.lianghua_breach_ids.filtered(lambda b: b.state == "deducted").mapped(
                    "amount_agreed"
                )
            )

    @api.depends(
        "lianghua_kind",
        "start_date",
        "lianghua_check_interval",
        "lianghua_check_ids.state",
        "lianghua_check_ids.date",
    )
    def _compute_lianghua_next_check_date(self):
        contracts = self._origin.filtered("lianghua_kind")
        # Every check done counts, whoever triggers the computation.
        checks_sudo = self.env["lianghua.contract.check"].sudo()
        last_done = dict(
            checks_sudo._read_group(
                [("agreement_id", "in", contracts.ids), ("state", "=", "done")],
                ["agreement_id"],
                ["date:max"],
            )
        )
        for contract in self:
            start = last_done.get(contract._origin) or contract.start_date
            interval = contract.lianghua_check_interval
            contract.lianghua_next_check_date = (
                contract.lianghua_kind
                and interval > 0
                and start
                and start + relativedelta(months=interval)
            )

    @api.depends("lianghua_next_check_date", "lianghua_check_reminded_date")
    def _compute_lianghua_check_reminder_due(self):
        for contract in self:
            contract.lianghua_check_reminder_due = bool(contract.lianghua_next_check_date) and (
                contract.lianghua_check_reminded_date != contract.lianghua_next_check_date
            )

    def _compute_lianghua_counts(self):
        counts = {}
        for model, field in (
            ("lianghua.contract.breach", "agreement_id"),
            ("lianghua.contract.check", "agreement_id"),
            ("agreement", "lianghua_previous_id"),
            ("lianghua.vendor.evaluation", "agreement_id"),
        ):
            if not self.env[model].has_access("read"):
                counts[model, field] = {}
                continue
            counts[model, field] = dict(
                self.env[model]._read_group([(field, "in", self.ids)], [field], ["__count"])
            )
        for contract in self:
            contract.lianghua_breach_count = counts["lianghua.contract.breach", "agreement_id"].get(
                contract, 0
            )
            contract.lianghua_renewal_count = counts["agreement", "lianghua_previous_id"].get(
                contract, 0
            )
            contract.lianghua_check_count = counts["lianghua.contract.check", "agreement_id"].get(
                contract, 0
            )
            contract.lianghua_evaluation_count = counts[
                "lianghua.vendor.evaluation", "agreement_id"
            ].get(contract, 0)

    def _lianghua_chatter_records(self):
        # Other agreements keep Odoo's chatter.
        return self.filtered("lianghua_kind")

    def message_post(self, *, author_id=None, **kwargs):
        # OCA's agreement brings mail.thread before our mixin: check here.
        self._lianghua_check_chatter(author_id)
        return super().message_post(author_id=author_id, **kwargs)

    def _compute_invoice_count(self):
        # The smart button counts the contract's bills for whoever reads the
        # contract (IT follows them); opening them takes accounting rights.
        return super(Agreement, self.sudo())._compute_invoice_count()

    @api.depends_context("uid")
    @api.depends("lianghua_state")
    def _compute_lianghua_can_edit(self):
        is_it = self._lianghua_is_it()
        for contract in self:
            contract.lianghua_can_edit = is_it and contract.lianghua_state == "draft"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for contract in self.filtered("lianghua_kind"):
            contract.access_url = f"/my/contracts/{contract.id}"
        return res

    # Constraints

    @api.constrains(
        "lianghua_amount",
        "lianghua_retention_percent",
        "lianghua_notice_days",
        "lianghua_check_interval",
    )
    def _check_lianghua_figures(self):
        for contract in self.filtered("lianghua_kind"):
            if contract.lianghua_amount < 0:
                raise ValidationError(_("A contract amount cannot be negative."))
            if not 0 <= contract.lianghua_retention_percent < 100:
                raise ValidationError(_("Retention is a percentage from 0 to 100."))
            if contract.lianghua_notice_days < 0:
                raise ValidationError(_("The notice period cannot be negative."))
            if contract.lianghua_check_interval < 0:
                raise ValidationError(
                    _("The interval of the supervision checks cannot be negative.")
                )

    @api.constrains("start_date", "end_date", "lianghua_retention_release_date")
    def _check_lianghua_dates(self):
        for contract in self.filtered("lianghua_kind"):
            if (
                contract.start_date
                and contract.end_date
                and contract.end_date < contract.start_date
            ):
                raise ValidationError(
                    _("Contract %(name)s ends before it starts.", name=contract.display_name)
                )
            release = contract.lianghua_retention_release_date
            if release and contract.start_date and release < contract.start_date:
                raise ValidationError(_("Retention cannot be released before the contract starts."))

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        ours = [vals for vals in vals_list if vals.get("lianghua_kind")]
        if ours and not self.env.su:
            self._check_it()
            self._lianghua_check_workflow_fields(
                ours, _("The contract's status and review are set by its workflow.")
            )
        for vals in ours:
            vals.setdefault("assigned_user_id", self.env.user.id)
            if vals.get("code", _("New")) == _("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["code"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "lianghua.contract"
                ) or _("New")
        contracts = super().create(vals_list)
        if self.env.context.get("lianghua_copying"):
            return contracts  # the copy brings the sections of its original
        contracts.filtered(
            lambda c: c.lianghua_kind and not c.is_template and not c.sections_ids
        )._lianghua_add_sections()
        return contracts

    def write(self, vals):
        if not self.env.su:
            ours = self.filtered("lianghua_kind")
            if ours or vals.get("lianghua_kind"):
                ours._check_lianghua_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lianghua_contract(self):
        if self.env.su:
            return
        for contract in self.filtered("lianghua_kind"):
            if contract.lianghua_state != "draft" or contract.lianghua_milestone_ids.move_id:
                raise UserError(
                    _(
                        "Contract %(name)s has been reviewed: cancel it instead.",
                        name=contract.display_name,
                    )
                )
        if self.filtered("lianghua_kind"):
            self._check_it()

    def copy(self, default=None):
        # A copy (OCA's versions included) keeps the business terms, not the
        # execution: a new number, a draft.
        default = dict(default or {})
        if self.filtered("lianghua_kind") and not self.env.su:
            self._check_it()
        return super(Agreement, self.with_context(lianghua_copying=True)).copy(default)

    # Actions

    def action_submit_review(self):
        self._check_can_submit_review()
        self._do_submit_review()
        return True

    def action_sign(self):
        self._check_can_sign()
        self._do_sign()
        return True

    def action_amend(self):
        """An amendment: the signed version is kept (OCA's versions) and the
        contract returns to a draft, through the same review again."""
        self._check_can_amend()
        self._do_amend()
        return True

    def action_renew(self):
        self._check_can_renew()
        renewals = self._do_renew()
        return renewals[:1]._get_lianghua_form_action()

    def action_cancel_contract(self):
        self._check_can_cancel_contract()
        contracts_sudo = self.sudo()  # the status is written by the workflow only
        contracts_sudo.write({"lianghua_state": "cancel"})
        contracts_sudo.review_ids.filtered(lambda r: r.status in ("waiting", "pending")).write(
            {"status": "cancel"}
        )
        contracts_sudo._lianghua_set_stage("agreement_legal.agreement_stage_cancelled")
        return True

    def action_close_contract(self):
        self._check_can_close()
        self.sudo()._do_close("closed")  # the status is written by the workflow only
        return True

    def action_add_review_note(self):
        """Legal (during the review) or IT (on a draft) comments on a section
        or a clause, in a dialog: the contract itself stays read-only to legal."""
        self.ensure_one()
        self.env["lianghua.contract.review.note"]._check_can_comment(self)
        return {
            "type": "ir.actions.act_window",
            "name": _("Comment on the Contract"),
            "res_model": "lianghua.contract.review.note",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_agreement_id": self.id},
        }

    def action_view_lianghua_breaches(self):
        return self._get_lianghua_records_action(
            "lianghua_contract.lianghua_contract_breach_action", "agreement_id"
        )

    def action_view_lianghua_checks(self):
        self.ensure_one()
        self.check_access("read")
        return self._get_lianghua_records_action(
            "lianghua_contract.lianghua_contract_check_action",
            "agreement_id",
            create=self._lianghua_can_supervise(),
        )

    def action_view_lianghua_renewals(self):
        return self._get_lianghua_records_action(
            "lianghua_contract.lianghua_contract_action", "lianghua_previous_id", create=False
        )

    def action_view_lianghua_evaluations(self):
        action = self._get_lianghua_records_action(
            "lianghua_contract.lianghua_vendor_evaluation_action", "agreement_id"
        )
        action["context"]["default_partner_id"] = self.partner_id.commercial_partner_id.id
        return action

    def action_view_lianghua_bills(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_in_invoice_type")
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # OCA's buttons, on service contracts: through the actions above.

    def create_new_version(self):
        if self.filtered("lianghua_kind"):
            raise UserError(_("A service contract is amended with its Amend button."))
        return super().create_new_version()

    def create_new_agreement(self):
        if self.filtered("lianghua_kind"):
            raise UserError(_("A service contract is renewed with its Renew button."))
        return super().create_new_agreement()

    @api.model
    def recompute_from_template(self):
        if not self.env.su:
            self._check_it()
        active = self.browse(self.env.context.get("active_ids", [])).exists()
        active.check_access("write")
        if active.filtered(lambda c: c.lianghua_kind and c.lianghua_state != "draft"):
            raise UserError(_("Only a draft contract is rebuilt from a template."))
        return super().recompute_from_template()

    def action_open_recompute_from_template_wizard(self):
        self._check_it()
        self.check_access("write")
        if self.filtered(lambda c: c.lianghua_kind and c.lianghua_state != "draft"):
            raise UserError(_("Only a draft contract is rebuilt from a template."))
        return super().action_open_recompute_from_template_wizard()

    @api.model
    def action_view_agreement(self, agreement):
        agreement = self.browse(getattr(agreement, "id", agreement)).exists()
        agreement.check_access("read")
        return super().action_view_agreement(agreement)

    def action_view_ticket(self):
        self.check_access("read")
        return super().action_view_ticket()

    # Portal

    def _get_report_base_filename(self):
        """The name of the downloaded contract (the portal's PDF)."""
        self.ensure_one()
        return f"{self.code} {self.name}"

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """The vendor reads the chatter of its contract in the portal and
        writes nothing in it: a token or a signed link opens a service
        contract for reading only, and only once its vendor may see it."""
        thread = super()._get_thread_with_access(thread_id, mode, **kwargs)
        thread_sudo = thread.sudo()  # what the contract is, not what it says
        if (
            thread_sudo.lianghua_kind
            and not self.browse(thread_id).has_access(mode)
            and (mode != "read" or thread_sudo.lianghua_state not in self._lianghua_portal_states)
        ):
            return self.browse()
        return thread

    # Checks

    def _lianghua_it_only_message(self):
        return _("Only IT staff manage service contracts.")

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {
            "lianghua_state",
            "lianghua_rejection_reason",
            "lianghua_signed_on",
            "lianghua_previous_id",
            "lianghua_notice_sent",
            "lianghua_check_reminded_date",
            "lianghua_check_reminder_due",
            "reviewed_user_id",
            "reviewed_date",
            "approved_user_id",
            "approved_date",
            "version",
            "revision",
            "state",
            "stage_id",
            "review_ids",
        }

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "agreement_lianghua_one_renewal": (
                ["lianghua_previous_id"],
                "lianghua_previous_id IS NOT NULL AND lianghua_state != 'cancel' AND active",
                lambda: _("A contract is renewed once: its renewal exists already."),
            ),
        }

    def _get_lianghua_signing_fields(self):
        """What is filled in to sign an approved contract."""
        return {
            "signed_contract",
            "signed_contract_filename",
            "company_signed_date",
            "partner_signed_date",
            "company_signed_user_id",
            "partner_signed_user_id",
        }

    def _get_lianghua_execution_fields(self):
        """What a contract in force may still change: who follows it, notices."""
        return {
            "assigned_user_id",
            "notification_address_id",
            "termination_requested",
            "color",
            "lianghua_notice_sent",
            "lianghua_check_interval",
        }

    def _check_lianghua_write(self, vals):
        fnames = self._lianghua_user_fields(vals)
        if not fnames:
            return
        self._check_it()
        self._lianghua_check_workflow_fields(
            [vals], _("The contract's status and review are set by its workflow.")
        )
        for contract in self:
            allowed = None  # everything
            if contract.lianghua_state == "approved":
                allowed = self._get_lianghua_signing_fields()
            elif contract.lianghua_state == "signed":
                allowed = self._get_lianghua_execution_fields()
            elif contract.lianghua_state != "draft":
                allowed = set()
            if allowed is not None and fnames - allowed:
                raise UserError(
                    _(
                        "Contract %(name)s is %(state)s: its terms change through an "
                        "amendment only.",
                        name=contract.display_name,
                        state=contract._lianghua_state_label(),
                    )
                )

    def _lianghua_check_text_editable(self):
        """Sections and clauses of a service contract are written by IT while
        it is a draft; afterwards through an amendment."""
        ours = self.filtered("lianghua_kind")
        if self.env.su or not ours:
            return
        ours._check_it()
        ours.check_access("write")
        for contract in ours.filtered(lambda c: c.lianghua_state != "draft"):
            raise UserError(
                _(
                    "Contract %(name)s is %(state)s: its terms change through an amendment only.",
                    name=contract.display_name,
                    state=contract._lianghua_state_label(),
                )
            )

    def _lianghua_type_label(self):
        self.ensure_one()
        return dict(self._fields["lianghua_contract_type"]._description_selection(self.env)).get(
            self.lianghua_contract_type, _("none")
        )

    def _lianghua_can_supervise(self):
        """The user records supervision checks of all these contracts: IT
        staff, or members and managers of the business department each serves."""
        if self._lianghua_is_it():
            return True
        user = self.env.user
        if not self or not user.has_group(REQUESTER_GROUP):
            return False
        # Who belongs to a department, whatever the user may read of the employees.
        return all(
            contract_sudo.lianghua_department_id
            and (
                user in contract_sudo.lianghua_department_id.member_ids.user_id
                or contract_sudo.lianghua_department_id.manager_id.user_id == user
            )
            for contract_sudo in self.sudo()
        )

    def _lianghua_check_supervisor(self):
        if not self._lianghua_can_supervise():
            raise AccessError(
                _(
                    "Supervision checks of a contract are recorded by IT or by the business "
                    "department it serves."
                )
            )

    def _lianghua_state_label(self):
        self.ensure_one()
        return dict(self._fields["lianghua_state"]._description_selection(self.env))[
            self.lianghua_state
        ]

    def _lianghua_check_state(self, states, action):
        for contract in self:
            if not contract.lianghua_kind or contract.lianghua_state not in states:
                raise UserError(
                    _(
                        "Contract %(name)s cannot be %(action)s: it is %(state)s.",
                        name=contract.display_name,
                        action=action,
                        state=contract._lianghua_state_label()
                        if contract.lianghua_kind
                        else _("not a service contract"),
                    )
                )

    def _lianghua_missing_sections(self):
        """The mandatory sections of the policy that are still empty."""
        self.ensure_one()
        templates = self._lianghua_section_templates(mandatory=True)
        missing = []
        for template in templates:
            sections = self.sections_ids.filtered(lambda s, t=template: s.lianghua_template_id == t)
            filled = any(
                not is_html_empty(section.content)
                or any(not is_html_empty(clause.content) for clause in section.clauses_ids)
                for section in sections
            )
            if not filled:
                missing.append(template.name)
        return missing

    def _check_can_submit_review(self):
        self._check_it()
        self.check_access("write")
        self._lianghua_check_state(("draft",), _("submitted to review"))
        for contract in self:
            missing = contract._lianghua_missing_sections()
            if missing:
                raise ValidationError(
                    _(
                        "Contract %(name)s cannot go to legal review while these mandatory "
                        "sections are empty: %(sections)s.",
                        name=contract.display_name,
                        sections=", ".join(missing),
                    )
                )
            absent = []
            if not contract.partner_id:
                absent.append(_("the vendor"))
            if not contract.lianghua_contract_type:
                absent.append(_("the contract type"))
            if contract.lianghua_amount <= 0:
                absent.append(_("the amount"))
            if not (contract.start_date and contract.end_date):
                absent.append(_("the term (start and end dates)"))
            if absent:
                raise ValidationError(
                    _(
                        "Contract %(name)s cannot go to legal review without %(what)s.",
                        name=contract.display_name,
                        what=", ".join(absent),
                    )
                )

    def _check_can_sign(self):
        self._check_it()
        self.check_access("write")
        self._lianghua_check_state(("approved",), _("signed"))
        for contract in self:
            if not (contract.signed_contract and contract.company_signed_date):
                raise ValidationError(
                    _(
                        "Contract %(name)s is signed with its signed document and the date "
                        "of signature.",
                        name=contract.display_name,
                    )
                )

    def _check_can_amend(self):
        self._check_it()
        self.check_access("write")
        self._lianghua_check_state(("signed",), _("amended"))

    def _check_can_renew(self):
        self._check_it()
        self.check_access("write")
        self._lianghua_check_state(("signed", "expired"), _("renewed"))
        for contract in self:
            if contract.lianghua_renewal == "none":
                raise UserError(
                    _("Contract %(name)s is not renewable.", name=contract.display_name)
                )
            if self.search_count([("lianghua_previous_id", "=", contract.id)]):
                raise UserError(
                    _("Contract %(name)s has been renewed already.", name=contract.display_name)
                )

    def _check_can_cancel_contract(self):
        self._check_it()
        self.check_access("write")
        self._lianghua_check_state(("draft", "review", "approved"), _("cancelled"))

    def _check_can_close(self):
        if not self._lianghua_is_it_manager():
            raise AccessError(_("Only IT managers close a contract before its end."))
        self.check_access("write")
        self._lianghua_check_state(("signed", "expired"), _("closed"))
        if self.lianghua_milestone_ids.filtered(lambda m: m.state in ("waiting", "due")):
            raise UserError(_("Bill or cancel the open payment milestones before closing."))

    # Workflow

    def _do_submit_review(self):
        contracts_sudo = self.sudo()  # the status is written by the workflow only
        contracts_sudo.write({"lianghua_state": "review", "lianghua_rejection_reason": False})
        contracts_sudo._lianghua_set_stage("agreement_legal.agreement_stage_draft")
        self._request_approval()

    def _on_approved(self):
        contracts_sudo = self.sudo()  # the status is written by the workflow only
        contracts_sudo.write(
            {
                "lianghua_state": "approved",
                "approved_date": fields.Date.context_today(self),
                "approved_user_id": self.env.user.id,
            }
        )
        contracts_sudo._lianghua_set_stage("agreement_legal.agreement_stage_reviewed")
        for contract_sudo in contracts_sudo:
            contract_sudo.message_post(
                body=_("Review passed: the contract can be signed."),
                subtype_xmlid="mail.mt_note",
            )

    def _on_rejected(self, reason):
        open_notes = self.lianghua_review_note_ids.filtered(lambda n: n.state == "open")
        contracts_sudo = self.sudo()  # the status is written by the workflow only
        for contract_sudo in contracts_sudo:
            notes = open_notes.filtered(lambda n, c=contract_sudo: n.agreement_id == c)
            full = "\n".join(
                [reason, *(f"- {note.display_name}: {note.note}" for note in notes.sudo())]
            )
            contract_sudo.write({"lianghua_state": "draft", "lianghua_rejection_reason": full})
            contract_sudo.message_post(
                body=_("Returned for changes: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
            if contract_sudo.assigned_user_id:
                contract_sudo.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=contract_sudo.assigned_user_id.id,
                    summary=_("Contract returned by its review"),
                    note=reason,
                )

    def _approval_submitter(self):
        self.ensure_one()
        return self.assigned_user_id or self.create_uid

    def _do_sign(self):
        today = fields.Date.context_today(self)
        contracts_sudo = self.sudo()  # the status is written by the workflow only
        for contract_sudo in contracts_sudo:
            contract_sudo.write(
                {
                    "lianghua_state": "signed",
                    "lianghua_signed_on": contract_sudo.company_signed_date or today,
                    "company_signed_user_id": contract_sudo.company_signed_user_id.id
                    or self.env.user.id,
                    "state": "active",
                }
            )
            project_sudo = contract_sudo.lianghua_project_id
            if project_sudo and not project_sudo.agreement_id:
                project_sudo.agreement_id = contract_sudo
        contracts_sudo._lianghua_set_stage("agreement_legal.agreement_stage_active")
        contracts_sudo.lianghua_milestone_ids.filtered(lambda m: m.state == "draft").write(
            {"state": "waiting"}
        )
        # A milestone whose condition is met already is due at once.
        contracts_sudo.lianghua_milestone_ids._lianghua_refresh_due()

    def _do_amend(self):
        for contract in self:
            # OCA's versioning keeps a copy of the signed text, archived.
            contract_sudo = contract.sudo()  # the workflow writes the versions
            contract_sudo.copy(
                default={
                    **contract_sudo._get_old_version_default_vals(),
                    "lianghua_state": "superseded",
                    "lianghua_signed_on": contract_sudo.lianghua_signed_on,
                }
            )
            contract_sudo.write(
                {
                    "version": contract_sudo.version + 1,
                    "lianghua_state": "draft",
                    "state": "draft",
                    "review_ids": [Command.clear()],
                }
            )
            contract_sudo._lianghua_set_stage("agreement_legal.agreement_stage_draft")
            contract_sudo.message_post(
                body=_(
                    "Amendment: version %(version)s is a draft; it goes through the review "
                    "again before it is signed.",
                    version=contract_sudo.version,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _do_renew(self):
        renewals = self.browse()
        for contract in self:
            start = (contract.end_date or fields.Date.context_today(contract)) + relativedelta(
                days=1
            )
            duration = (
                relativedelta(contract.end_date + relativedelta(days=1), contract.start_date)
                if contract.start_date and contract.end_date
                else relativedelta(years=1)
            )
            contract_sudo = contract.sudo()  # the workflow links the versions
            renewal = contract_sudo.copy(
                {
                    "name": contract.name,
                    "start_date": start,
                    "end_date": start + duration - relativedelta(days=1),
                    "lianghua_previous_id": contract.id,
                    "lianghua_retention_release_date": False,
                    "signed_contract": False,
                    "company_signed_date": False,
                    "partner_signed_date": False,
                }
            )
            contract_sudo.message_post(
                body=_("Renewed by %(contract)s.", contract=renewal.code),
                subtype_xmlid="mail.mt_note",
            )
            renewals |= renewal
        return renewals.with_env(self.env)

    def _lianghua_renew_tacitly(self):
        """A tacit renewal continues the signed terms: in force from its start,
        without a new review."""
        for renewal in self:
            previous = renewal.lianghua_previous_id
            renewal.write(
                {
                    "lianghua_state": "signed",
                    "state": "active",
                    "lianghua_signed_on": renewal.start_date,
                    "signed_contract": previous.signed_contract,
                    "signed_contract_filename": previous.signed_contract_filename,
                    "company_signed_date": previous.company_signed_date,
                    "partner_signed_date": previous.partner_signed_date,
                }
            )
            renewal._lianghua_set_stage("agreement_legal.agreement_stage_active")
            renewal.message_post(
                body=_(
                    "Renewed tacitly: the terms of %(contract)s continue.",
                    contract=previous.code,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _do_close(self, state):
        self.write({"lianghua_state": state, "state": "inactive"})
        self._lianghua_set_stage(
            "agreement_legal.agreement_stage_expired"
            if state == "expired"
            else "agreement_legal.agreement_stage_terminated"
        )

    def _lianghua_set_stage(self, xmlid):
        stage = self.env.ref(xmlid, raise_if_not_found=False)
        if stage:
            self.write({"stage_id": stage.id})

    def _lianghua_add_sections(self):
        """The sections of the policy, from their editable templates."""
        templates_sudo = self._lianghua_section_templates()
        section_vals = []
        for contract in self:
            templates = templates_sudo.filtered(
                lambda t, company=contract.company_id: (
                    t.company_id in (company, t.company_id.browse())
                )
            )
            section_vals += [
                {
                    "agreement_id": contract.id,
                    "name": template.name,
                    "title": template.name,
                    "sequence": template.sequence,
                    "content": template.content,
                    "lianghua_template_id": template.id,
                }
                for template in templates
            ]
        self.env["agreement.section"].sudo().create(section_vals)

    def _lianghua_section_templates(self, mandatory=False):
        """The section templates of the contracts' companies (and the shared
        ones), in one search."""
        domain = [("company_id", "in", [False, *self.company_id.ids])]
        if mandatory:
            domain.append(("mandatory", "=", True))
        # The templates are shared configuration, whoever writes the contract.
        return self.env["lianghua.contract.section.template"].sudo().search(domain)

    # Accounting

    def _lianghua_create_vendor_move(self, move_type, ref, lines, **vals):
        """A draft vendor bill or credit note of the contract (``lines`` from
        ``_lianghua_move_line``), for finance to post."""
        self.ensure_one()
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "currency_id": self.currency_id.id,
                "agreement_id": self.id,
                "invoice_origin": self.code,
                "ref": ref,
                "invoice_line_ids": lines,
                **vals,
            }
        )

    @api.model
    def _lianghua_move_line(self, label, amount):
        """A line of a contract's bill: the contract's amounts are billed as
        they are, finance adds the taxes on the draft."""
        return Command.create(
            {"name": label, "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
        )

    # Crons

    @api.model
    def _cron_contract_terms(self, batch_size=200):
        """Notices before the notice date to the contract owners; contracts past
        their end date expire. Batched, safe to rerun: a contract is noticed
        once and expires once."""
        today = fields.Date.context_today(self)
        to_notice = self.search(
            [
                ("lianghua_state", "=", "signed"),
                ("lianghua_notice_sent", "=", False),
                ("lianghua_reminder_date", "<=", today),
            ],
            limit=batch_size,
        )
        to_expire = self.search(
            [("lianghua_state", "=", "signed"), ("end_date", "<", today)], limit=batch_size
        )
        self.env["ir.cron"]._notify_progress(done=0, remaining=len(to_notice) + len(to_expire))
        for contract in to_notice:
            with self.env.cr.savepoint():
                contract._lianghua_notify_notice()
        for contract in to_expire:
            with self.env.cr.savepoint():
                if contract.lianghua_renewal == "tacit" and not self.search_count(
                    [("lianghua_previous_id", "=", contract.id)]
                ):
                    contract._do_renew()._lianghua_renew_tacitly()
                contract._do_close("expired")
        self.env["ir.cron"]._notify_progress(
            done=len(to_notice) + len(to_expire),
            remaining=self.search_count(
                [
                    ("lianghua_state", "=", "signed"),
                    "|",
                    ("end_date", "<", today),
                    "&",
                    ("lianghua_notice_sent", "=", False),
                    ("lianghua_reminder_date", "<=", today),
                ]
            ),
        )

    @api.model
    def _cron_contract_checks_due(self, batch_size=200):
        """Remind the owners of the contracts in force whose next supervision
        check has come. Batched, safe to rerun: one reminder per contract and
        due date."""
        today = fields.Date.context_today(self)
        domain = [
            ("lianghua_kind", "!=", False),
            ("lianghua_state", "=", "signed"),
            ("lianghua_check_reminder_due", "=", True),
            ("lianghua_next_check_date", "<=", today),
        ]
        batch = self.search(domain, order="lianghua_next_check_date, id", limit=batch_size)
        self.env["ir.cron"]._notify_progress(done=0, remaining=len(batch))
        for contract in batch:
            with self.env.cr.savepoint():
                contract._lianghua_remind_check()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=self.search_count(domain))

    def _lianghua_remind_check(self):
        self.ensure_one()
        user = self.assigned_user_id or self.create_uid
        activity_type = self.env.ref("lianghua_contract.mail_activity_contract_check_due")
        open_reminder = self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        if not open_reminder:
            self.activity_schedule(
                "lianghua_contract.mail_activity_contract_check_due",
                date_deadline=self.lianghua_next_check_date,
                user_id=user.id,
                note=_(
                    "The supervision check of contract %(name)s was due on %(date)s: check the "
                    "provider's performance against the service standards.",
                    name=self.display_name,
                    date=self.lianghua_next_check_date,
                ),
            )
        self.lianghua_check_reminded_date = self.lianghua_next_check_date

    def _lianghua_close_check_reminders(self):
        """A check done: the reminders of the checks due are done too."""
        activity_type = self.env.ref(
            "lianghua_contract.mail_activity_contract_check_due", raise_if_not_found=False
        )
        reminders = self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        if reminders:
            reminders.action_feedback(feedback=_("Supervision check done."))

    def _lianghua_notify_notice(self):
        self.ensure_one()
        user = self.assigned_user_id or self.create_uid
        self.activity_schedule(
            "lianghua_contract.mail_activity_contract_notice",
            date_deadline=self.lianghua_notice_date,
            user_id=user.id,
            note=_(
                "Contract %(name)s ends on %(end)s: renew or terminate it before its notice date.",
                name=self.display_name,
                end=self.end_date,
            ),
        )
        self.lianghua_notice_sent = True
