from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]
IT_GROUP = "lianghua_service.group_lianghua_it_user"
# What may still change on a submitted list (chatter aside).


class LianghuaDemandList(models.Model):
    _name = "lianghua.demand.list"
    _description = "Demand List"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "year desc, quarter desc, department_id, id desc"
    _check_company_auto = True

    def _default_quarter(self):
        return str((fields.Date.context_today(self).month - 1) // 3 + 1)

    def _default_department(self):
        return self.env.user._lianghua_home_department().id

    name = fields.Char(compute="_compute_name", store=True)
    department_id = fields.Many2one(
        "hr.department",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        default=_default_department,
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Department Manager",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
        help="Who compiles and submits the list; the requests raised from its items are in "
        "this person's name.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_type = fields.Selection(
        [("quarter", "Quarterly"), ("year", "Yearly")],
        required=True,
        default="quarter",
    )
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    quarter = fields.Selection(QUARTERS, default=_default_quarter)
    period = fields.Char(compute="_compute_period", store=True, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("cancel", "Cancelled")],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        default="draft",
        tracking=True,
    )
    item_ids = fields.One2many("lianghua.demand.item", "list_id", string="Items", copy=True)
    item_count = fields.Integer(compute="_compute_item_count")
    request_count = fields.Integer(compute="_compute_item_count")
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    note = fields.Html(string="Notes")
    can_manage = fields.Boolean(compute="_compute_can_manage")
    can_submit = fields.Boolean(compute="_compute_can_manage")
    is_it_user = fields.Boolean(compute="_compute_can_manage")

    @api.depends("year", "quarter", "period_type")
    def _compute_period(self):
        for demand_list in self:
            if demand_list.period_type == "quarter" and demand_list.quarter:
                demand_list.period = f"{demand_list.year} Q{demand_list.quarter}"
            else:
                demand_list.period = str(demand_list.year)

    @api.depends("department_id.name", "period")
    def _compute_name(self):
        for demand_list in self:
            demand_list.name = " ".join(
                part for part in (demand_list.department_id.name, demand_list.period) if part
            )

    def _compute_item_count(self):
        groups = self.env["lianghua.demand.item"]._read_group(
            [("list_id", "in", self.ids)], ["list_id"], ["__count", "request_id:count"]
        )
        counts = {demand_list: (items, requests) for demand_list, items, requests in groups}
        for demand_list in self:
            demand_list.item_count, demand_list.request_count = counts.get(demand_list, (0, 0))

    @api.depends_context("uid")
    @api.depends("state", "department_id")
    def _compute_can_manage(self):
        is_it = self._lianghua_is_it()
        managed = self.env["lianghua.request"]._managed_departments()
        for demand_list in self:
            demand_list.is_it_user = is_it
            demand_list.can_manage = is_it or demand_list.department_id in managed
            demand_list.can_submit = demand_list.state == "draft" and demand_list.can_manage

    @api.constrains("period_type", "quarter", "year")
    def _check_period(self):
        for demand_list in self:
            if demand_list.period_type == "quarter" and not demand_list.quarter:
                raise ValidationError(_("A quarterly demand list needs its quarter."))
            if not 2000 <= demand_list.year <= 2100:
                raise ValidationError(
                    _("%(year)s is not a valid year for a demand list.", year=demand_list.year)
                )

    @api.constrains("department_id", "period", "company_id", "state")
    def _check_one_list_per_period(self):
        lists = self.filtered(lambda dl: dl.state != "cancel")
        if not lists:
            return
        groups = self._read_group(
            [
                ("department_id", "in", lists.department_id.ids),
                ("period", "in", lists.mapped("period")),
                ("state", "!=", "cancel"),
            ],
            ["department_id", "period", "company_id"],
            ["__count"],
        )
        for department, period, __, count in groups:
            if count > 1:
                raise ValidationError(
                    _(
                        "%(department)s already has a demand list for %(period)s.",
                        department=department.name,
                        period=period,
                    )
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        if not self.env.su and any("state" in vals for vals in vals_list):
            raise UserError(_("A demand list starts as a draft; its buttons move it on."))
        self._check_filing_rights_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "state" in vals:
                raise UserError(_("The status of a demand list changes only through its buttons."))
            frozen = self._lianghua_user_fields(vals) - self._get_free_after_submission_fields()
            locked = self.filtered(lambda dl: dl.state != "draft")
            if frozen and locked:
                raise UserError(
                    _(
                        "Demand list %(name)s is submitted: it can no longer be changed.",
                        name=locked[0].name,
                    )
                )
        res = super().write(vals)
        if {"department_id", "manager_id"}.intersection(vals):
            self._check_filing_rights()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(demand_list.state == "submitted" for demand_list in self):
            raise UserError(_("A submitted demand list cannot be deleted."))

    # Hooks (lianghua.document.mixin)

    def _get_free_after_submission_fields(self):
        """What the department may still write on a submitted list."""
        return frozenset({"note"})

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "lianghua_demand_list_one_per_period": (
                ("company_id", "department_id", "period"),
                "state != 'cancel'",
                lambda: self.env._("The department already has a demand list for this period."),
            ),
        }

    # Actions

    def action_submit(self):
        self._check_can_submit()
        self._do_submit()
        return True

    def action_cancel(self):
        self._check_can_cancel()
        lists_sudo = self.sudo()  # the status is written by the workflow only
        lists_sudo.write({"state": "cancel"})
        return True

    def action_reset_to_draft(self):
        self._check_can_reset_to_draft()
        lists_sudo = self.sudo()  # the status is written by the workflow only
        lists_sudo.write({"state": "draft"})
        return True

    def action_view_requests(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_request_action", "demand_list_id", create=False
        )

    # Business

    def _check_can_cancel(self):
        for demand_list in self:
            if demand_list.state != "draft" or not demand_list.can_manage:
                raise UserError(
                    _(
                        "Only the department's manager can cancel a draft demand list (%(name)s).",
                        name=demand_list.name,
                    )
                )

    def _check_can_reset_to_draft(self):
        for demand_list in self:
            if demand_list.state != "cancel" or not demand_list.can_manage:
                raise UserError(
                    _(
                        "Only the department's manager can return a cancelled demand list to "
                        "draft (%(name)s).",
                        name=demand_list.name,
                    )
                )

    def _check_filing_rights(self):
        self._check_filing_rights_vals(
            [{"department_id": dl.department_id.id, "manager_id": dl.manager_id.id} for dl in self]
        )

    @api.model
    def _check_filing_rights_vals(self, vals_list):
        """A department manager compiles the lists of their own department, in
        their own name; IT may do so for any department."""
        if self._lianghua_is_it():
            return
        departments = self.env["lianghua.request"]._managed_departments()
        for vals in vals_list:
            department = self.env["hr.department"].browse(
                vals.get("department_id") or self._default_department()
            )
            if department not in departments:
                raise UserError(
                    _(
                        "You can only compile the demand lists of your own department, not of "
                        "%(department)s.",
                        department=department.name,
                    )
                )
            if vals.get("manager_id", self.env.uid) != self.env.uid:
                raise UserError(_("A department manager compiles demand lists in their own name."))

    def _check_can_submit(self):
        for demand_list in self:
            if demand_list.state != "draft":
                raise UserError(_("Demand list %(name)s is not a draft.", name=demand_list.name))
            if not demand_list.can_submit:
                raise UserError(
                    _(
                        "Only the manager of %(department)s or IT can submit its demand list.",
                        department=demand_list.department_id.name,
                    )
                )
            if not demand_list.item_ids:
                raise ValidationError(
                    _("Demand list %(name)s has no items.", name=demand_list.name)
                )
            today = fields.Date.context_today(self)
            for item in demand_list.item_ids:
                missing = item._missing_content()
                if missing:
                    raise ValidationError(
                        _(
                            "Item %(item)s of %(name)s lacks: %(fields)s.",
                            item=item.name,
                            name=demand_list.name,
                            fields=", ".join(missing),
                        )
                    )
                if item.date_required < today:
                    raise ValidationError(
                        _(
                            "The required-by date of item %(item)s of %(name)s is in the past.",
                            item=item.name,
                            name=demand_list.name,
                        )
                    )

    def _do_submit(self):
        # The workflow writes the status, and files each item as a request
        # (with its origin) in the manager's name.
        lists_sudo = self.sudo()
        lists_sudo.write({"state": "submitted", "date_submitted": fields.Datetime.now()})
        items_sudo = lists_sudo.item_ids
        requests_sudo = (
            self.env["lianghua.request"]
            .sudo()
            .create([item._prepare_request_vals() for item in items_sudo])
        )
        for item_sudo, request_sudo in zip(items_sudo, requests_sudo, strict=True):
            item_sudo.request_id = request_sudo
        requests_sudo.with_env(self.env)._do_submit()
        for demand_list in self:
            demand_list.message_post(
                body=_(
                    "Submitted: %(count)s request(s) raised for IT's evaluation.",
                    count=len(demand_list.item_ids),
                )
            )
