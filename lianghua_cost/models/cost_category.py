from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.lianghua_service.models.plan_budget_line import BUDGET_CATEGORIES


class LianghuaCostCategory(models.Model):
    """A cost category of the budgets (policy 5.1): which expense accounts
    and product categories carry its costs, so that bills and purchases find
    their budget cell by themselves. Timesheets go to the personnel category;
    costs no category claims, to the default one."""

    _name = "lianghua.cost.category"
    _description = "Cost Category"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the category between companies."
    )
    plan_category = fields.Selection(
        BUDGET_CATEGORIES,
        string="Solution Plan Category",
        help="The budget lines of solution plans drafted in this category.",
    )
    account_ids = fields.Many2many(
        "account.account",
        string="Expense Accounts",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost', "
        "'expense_depreciation', 'asset_fixed', 'asset_non_current'))]",
        help="Bills and expenses posted on these accounts count in this category.",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Purchases and bills of products of these categories (and their "
        "subcategories) count in this category.",
    )
    is_personnel = fields.Boolean(
        string="Timesheets", help="Timesheets, valued at the employee's hourly cost, count here."
    )
    is_contingency = fields.Boolean(
        string="Contingency Reserve",
        help="The reserve an overrun may be funded from; nothing is bought on it directly.",
    )
    is_default = fields.Boolean(
        string="Default", help="Costs that no other category claims count here."
    )
    description = fields.Text(translate=True)

    @api.constrains("is_personnel", "is_contingency", "is_default", "company_id", "active")
    def _check_unique_flags(self):
        for flag, label in (
            ("is_personnel", _("timesheets")),
            ("is_contingency", _("the contingency reserve")),
            ("is_default", _("costs no category claims")),
        ):
            for category in self.filtered(flag):
                others = self.search_count(
                    [
                        (flag, "=", True),
                        ("id", "!=", category.id),
                        ("company_id", "in", [category.company_id.id, False]),
                    ]
                )
                if others:
                    raise ValidationError(_("Only one cost category takes %(what)s.", what=label))

    # Business

    @api.model
    def _lianghua_categories(self, company):
        """The active categories of ``company``, its own and the shared ones."""
        return self.search([("company_id", "in", [company.id, False])])

    def _lianghua_classify(self, product=None, account=None):
        """Among these categories (of one company, see ``_lianghua_categories``),
        the one of a cost of ``product`` posted on ``account``: the product's
        category (or a parent) first, then the account, else the default
        category (an empty recordset if none)."""
        path = product.categ_id if product else None
        while path:
            found = self.filtered(lambda c, p=path: p in c.product_category_ids)
            if found:
                return found[:1]
            path = path.parent_id
        if account:
            found = self.filtered(lambda c: account in c.account_ids)
            if found:
                return found[:1]
        return self.filtered("is_default")[:1]
