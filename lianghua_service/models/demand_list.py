from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


class LianghuaDemandList(models.Model):
    _name = "lianghua.demand.list"
    _description = "Demand List"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, quarter desc, department_id, id desc"
    _check_company_auto = True

    def _default_quarter(self):
        return str((fields.Date.context_today(self).month - 1) // 3 + 1)

    def _default_department(self):
        # The user's employee file may be out of reach; only the id leaves.
        return self.env.user.sudo().employee_id.department_id.id

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
    can_submit = fields.Boolean(compute="_compute_can_submit")

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
    def _compute_can_submit(self):
        user = self.env.user
        is_it = self.env.su or user.has_group("lianghua_service.group_lianghua_it_user")
        is_manager = user.has_group("lianghua_service.group_lianghua_dept_manager")
        managed = (
            self.env["lianghua.request"]._user_departments()
            if is_manager
            else self.env["hr.department"]
        )
        for demand_list in self:
            demand_list.can_submit = demand_list.state == "draft" and (
                is_it or (is_manager and demand_list.department_id in managed)
            )

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

    def write(self, vals):
        if not self.env.su and "state" in vals:
            raise UserError(_("The status of a demand list changes only through its buttons."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(demand_list.state == "submitted" for demand_list in self):
            raise UserError(_("A submitted demand list cannot be deleted."))

    # Actions

    def action_submit(self):
        self._check_can_submit()
        self._do_submit()
        return True

    def action_cancel(self):
        for demand_list in self:
            if demand_list.state != "draft" or not demand_list.can_submit:
                raise UserError(
                    _(
                        "Only the department's manager can cancel a draft demand list (%(name)s).",
                        name=demand_list.name,
                    )
                )
        self.sudo().write({"state": "cancel"})
        return True

    def action_reset_to_draft(self):
        for demand_list in self:
            if demand_list.state != "cancel":
                raise UserError(
                    _(
                        "Only a cancelled demand list can return to draft (%(name)s).",
                        name=demand_list.name,
                    )
                )
        self.check_access("write")
        self.sudo().write({"state": "draft"})
        return True

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "lianghua_service.lianghua_request_action"
        )
        action["domain"] = [("demand_list_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # Business

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

    def _do_submit(self):
        self.sudo().write({"state": "submitted", "date_submitted": fields.Datetime.now()})
        items = self.item_ids
        requests = self.env["lianghua.request"].create(
            [item._prepare_request_vals() for item in items]
        )
        for item, request in zip(items, requests, strict=True):
            item.sudo().request_id = request
        requests._do_submit()
        for demand_list in self:
            demand_list.message_post(
                body=_(
                    "Submitted: %(count)s request(s) raised for IT's evaluation.",
                    count=len(demand_list.item_ids),
                )
            )
