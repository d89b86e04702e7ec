from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

REQUESTER_GROUP = "lianghua_service.group_lianghua_requester"
SUPERVISION = "contract_supervision"


class LianghuaContractCheck(models.Model):
    """A periodic check of a provider's performance against the service
    standards of its contract (policy 7.2), recorded by the business
    department the contract serves or by IT: the items of the supervision
    checklist of the contract's type, a score, the findings, and a follow-up
    activity for the contract's owner on what failed."""

    _name = "lianghua.contract.check"
    _description = "Contract Supervision Check"
    _inherit = [
        "lianghua.contract.chatter.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.document.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _lianghua_sequence_code = "lianghua.contract.check"
    # The activity the contract's owner gets for the failed items.
    _lianghua_follow_up_activity = "lianghua_contract.mail_activity_contract_check_follow_up"

    def _default_department_id(self):
        return self.env.user.employee_ids[:1].department_id

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    agreement_id = fields.Many2one(
        "agreement",
        string="Contract",
        required=True,
        index=True,
        check_company=True,
        domain=[("lianghua_kind", "!=", False), ("lianghua_state", "in", ("signed", "expired"))],
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, string="Vendor", index=True
    )
    contract_type = fields.Selection(
        related="agreement_id.lianghua_contract_type", store=True, string="Contract Type"
    )
    owner_id = fields.Many2one(related="agreement_id.assigned_user_id", string="Contract Owner")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    department_id = fields.Many2one(
        "hr.department",
        string="Checking Department",
        required=True,
        check_company=True,
        default=_default_department_id,
        tracking=True,
        help="The business department the contract serves, or IT.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Inspector",
        required=True,
        check_company=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    template_id = fields.Many2one(
        "lianghua.checklist.template",
        string="Checklist",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('kind', '=', 'contract_supervision'), "
        "'|', ('lianghua_contract_type', '=', False), "
        "('lianghua_contract_type', '=', contract_type)]",
    )
    line_ids = fields.One2many("lianghua.contract.check.line", "check_id", string="Check Items")
    score = fields.Float(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        string="Score (%)",
        help="Share of the applicable items passed, a partly met item counting half.",
    )
    failed_count = fields.Integer(
        compute="_compute_score", store=True, string="Items Failed or Partly Met"
    )
    result = fields.Selection(
        [("met", "Standards Met"), ("findings", "With Findings")],
        compute="_compute_score",
        store=True,
        help="With findings when an item failed or is only partly met.",
    )
    findings = fields.Text(tracking=True)
    follow_up = fields.Text(
        string="Follow-up", help="What is agreed with the provider to solve the findings."
    )
    state = fields.Selection(
        [("draft", "In Progress"), ("done", "Done")],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        default="draft",
        index=True,
        tracking=True,
    )
    can_record = fields.Boolean(compute="_compute_can_record")

    @api.depends("agreement_id")
    def _compute_template_id(self):
        templates = self.env["lianghua.checklist.template"].search(
            [("kind", "=", SUPERVISION)], order="sequence, id"
        )
        for check in self:
            contract = check.agreement_id
            if not contract or check.template_id._lianghua_fits_contract(contract):
                continue
            fitting = templates.filtered(lambda t, c=contract: t._lianghua_fits_contract(c))
            # The checklist of the contract's type before the general one.
            check.template_id = (
                fitting.filtered(
                    lambda t, c=contract: t.lianghua_contract_type == c.lianghua_contract_type
                )[:1]
                or fitting[:1]
            )

    @api.depends("line_ids.result")
    def _compute_score(self):
        for check in self:
            results = check.line_ids.mapped("result")
            applicable = [result for result in results if result != "na"]
            passed = results.count("pass") + results.count("partial") / 2
            check.score = 100.0 * passed / len(applicable) if applicable else 0.0
            check.failed_count = results.count("fail") + results.count("partial")
            check.result = "findings" if check.failed_count else "met"

    @api.depends_context("uid")
    @api.depends("agreement_id", "state")
    def _compute_can_record(self):
        for check in self:
            check.can_record = check.state == "draft" and bool(
                check.agreement_id and check.agreement_id._lianghua_can_supervise()
            )

    @api.constrains("template_id", "agreement_id")
    def _check_template(self):
        for check in self:
            template = check.template_id
            if template and not template._lianghua_fits_contract(check.agreement_id):
                raise ValidationError(
                    _(
                        "Checklist %(template)s is not a supervision checklist of a contract of "
                        "type %(type)s.",
                        template=template.display_name,
                        type=check.agreement_id._lianghua_type_label(),
                    )
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        contracts = self._lianghua_vals_records(vals_list, "agreement_id")
        if not self.env.su:
            self._lianghua_check_workflow_fields(
                vals_list, _("The status of a supervision check is set by its Done button.")
            )
            contracts.check_access("read")
            contracts._lianghua_check_supervisor()
        not_in_force = contracts.filtered(
            lambda c: not c.lianghua_kind or c.lianghua_state not in ("signed", "expired")
        )
        if not_in_force:
            raise UserError(
                _(
                    "Contract %(name)s is not in force: supervision checks are recorded on "
                    "contracts in force or expired.",
                    name=not_in_force[0].display_name,
                )
            )
        self._lianghua_assign_numbers(vals_list, contracts.company_id)
        checks = super().create(vals_list)
        if not self.env.su:
            for check in checks:
                self._lianghua_check_department(check.agreement_id, check.department_id.id)
            checks._lianghua_check_inspector()
        # The checklist's items come with the check (rights checked above).
        for check_sudo in checks.sudo().filtered(lambda c: c.template_id and not c.line_ids):
            check_sudo.line_ids = [
                Command.create(
                    {"sequence": item.sequence, "name": item.name, "description": item.description}
                )
                for item in check_sudo.template_id.line_ids
            ]
        return checks

    def _lianghua_check_inspector(self):
        """A business user records their own checks; IT may record one for
        another inspector (a check done on paper, say)."""
        if self.env.su or self._lianghua_is_it():
            return
        if self.filtered(lambda check: check.user_id != self.env.user):
            raise UserError(_("You record your own supervision checks."))

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            self._lianghua_check_workflow_fields(
                [vals], _("The status of a supervision check is set by its Done button.")
            )
            self._lianghua_check_editable()
            if {"agreement_id", "template_id"} & set(vals):
                raise UserError(
                    _("A check keeps its contract and checklist: record a new check instead.")
                )
            if "department_id" in vals:
                for check in self:
                    self._lianghua_check_department(check.agreement_id, vals["department_id"])
        res = super().write(vals)
        if "user_id" in vals:
            self._lianghua_check_inspector()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if not self.env.su:
            self._lianghua_check_editable()

    # Actions

    def action_done(self):
        """Close the check: its score is final and what failed goes to the
        contract's owner as one follow-up activity."""
        self._check_can_done()
        self._do_done()
        return True

    # Checks

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {"state", "name"}

    def _lianghua_it_only_message(self):
        return _(
            "Supervision checks are recorded by IT or by the business department the contract "
            "serves."
        )

    def _lianghua_check_editable(self):
        """The user records checks of these contracts, and the checks are open."""
        self.agreement_id._lianghua_check_supervisor()
        self.check_access("write")
        done = self.filtered(lambda check: check.state == "done")
        if done:
            raise UserError(
                _("Check %(name)s is done: it is kept as it is.", name=done[0].display_name)
            )

    @api.model
    def _lianghua_check_department(self, contract, department_id):
        """Someone of a business department checks for their department; IT for IT."""
        if self._lianghua_is_it() or not department_id:
            return
        if department_id != contract.sudo().lianghua_department_id.id:
            raise ValidationError(
                _(
                    "The checking department of contract %(name)s is the business department "
                    "it serves.",
                    name=contract.display_name,
                )
            )

    def _check_can_done(self):
        self._lianghua_check_editable()
        for check in self:
            if not check.line_ids:
                raise ValidationError(
                    _("Check %(name)s has no item to check.", name=check.display_name)
                )
            pending = check.line_ids.filtered(lambda line: line.result == "pending")
            if pending:
                raise ValidationError(
                    _(
                        "%(name)s: give the result of every item first (%(items)s).",
                        name=check.display_name,
                        items=", ".join(pending.mapped("name")),
                    )
                )

    # Workflow

    def _do_done(self):
        checks_sudo = self.sudo()  # the status is written by the workflow only
        checks_sudo.write({"state": "done"})
        for check_sudo in checks_sudo:
            check_sudo.message_post(
                body=_("Check done: score %(score)s %%.", score=round(check_sudo.score, 1)),
                subtype_xmlid="mail.mt_note",
            )
            check_sudo._lianghua_schedule_follow_up()
        # The supervision due on these contracts has been done.
        checks_sudo.agreement_id._lianghua_close_check_reminders()

    def _lianghua_schedule_follow_up(self):
        """One activity for the contract's owner, listing what failed."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.result in ("fail", "partial"))
        owner = self.agreement_id.assigned_user_id
        if not lines or not owner:
            return
        labels = dict(self.line_ids._fields["result"]._description_selection(self.env))
        items = Markup().join(
            Markup("<li>%s: %s%s</li>")
            % (line.name, labels[line.result], f" ({line.note})" if line.note else "")
            for line in lines
        )
        self.activity_schedule(
            self._lianghua_follow_up_activity,
            user_id=owner.id,
            summary=_("Follow up the supervision findings"),
            note=Markup("<p>%s</p><ul>%s</ul>")
            % (
                _(
                    "Check %(name)s of contract %(contract)s: settle with %(vendor)s these "
                    "items, failed or partly met:",
                    name=self.name,
                    contract=self.agreement_id.display_name,
                    vendor=self.partner_id.display_name,
                ),
                items,
            ),
        )
