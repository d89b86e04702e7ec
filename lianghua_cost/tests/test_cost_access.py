from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import LianghuaCostCommon


@tagged("post_install", "-at_install")
class TestCostAccess(LianghuaCostCommon):
    """Who reads and who changes budgets, their cells and overruns; what
    bad input gets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        helper = cls("test_readers")
        cls.budget = helper._approved_budget({("development", cls.category_equipment): 15000})
        cls.cell = helper._cell(cls.budget, "development", cls.category_equipment)
        cls.overrun = (
            cls.env["lianghua.cost.overrun"]
            .with_user(cls.it_user)
            .create(
                {"budget_id": cls.budget.id, "budget_line_id": cls.cell.id, "amount": 1000,
                 "reason": "Cables."}
            )
        )  # fmt: skip
        other_company = cls.env["res.company"].create({"name": "Other Company"})
        other_dept = cls.env["hr.department"].create(
            {"name": "Other IT", "company_id": other_company.id}
        )
        cls.it_other_company = cls._user("lh_it_other", "it_manager", other_dept, other_company)
        cls.finance_other_company = new_test_user(
            cls.env,
            login="lh_finance_other",
            groups="base.group_user,lianghua_cost.group_lianghua_finance",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        cls.portal = new_test_user(cls.env, login="lh_cost_portal", groups="base.group_portal")

    def _readable(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_readers(self):
        records = (self.budget, self.cell, self.overrun)
        for user in (self.it_user, self.finance, self.leader, self.auditor):
            for record in records:
                with self.subTest(user=user.login, model=record._name):
                    self.assertEqual(self._readable(user, record), record)
        self.assertEqual(
            self.env["lianghua.cost.report"]
            .with_user(self.auditor)
            .search_count([("project_id", "=", self.budget.project_id.id)]),
            3,  # personnel, equipment, contingency
        )

    def test_requesters_portal_and_other_companies_see_no_budget(self):
        for user in (self.requester, self.dept_manager, self.portal):
            for record in (self.budget, self.cell, self.overrun):
                with self.subTest(user=user.login, model=record._name):
                    with self.assertRaises(AccessError):
                        record.with_user(user).read(["display_name"])
            with self.assertRaises(AccessError):
                self.env["lianghua.cost.report"].with_user(user).search([])
        for user in (self.it_other_company, self.finance_other_company):
            for record in (self.budget, self.cell, self.overrun):
                with self.subTest(user=user.login, model=record._name):
                    self.assertFalse(self._readable(user, record))
                    with self.assertRaises(AccessError):
                        record.with_user(user).read(["display_name"])
        # A requester's project form shows no budget count.
        project = self.budget.project_id.with_user(self.requester)
        if project.has_access("read"):
            self.assertEqual(project.lianghua_budget_count, 0)

    def test_nobody_but_preparers_acts_on_budgets(self):
        draft = self._draft_budget()
        for user in (self.requester, self.leader, self.auditor, self.portal):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    draft.with_user(user).action_submit()
                with self.assertRaises(UserError):
                    self.budget.with_user(user).action_revise()
                with self.assertRaises(UserError):
                    self.overrun.with_user(user).action_submit()
                with self.assertRaises(UserError):
                    draft.line_ids[:1].with_user(user).write({"amount": 1})
        for user in (self.it_other_company, self.finance_other_company):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    draft.with_user(user).action_submit()
                with self.assertRaises(UserError):
                    self.overrun.with_user(user).action_submit()
                with self.assertRaises(UserError):
                    self.budget.with_user(user).action_revise()
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.overrun.state, "draft")

    def test_approved_budget_is_frozen_but_its_explanation(self):
        with self.assertRaisesRegex(UserError, "revise an approved budget"):
            self.cell.with_user(self.it_user).amount = 99999
        with self.assertRaisesRegex(UserError, "revise an approved budget"):
            self.budget.with_user(self.finance).date_to = "2030-01-01"
        self.budget.with_user(self.it_user).variance_cause = "Prices rose."
        self.assertEqual(self.cell.amount, 15000)
        with self.assertRaisesRegex(UserError, "keeps its place"):
            self._draft_budget().line_ids[:1].with_user(self.it_user).phase = "operation"

    def test_workflow_fields_are_the_workflows(self):
        draft = self._draft_budget()
        for vals in ({"state": "approved"}, {"alert": True}, {"version": 7}):
            with self.subTest(vals=vals):
                with self.assertRaises(UserError):
                    draft.with_user(self.it_user).write(vals)
        with self.assertRaises(UserError):
            self.env["lianghua.cost.budget"].with_user(self.finance).create(
                {"project_id": self._approved_plan().project_id.id, "state": "approved"}
            )
        with self.assertRaises(UserError):
            self.overrun.with_user(self.it_user).write({"state": "approved"})
        with self.assertRaises(UserError):
            self.budget.with_user(self.finance).validate_tier()  # nothing to review

    def test_auditor_and_leader_write_nothing(self):
        for user in (self.auditor, self.leader):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):  # access error or refusal
                    self.budget.with_user(user).write({"variance_cause": "x"})
                with self.assertRaises(UserError):
                    self.overrun.with_user(user).write({"reason": "x"})
                with self.assertRaises(UserError):
                    self.env["lianghua.cost.overrun"].with_user(user).create(
                        {"budget_id": self.budget.id, "budget_line_id": self.cell.id,
                         "amount": 1, "reason": "x"}
                    )  # fmt: skip

    def test_bad_input(self):
        draft = self._draft_budget()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            draft.line_ids[:1].with_user(self.it_user).amount = -5
        Overrun = self.env["lianghua.cost.overrun"].with_user(self.it_user)
        with self.assertRaisesRegex(ValidationError, "above zero"):
            Overrun.create(
                {"budget_id": self.budget.id, "budget_line_id": self.cell.id, "amount": 0,
                 "reason": "x"}
            )  # fmt: skip
        with self.assertRaisesRegex(UserError, "approved budget"):
            Overrun.create(
                {"budget_id": draft.id, "budget_line_id": draft.line_ids[:1].id, "amount": 5,
                 "reason": "x"}
            )  # fmt: skip
        reserve = self._cell(self.budget, "development", self.category_contingency)
        with self.assertRaisesRegex(ValidationError, "cannot fund itself"):
            Overrun.create(
                {"budget_id": self.budget.id, "budget_line_id": reserve.id, "amount": 5,
                 "reason": "x"}
            )  # fmt: skip
        with self.assertRaisesRegex(ValidationError, "must name one record"):
            Overrun.create(
                {"budget_id": "1", "budget_line_id": self.cell.id, "amount": 5, "reason": "x"}
            )
        with self.assertRaisesRegex(ValidationError, "does not exist"):
            Overrun.create(
                {"budget_id": 999999, "budget_line_id": self.cell.id, "amount": 5, "reason": "x"}
            )
        empty = self._draft_budget()
        empty.line_ids.with_user(self.it_user).write({"amount": 0})
        with self.assertRaisesRegex(UserError, "no amount"):
            empty.with_user(self.it_user).action_submit()
        with self.assertRaisesRegex(UserError, "has a budget already"):
            self.budget.project_id.with_user(self.it_user).action_lianghua_draft_budget()
        with (
            self.assertRaisesRegex(UserError, "one budget in preparation"),
            mute_logger("odoo.sql_db"),
        ):
            self.budget.with_user(self.it_user).action_revise()
            self.budget.with_user(self.it_user).action_revise()

    def test_purchases_need_an_approved_budget_and_a_real_cell(self):
        project = self._draft_budget().project_id
        order = self._purchase(project, [(self.server, 1, 100)])
        self._approve_purchase(order)
        with self.assertRaisesRegex(UserError, "no approved budget"):
            order.with_user(self.finance).button_confirm()
        order = self._purchase(self.budget.project_id, [(self.server, 1, 100)])
        order.order_line.with_user(
            self.finance
        ).lianghua_cost_category_id = self.category_contingency
        self._approve_purchase(order)
        with self.assertRaisesRegex(UserError, "Nothing is bought on the contingency"):
            order.with_user(self.finance).button_confirm()
        self.assertEqual(order.state, "draft")
