from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestDemandList(LianghuaServiceCommon):
    """The periodic intake: a department's demand list becomes requests for IT."""

    def _demand_list(self, manager=None, department=None, items=2, **vals):
        manager = manager or self.dept_manager
        form = Form(self.env["lianghua.demand.list"].with_user(manager))
        form.period_type = "quarter"
        form.year = 2031
        form.quarter = vals.get("quarter", "1")
        if department:
            form.department_id = department
        for index in range(items):
            with form.item_ids.new() as item:
                item.name = f"Need {index + 1}"
                item.service_type_id = self.service_type
                item.background = "Today it is done by hand."
                item.content = "Automate it."
                item.expected_goal = "Half the time."
                item.date_required = self.future
                item.business_priority = str(index % 4)
        return form.save()

    def test_submission_raises_one_request_per_item(self):
        demand_list = self._demand_list()
        self.assertRecordValues(
            demand_list,
            [
                {
                    "name": "Sales 2031 Q1",
                    "department_id": self.dept_sales.id,
                    "state": "draft",
                    "period": "2031 Q1",
                    "manager_id": self.dept_manager.id,
                }
            ],
        )

        demand_list.with_user(self.dept_manager).action_submit()

        self.assertEqual(demand_list.state, "submitted")
        requests = demand_list.item_ids.request_id
        self.assertEqual(len(requests), 2)
        self.assertEqual(demand_list.request_count, 2)
        common = {
            "origin": "demand_list",
            "urgency": "planned",
            "state": "to_evaluate",
            "requester_id": self.dept_manager.id,
            "department_id": self.dept_sales.id,
            "demand_list_id": demand_list.id,
            "expected_goal": "Half the time.",
        }
        self.assertRecordValues(
            requests.sorted("title"),
            [
                {**common, "title": "Need 1", "priority": "0"},
                {**common, "title": "Need 2", "priority": "1"},
            ],
        )
        self.assertIn("Automate it.", requests[0].description)

    def test_it_consolidates_the_period_across_departments(self):
        sales = self._demand_list(items=2)
        production = self._demand_list(
            manager=self.dept_manager_prod, department=self.dept_production, items=2
        )
        (sales | production).with_user(self.it_user).action_submit()
        items = (sales | production).item_ids
        sales_1, sales_2 = sales.item_ids.sorted("name")
        prod_1, prod_2 = production.item_ids.sorted("name")

        # IT ranks: production's first need first, then sales' second.
        prod_1.with_user(self.it_user).it_priority = "3"
        sales_2.with_user(self.it_user).it_priority = "2"
        items.invalidate_recordset(["consolidation_rank"])

        ranking = (
            self.env["lianghua.demand.item"]
            .with_user(self.it_user)
            .search(
                [("period", "=", "2031 Q1"), ("list_state", "=", "submitted")],
                order="it_priority desc, business_priority desc, date_required asc, id asc",
            )
        )
        self.assertEqual(ranking.ids, (prod_1 | sales_2 | prod_2 | sales_1).ids)
        self.assertEqual(ranking.mapped("consolidation_rank"), [1, 2, 3, 4])

        # A department manager sees the rank among all departments, not only his own.
        own = sales.item_ids.with_user(self.dept_manager)
        self.assertEqual(sorted(own.mapped("consolidation_rank")), [2, 4])

    def test_consolidation_list_queries_do_not_grow_with_items(self):
        """The consolidation list is IT's hot path: a fixed number of queries."""
        small = self._demand_list(items=2, quarter="1")
        large = self._demand_list(items=12, quarter="2")
        (small | large).with_user(self.it_user).action_submit()
        Item = self.env["lianghua.demand.item"].with_user(self.it_user)
        specification = {
            name: {}
            for name in (
                "consolidation_rank",
                "period",
                "name",
                "it_priority",
                "business_priority",
                "date_required",
                "request_state",
            )
        }
        specification["department_id"] = {"fields": {"display_name": {}}}

        for demand_list, count in ((small, 2), (large, 12)):
            self.env.invalidate_all()
            with self.assertQueryCount(5):
                result = Item.web_search_read(
                    [("list_id", "=", demand_list.id)],
                    specification,
                    order="it_priority desc, business_priority desc, date_required, id",
                )
            self.assertEqual(result["length"], count)
            self.assertEqual(
                [r["consolidation_rank"] for r in result["records"]], list(range(1, count + 1))
            )

    def test_only_it_sets_the_it_priority(self):
        demand_list = self._demand_list()
        demand_list.with_user(self.dept_manager).action_submit()
        item = demand_list.item_ids[0]
        with self.assertRefused(UserError, "Only IT"):
            item.with_user(self.dept_manager).it_priority = "3"
        with self.assertRefused(UserError, "can no longer be changed"):
            item.with_user(self.dept_manager).name = "Something else"
        self.assertEqual(item.it_priority, "0")
        self.assertEqual(item.name, "Need 1")

    def test_a_submitted_list_is_frozen(self):
        demand_list = self._demand_list()
        demand_list.with_user(self.dept_manager).action_submit()
        with self.assertRefused(UserError, "can no longer be changed"):
            demand_list.with_user(self.dept_manager).write({"year": 2030})
        with self.assertRefused(UserError, "can no longer be changed"):
            demand_list.with_user(self.it_user).write({"department_id": self.dept_production.id})
        demand_list.with_user(self.dept_manager).note = "<p>Budget approved in March.</p>"
        draft = self._demand_list(quarter="2", items=1)
        with self.assertRefused(UserError, "stays in its demand list"):
            draft.item_ids.with_user(self.dept_manager).list_id = demand_list
        self.assertUnchanged(
            demand_list, {"period": "2031 Q1", "department_id": self.dept_sales.id}
        )
        self.assertEqual(len(demand_list.item_ids), 2)

    def test_items_due_in_the_past_are_refused(self):
        demand_list = self._demand_list(items=1)
        demand_list.item_ids.date_required = "2020-01-01"
        with self.assertRefused(ValidationError, "in the past"):
            demand_list.with_user(self.dept_manager).action_submit()
        self.assertUnchanged(demand_list, {"state": "draft"})
        self.assertFalse(demand_list.item_ids.request_id)

    def test_submitting_a_list_costs_a_fixed_number_of_queries_per_item(self):
        """Filing the items as requests is batched: the cost per item is bounded."""
        small = self._demand_list(items=2, quarter="1")
        large = self._demand_list(items=12, quarter="2")
        counts = []
        for demand_list in (small, large):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            demand_list.with_user(self.dept_manager).action_submit()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
        per_item = (counts[1] - counts[0]) / 10
        self.assertLessEqual(per_item, 3, f"{counts} queries for 2 and 12 items")
