from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.lianghua_service.tests.common import LianghuaServiceCommon


def ensure_chart(env, company):
    """A chart of accounts for ``company`` (vendor bills need its purchase
    journal), as Odoo's own accounting tests load it."""
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)


class LianghuaCostCommon(LianghuaServiceCommon):
    """The people of the service suite, plus two finance officers, a vendor
    and products of the cost categories, and IT staff with an hourly cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_chart(cls.env, cls.env.company)
        cls.finance = cls._finance_user("lh_finance")
        cls.finance_2 = cls._finance_user("lh_finance_2")
        cls.it_user.employee_id.hourly_cost = 200.0
        cls.vendor = cls.env["res.partner"].create({"name": "Lh Vendor", "is_company": True})
        cls.category_personnel = cls.env.ref("lianghua_cost.cost_category_personnel")
        cls.category_equipment = cls.env.ref("lianghua_cost.cost_category_equipment")
        cls.category_software = cls.env.ref("lianghua_cost.cost_category_software")
        cls.category_outsourcing = cls.env.ref("lianghua_cost.cost_category_outsourcing")
        cls.category_other = cls.env.ref("lianghua_cost.cost_category_other")
        cls.category_contingency = cls.env.ref("lianghua_cost.cost_category_contingency")
        cls.server = cls._product("Server", "lianghua_cost.product_category_it_equipment")
        cls.licence = cls._product("Database licence", "lianghua_cost.product_category_software")
        cls.consulting = cls._product(
            "Implementation service", "lianghua_cost.product_category_it_services"
        )

    @classmethod
    def _finance_user(cls, login):
        return new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            email=f"{login}@example.com",
            lang="en_US",
            groups="base.group_user,lianghua_cost.group_lianghua_finance",
        )

    @classmethod
    def _product(cls, name, categ_xmlid):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "categ_id": cls.env.ref(categ_xmlid).id,
                "purchase_method": "purchase",
                "standard_price": 0.0,
            }
        )

    # Budgets

    def _draft_budget(self, project=None):
        project = project or self._approved_plan().project_id
        action = project.with_user(self.it_user).action_lianghua_draft_budget()
        return self.env["lianghua.cost.budget"].browse(action["res_id"])

    def _set_cells(self, budget, amounts, user=None):
        """``amounts``: {(phase, category): amount}."""
        for (phase, category), amount in amounts.items():
            cell = budget.line_ids.filtered(
                lambda c, p=phase, k=category: c.phase == p and c.category_id == k
            )
            cell.with_user(user or self.it_user).amount = amount

    def _approved_budget(self, amounts=None, project=None):
        budget = self._draft_budget(project)
        if amounts:
            self._set_cells(budget, amounts)
        budget.with_user(self.it_user).action_submit()
        self._review(budget, self.finance, comment="Within the plan.")
        if budget.state == "review":  # a leader's tier too
            self._review(budget, self.leader, comment="Approved.")
        self.assertEqual(budget.state, "approved")
        return budget

    # Purchases

    def _purchase(self, project, lines, phase="development", user=None):
        """A draft purchase order of ``project``: ``lines`` of (product,
        quantity, unit price)."""
        return (
            self.env["purchase.order"]
            .with_user(user or self.finance)
            .create(
                {
                    "partner_id": self.vendor.id,
                    "project_id": project.id,
                    "lianghua_phase": phase,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_qty": qty, "price_unit": price,
                             "taxes_id": [Command.clear()]}
                        )
                        for product, qty, price in lines
                    ],
                }
            )
        )  # fmt: skip

    def _approve_purchase(self, order):
        """Finance's tier on a purchase charged to a budget: one officer asks,
        another approves."""
        order.with_user(self.finance).request_validation()
        order.invalidate_recordset()
        self._review(order, self.finance_2, comment="Charged to the budget.")

    def _confirm(self, order):
        self._approve_purchase(order)
        order.with_user(self.finance).button_confirm()
        self.assertEqual(order.state, "purchase")
        return order

    def _bill(self, order, quantities=None, post=True):
        """The vendor bill of ``order`` (all of it, or ``quantities`` per
        line), posted."""
        action = order.with_user(self.finance).action_create_invoice()
        bill = self.env["account.move"].browse(action["res_id"]).with_user(self.finance)
        bill.invoice_date = fields.Date.today()
        if quantities:
            for line, qty in zip(bill.invoice_line_ids, quantities, strict=True):
                line.quantity = qty
        if post:
            bill.action_post()
        return bill

    def _timesheet(self, project, hours, user=None, **vals):
        return (
            self.env["account.analytic.line"]
            .with_user(user or self.it_user)
            .create({"project_id": project.id, "name": "Work", "unit_amount": hours, **vals})
        )

    def _cell(self, budget, phase, category):
        return budget.line_ids.filtered(lambda c: c.phase == phase and c.category_id == category)
