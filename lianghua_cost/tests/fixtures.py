"""This addon's records of one company, made through its workflow, for the
suite's multi-company test (``tests/test_multi_company.py``: see its
docstring for the convention)."""

from odoo import Command, fields
from odoo.tests import new_test_user

from .common import ensure_chart


def populate(site):
    """The site's project budgeted from its plan and approved by the
    company's finance, an overrun from the reserve approved, a purchase order
    confirmed and billed, a timesheet, and a cost category of the company's
    own."""
    env = site.env
    company = site.company
    ensure_chart(env, company)
    finance = [
        new_test_user(
            env,
            login=f"lh_finance_{company.id}_{n}",
            name=f"Lh Finance {company.id} {n}",
            groups="base.group_user,lianghua_cost.group_lianghua_finance",
            lang="en_US",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        for n in (1, 2)
    ]
    env["lianghua.cost.category"].create(
        {"name": f"{company.name} travel", "company_id": company.id, "sequence": 55}
    )
    project = site.records["project"]
    action = project.with_user(site.it_user).action_lianghua_draft_budget()
    budget = env["lianghua.cost.budget"].browse(action["res_id"])
    equipment = env.ref("lianghua_cost.cost_category_equipment")
    budget.line_ids.filtered(
        lambda c: c.phase == "development" and c.category_id == equipment
    ).with_user(site.it_user).amount = 20000
    budget.with_user(site.it_user).action_submit()
    site._review(budget, finance[0], comment="Within the plan.")
    if budget.state == "review":
        site._review(budget, site.leader, comment="Approved.")
    cell = budget.line_ids.filtered(
        lambda c: c.phase == "development" and c.category_id == equipment
    )
    overrun = (
        env["lianghua.cost.overrun"]
        .with_user(site.it_user)
        .create({"budget_id": budget.id, "budget_line_id": cell.id, "amount": 1000,
                 "reason": "Cabling."})
    )  # fmt: skip
    overrun.action_submit()
    site._review(overrun, finance[0], comment="From the reserve.")
    vendor = env["res.partner"].create(
        {"name": f"{company.name} Hardware", "is_company": True, "company_id": company.id}
    )
    server = env["product.product"].create(
        {"name": f"{company.name} server", "type": "consu", "purchase_method": "purchase",
         "categ_id": env.ref("lianghua_cost.product_category_it_equipment").id,
         "company_id": company.id}
    )  # fmt: skip
    order = (
        env["purchase.order"]
        .with_user(finance[0])
        .create(
            {"partner_id": vendor.id, "project_id": project.id,
             "company_id": company.id,
             "order_line": [Command.create({"product_id": server.id, "product_qty": 2,
                                            "price_unit": 5000, "taxes_id": [Command.clear()]})]}
        )
    )  # fmt: skip
    order.request_validation()
    order.invalidate_recordset()
    site._review(order, finance[1], comment="Charged to the budget.")
    order.button_confirm()
    bill = env["account.move"].browse(order.action_create_invoice()["res_id"])
    bill.with_user(finance[0]).write({"invoice_date": fields.Date.today()})
    bill.invoice_line_ids.with_user(finance[0]).write({"quantity": 1})
    bill.with_user(finance[0]).action_post()
    employee = site.it_user.with_company(company).employee_id
    employee.sudo().hourly_cost = 180
    env["account.analytic.line"].with_user(site.it_user).create(
        {"project_id": project.id, "name": "Installation", "unit_amount": 6}
    )
    site.records.update({"budget": budget, "purchase_order": order, "vendor_bill": bill})
