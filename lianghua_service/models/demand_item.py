from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

PRIORITIES = [("0", "Normal"), ("1", "Important"), ("2", "Very Important"), ("3", "Critical")]
# How IT ranks the submitted items of a period, best first.
RANK_ORDER = "it_priority desc, business_priority desc, date_required asc, id asc"


class LianghuaDemandItem(models.Model):
    _name = "lianghua.demand.item"
    _description = "Demand List Item"
    _inherit = ["lianghua.document.mixin"]
    _order = "list_id, sequence, id"
    _check_company_auto = True

    list_id = fields.Many2one(
        "lianghua.demand.list",
        string="Demand List",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Need", required=True)
    background = fields.Text()
    content = fields.Text()
    expected_goal = fields.Text()
    date_required = fields.Date(string="Required By")
    service_type_id = fields.Many2one("lianghua.service.type", check_company=True)
    category_id = fields.Many2one(related="service_type_id.category_id", store=True)
    business_priority = fields.Selection(
        PRIORITIES,
        string="Department Priority",
        default="0",
        help="How much the department needs it.",
    )
    it_priority = fields.Selection(
        PRIORITIES,
        string="IT Priority",
        default="0",
        help="IT's ranking when consolidating the period's demand across departments.",
    )
    it_comment = fields.Char(string="IT Comment")
    department_id = fields.Many2one(related="list_id.department_id", store=True, index=True)
    company_id = fields.Many2one(related="list_id.company_id", store=True, index=True)
    period = fields.Char(related="list_id.period", store=True, index=True)
    list_state = fields.Selection(related="list_id.state", store=True, string="List Status")
    request_id = fields.Many2one(
        "lianghua.request", readonly=True, copy=False, index="btree_not_null", check_company=True
    )
    request_state = fields.Selection(related="request_id.state", string="Request Status")
    consolidation_rank = fields.Integer(
        string="Rank",
        compute="_compute_consolidation_rank",
        help="Place of the item among all the submitted items of its period and company.",
    )

    @api.depends("it_priority", "business_priority", "date_required", "period", "list_state")
    def _compute_consolidation_rank(self):
        submitted = self.filtered(lambda item: item.list_state == "submitted")
        (self - submitted).consolidation_rank = 0
        if not submitted:
            return
        # The rank is among every department's items, whatever this user may read;
        # only positions leave this search.
        ranked_sudo = self.sudo().search(
            [
                ("list_state", "=", "submitted"),
                ("period", "in", list(set(submitted.mapped("period")))),
                ("company_id", "in", submitted.company_id.ids),
            ],
            order=RANK_ORDER,
        )
        position, ranks = defaultdict(int), {}
        for item in ranked_sudo:
            key = (item.company_id.id, item.period)
            position[key] += 1
            ranks[item.id] = position[key]
        for item in submitted:
            item.consolidation_rank = ranks.get(item.id, 0)

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        lists = self._lianghua_vals_records(vals_list, "list_id")
        if not self.env.su and any(dl.state != "draft" for dl in lists):
            raise UserError(_("Items can only be added to a draft demand list."))
        self._lianghua_check_workflow_fields(
            vals_list,
            _("An item raises its request when its list is submitted."),
            allowed={"list_id"},
        )
        return super().create(vals_list)

    def write(self, vals):
        self._lianghua_check_workflow_fields(
            [vals], _("An item stays in its demand list, linked to the request it raised.")
        )
        consolidation = self._get_consolidation_fields()
        if not self.env.su and set(vals) - consolidation:
            locked = self.filtered(lambda item: item.list_id.state != "draft")
            if locked:
                raise UserError(
                    _(
                        "Demand list %(name)s is submitted: its items can no longer be changed.",
                        name=locked[0].list_id.name,
                    )
                )
        if consolidation.intersection(vals) and not self._lianghua_is_it():
            raise UserError(_("Only IT sets the IT priority of demand items."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(item.list_id.state == "submitted" for item in self):
            raise UserError(_("Items of a submitted demand list cannot be deleted."))

    # Hooks (lianghua.document.mixin)

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {"list_id", "request_id"}

    def _get_consolidation_fields(self):
        """What IT may still change once the list is submitted."""
        return frozenset({"it_priority", "it_comment"})

    def _get_required_fields(self):
        """What an item must say before its list is submitted."""
        return (
            "name",
            "service_type_id",
            "background",
            "content",
            "expected_goal",
            "date_required",
        )

    # Business

    def _missing_content(self):
        self.ensure_one()
        return [
            self._fields[name].get_description(self.env)["string"]
            for name in self._get_required_fields()
            if not self[name]
        ]

    def _prepare_request_vals(self):
        self.ensure_one()
        return {
            "title": self.name,
            "requester_id": self.list_id.manager_id.id,
            "department_id": self.department_id.id,
            "company_id": self.company_id.id,
            "urgency": "planned",
            "origin": "demand_list",
            "demand_item_id": self.id,
            "service_type_id": self.service_type_id.id,
            "background": self.background,
            "description": plaintext2html(self.content or ""),
            "expected_goal": self.expected_goal,
            "date_required": self.date_required,
            "priority": self.business_priority,
        }
