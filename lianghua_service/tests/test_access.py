from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestAccess(LianghuaServiceCommon):
    """Rights come from groups and record rules, not from hidden buttons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_request = (
            cls.env["lianghua.request"]
            .with_user(cls.requester)
            .create({"title": "Sales dashboard", "service_type_id": cls.service_type.id})
        )
        cls.prod_request = (
            cls.env["lianghua.request"]
            .with_user(cls.requester_prod)
            .create({"title": "Machine data", "service_type_id": cls.service_type.id})
        )
        cls.all_requests = cls.sales_request | cls.prod_request

    def _visible(self, user):
        return (
            self.env["lianghua.request"]
            .with_user(user)
            .search([("id", "in", self.all_requests.ids)])
        )

    def test_requester_sees_only_their_department(self):
        self.assertEqual(self._visible(self.requester), self.sales_request)
        self.assertEqual(self._visible(self.colleague), self.sales_request)
        self.assertEqual(self._visible(self.requester_prod), self.prod_request)
        with self.assertRaises(AccessError):
            self.prod_request.with_user(self.requester).read(["title"])

    def test_department_manager_sees_their_department(self):
        self.assertEqual(self._visible(self.dept_manager), self.sales_request)
        # ...and manages it, though he did not file it.
        self.sales_request.with_user(self.dept_manager).write({"title": "Sales KPI dashboard"})
        with self.assertRaises(AccessError):
            self.prod_request.with_user(self.dept_manager).write({"title": "x"})

    def test_colleague_reads_but_does_not_change_a_request(self):
        with self.assertRaises(AccessError):
            self.sales_request.with_user(self.colleague).write({"title": "Mine now"})
        self.assertEqual(self.sales_request.title, "Sales dashboard")

    def test_it_leader_and_auditor_see_every_department(self):
        for user in (self.it_user, self.leader, self.auditor):
            self.assertEqual(self._visible(user), self.all_requests, user.login)

    def test_auditor_cannot_write(self):
        for model, record in (
            ("lianghua.request", self.sales_request),
            ("lianghua.service.type", self.service_type),
            ("lianghua.evaluation.dimension", self.env.ref("lianghua_service.dimension_cost")),
        ):
            with self.assertRaises(AccessError, msg=model):
                record.with_user(self.auditor).write(
                    {"name" if model != "lianghua.request" else "title": "Changed"}
                )
        with self.assertRaises(AccessError):
            self.env["lianghua.request"].with_user(self.auditor).create(
                {
                    "title": "Audit tool",
                    "service_type_id": self.service_type.id,
                    "department_id": self.dept_board.id,
                }
            )
        with self.assertRaises(AccessError):
            self.sales_request.with_user(self.auditor).unlink()

    def test_requester_cannot_approve_or_evaluate(self):
        self.sales_request.write(self._request_vals(urgency="urgent", urgency_reason="Soon"))
        self.sales_request.with_user(self.requester).action_submit()
        with self.assertRefused(UserError, "not waiting for your approval"):
            self.sales_request.with_user(self.requester).validate_tier()
        self.assertEqual(self.sales_request.state, "to_approve")

        self._leader_decides(self.sales_request, "validate", "OK")
        with self.assertRefused(UserError, "Only IT staff evaluate requests"):
            self.sales_request.with_user(self.requester).action_start_evaluation()
        with self.assertRefused(UserError, "Only IT staff evaluate requests"):
            self.env["lianghua.evaluation"].with_user(self.requester).create(
                {"request_id": self.sales_request.id}
            )
        self.assertEqual(self.sales_request.state, "to_evaluate")
        self.assertFalse(self.sales_request.evaluation_ids)

        # Only IT concludes an evaluation.
        self.sales_request.with_user(self.it_user).action_start_evaluation()
        evaluation = self.sales_request.evaluation_id
        with self.assertRaises(AccessError):
            evaluation.with_user(self.requester).write({"conclusion": "accepted"})
        with self.assertRefused(UserError, "Only IT staff conclude evaluations"):
            evaluation.with_user(self.leader).action_conclude()
        self.assertEqual(evaluation.state, "draft")

    def test_nobody_writes_the_state_directly(self):
        for user in (self.requester, self.it_user, self.it_manager, self.admin):
            with self.assertRefused(UserError, "only through its buttons"):
                self.sales_request.with_user(user).write({"state": "accepted"})
        self.assertEqual(self.sales_request.state, "draft")
        with self.assertRaises(UserError):
            self.env["lianghua.request"].with_user(self.requester).create(
                {
                    "title": "Straight to accepted",
                    "service_type_id": self.service_type.id,
                    "state": "accepted",
                }
            )

    def test_catalogue_is_configured_by_it_managers(self):
        with self.assertRaises(AccessError):
            self.service_type.with_user(self.it_user).write({"name": "Renamed"})
        self.service_type.with_user(self.it_manager).write({"name": "Renamed"})
        self.assertEqual(self.service_type.name, "Renamed")

    def test_demand_lists_follow_departments(self):
        demand_list = (
            self.env["lianghua.demand.list"]
            .with_user(self.dept_manager)
            .create({"period_type": "year", "year": 2032})
        )
        self.assertEqual(demand_list.department_id, self.dept_sales)
        List = self.env["lianghua.demand.list"]
        self.assertEqual(
            List.with_user(self.requester).search([("id", "=", demand_list.id)]), demand_list
        )
        self.assertFalse(List.with_user(self.requester_prod).search([("id", "=", demand_list.id)]))
        with self.assertRaises(AccessError):
            List.with_user(self.requester).create({"period_type": "year", "year": 2033})
        with self.assertRaises(AccessError):
            demand_list.with_user(self.dept_manager_prod).write({"year": 2034})

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.it_user.company_ids |= other
        dept_other = self.env["hr.department"].create({"name": "Other IT", "company_id": other.id})
        foreign = self.env["lianghua.request"].create(
            self._request_vals(
                company_id=other.id, requester_id=self.it_user.id, department_id=dept_other.id
            )
        )
        main = self.env.company
        # IT sees every department, but only in the companies it works in.
        Request = self.env["lianghua.request"].with_user(self.it_manager)
        self.assertFalse(Request.search([("id", "=", foreign.id)]))
        Request = self.env["lianghua.request"].with_user(self.it_user)
        self.assertFalse(
            Request.with_context(allowed_company_ids=[main.id]).search([("id", "=", foreign.id)])
        )
        self.assertEqual(
            Request.with_context(allowed_company_ids=[other.id]).search([("id", "=", foreign.id)]),
            foreign,
        )

    def test_workflow_fields_are_not_written_by_hand(self):
        request = self.sales_request
        request.write(self._request_vals())
        request.with_user(self.requester).action_submit()
        for user, vals in (
            (self.requester, {"rejection_reason": "Forged"}),
            (self.requester, {"name": "REQ/0000"}),
            (self.requester, {"date_submitted": "2020-01-01 00:00:00"}),
            (self.dept_manager, {"origin": "demand_list"}),
            (self.it_user, {"info_requested": "Forged"}),
            (self.requester, {"evaluator_id": self.requester.id}),
            (self.leader, {"title": "Rewritten under approval"}),
        ):
            with self.assertRefused(UserError, "workflow|Only IT|submitted|closed"):
                request.with_user(user).write(vals)
        self.assertUnchanged(
            request,
            {
                "rejection_reason": False,
                "origin": "form",
                "evaluator_id": self.it_user.id,
                "title": "CRM mobile client",
                "state": "to_evaluate",
            },
        )
        # IT assigns the evaluator of an open request.
        request.with_user(self.it_user).write({"evaluator_id": self.it_manager.id})
        self.assertEqual(request.evaluator_id, self.it_manager)

    def test_business_users_file_for_their_own_department(self):
        Request = self.env["lianghua.request"].with_user(self.requester)
        with self.assertRefused(UserError, "your own department"):
            Request.create(self._request_vals(department_id=self.dept_production.id))
        with self.assertRefused(UserError, "someone else's name"):
            Request.create(self._request_vals(requester_id=self.colleague.id))
        # The department manager files in a colleague's name; IT for anyone.
        mine = (
            self.env["lianghua.request"]
            .with_user(self.dept_manager)
            .create(self._request_vals(requester_id=self.colleague.id))
        )
        self.assertEqual(mine.department_id, self.dept_sales)
        hotline = (
            self.env["lianghua.request"]
            .with_user(self.it_user)
            .create(self._request_vals(requester_id=self.requester_prod.id))
        )
        self.assertEqual(hotline.department_id, self.dept_production)

    def test_department_managers_compile_their_own_lists(self):
        List = self.env["lianghua.demand.list"].with_user(self.dept_manager)
        with self.assertRefused(UserError, "your own department"):
            List.create(
                {"period_type": "year", "year": 2033, "department_id": self.dept_production.id}
            )
        with self.assertRefused(UserError, "in their own name"):
            List.create({"period_type": "year", "year": 2033, "manager_id": self.colleague.id})
        # Production's own list for the period is not blocked by a foreign one.
        production = (
            self.env["lianghua.demand.list"]
            .with_user(self.dept_manager_prod)
            .create({"period_type": "year", "year": 2033})
        )
        self.assertEqual(production.department_id, self.dept_production)
