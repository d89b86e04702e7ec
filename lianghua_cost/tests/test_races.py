"""Two users at the same moment: two purchase orders confirmed at once
cannot together spend more than their budget cell holds; a project has one
budget in preparation.

As in the other addons' race tests, each scenario commits its records in real
cursors and removes them afterwards; cursor B takes its snapshot before cursor
A commits, so B's own checks cannot see A's work.
"""

import psycopg2

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from .common import ensure_chart

CONTEXT = {"lang": "en_US", "tracking_disable": True, "mail_notrack": True}


@tagged("post_install", "-at_install")
class TestCostRaces(TransactionCase):
    def _cursor_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _setup(self):
        """A project with an approved budget of 15,000 for equipment in
        development, and two draft orders of 10,000 each on it, approved by
        their tier: committed."""
        with self.registry.cursor() as cr:
            env = self._cursor_env(cr)
            ensure_chart(env, env.company)
            project = env["project.project"].create({"name": "Race project"})
            project._create_analytic_account()
            budget = env["lianghua.cost.budget"].create(
                {"project_id": project.id, "state": "approved"}
            )
            equipment = env.ref("lianghua_cost.cost_category_equipment")
            cell = budget.line_ids.filtered(
                lambda c: c.phase == "development" and c.category_id == equipment
            )
            cell.amount = 15000
            vendor = env["res.partner"].create({"name": "Race vendor", "is_company": True})
            # One product each: confirming adds the vendor to the product,
            # which would make the orders collide on it instead of the cell.
            products = env["product.product"].create(
                [{"name": f"Race server {n}", "type": "consu",
                  "categ_id": equipment.product_category_ids.id} for n in (1, 2)]
            )  # fmt: skip
            orders = env["purchase.order"]
            for product in products:
                orders |= env["purchase.order"].create(
                    {"partner_id": vendor.id, "project_id": project.id,
                     "order_line": [Command.create(
                         {"product_id": product.id, "product_qty": 1, "price_unit": 10000,
                          "taxes_id": [Command.clear()]})]}
                )  # fmt: skip
            reviews = orders.request_validation()
            reviews.write({"status": "approved"})
            ids = {
                "project": project.id,
                "account": project.account_id.id,
                "budget": budget.id,
                "cell": cell.id,
                "vendor": vendor.id,
                "products": products.ids,
                "orders": orders.ids,
            }
        self.addCleanup(self._remove, ids)
        return ids

    def _remove(self, ids):
        with self.registry.cursor() as cr:
            orders = tuple(ids["orders"])
            cr.execute(
                SQL(
                    "DELETE FROM tier_review WHERE model = 'purchase.order' AND res_id IN %s",
                    orders,
                )
            )
            cr.execute(SQL("DELETE FROM purchase_order WHERE id IN %s", orders))
            cr.execute(
                SQL("DELETE FROM lianghua_cost_budget WHERE project_id = %s", ids["project"])
            )
            cr.execute(SQL("SELECT alias_id FROM project_project WHERE id = %s", ids["project"]))
            alias = cr.fetchone()[0]
            cr.execute(SQL("DELETE FROM project_project WHERE id = %s", ids["project"]))
            # The project's mail alias too: a dangling alias breaks later
            # checks of every alias (a new alias domain, say).
            cr.execute(SQL("DELETE FROM mail_alias WHERE id = %s", alias))
            cr.execute(SQL("DELETE FROM account_analytic_account WHERE id = %s", ids["account"]))
            cr.execute(
                SQL("SELECT product_tmpl_id FROM product_product WHERE id IN %s",
                    tuple(ids["products"]))
            )  # fmt: skip
            templates = tuple(row[0] for row in cr.fetchall())
            cr.execute(
                SQL("DELETE FROM product_supplierinfo WHERE product_tmpl_id IN %s", templates)
            )
            cr.execute(SQL("DELETE FROM product_product WHERE id IN %s", tuple(ids["products"])))
            cr.execute(SQL("DELETE FROM product_template WHERE id IN %s", templates))
            cr.execute(SQL("DELETE FROM res_partner WHERE id = %s", ids["vendor"]))

    def test_two_orders_cannot_overspend_a_cell(self):
        ids = self._setup()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self._cursor_env(cr_a), self._cursor_env(cr_b)
            order_a = env_a["purchase.order"].browse(ids["orders"][0])
            order_b = env_b["purchase.order"].browse(ids["orders"][1])
            # B's snapshot is taken before A commits.
            self.assertEqual(order_b.state, "draft")
            self.assertEqual(
                env_b["lianghua.cost.budget.line"].browse(ids["cell"]).remaining_amount, 15000
            )
            order_a.button_confirm()
            cr_a.commit()
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.SerializationFailure),
            ):
                order_b.button_confirm()
                cr_b.flush()
            cr_b.rollback()
        # Retried (as Odoo retries a request that failed to serialize), B
        # sees A's commitment and is refused.
        with self.registry.cursor() as cr:
            env = self._cursor_env(cr)
            order_b = env["purchase.order"].browse(ids["orders"][1])
            with self.assertRaisesRegex(UserError, r"5,000\.00 too much"):
                order_b.button_confirm()
            cell = env["lianghua.cost.budget.line"].browse(ids["cell"])
            self.assertEqual(cell.committed_amount, 10000)

    def test_one_budget_in_preparation_per_project(self):
        ids = self._setup()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self._cursor_env(cr_a), self._cursor_env(cr_b)
            self.assertFalse(
                env_b["lianghua.cost.budget"].search_count(
                    [("project_id", "=", ids["project"]), ("state", "=", "draft")]
                )
            )
            env_a["lianghua.cost.budget"].browse(ids["budget"])._do_revise()
            cr_a.commit()
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaisesRegex(ValidationError, "one budget in preparation"),
            ):
                env_b["lianghua.cost.budget"].browse(ids["budget"])._do_revise()
            cr_b.rollback()
