from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LianghuaSettlementCommon


@tagged("post_install", "-at_install")
class TestSettlementAccess(LianghuaSettlementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Lianghua Subsidiary"})
        dept_b = cls.env["hr.department"].create(
            {"name": "Subsidiary IT", "company_id": cls.company_b.id}
        )
        cls.it_user_b = cls._user("lh_it_b", "it_user", dept_b, company=cls.company_b)
        cls.finance_b = new_test_user(
            cls.env,
            login="lh_finance_b",
            name="Lh Finance B",
            email="lh_finance_b@example.com",
            lang="en_US",
            groups="base.group_user,lianghua_cost.group_lianghua_finance",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )

    def setUp(self):
        super().setUp()
        self.contract = self._signed(
            self._create_contract(
                lianghua_milestone_ids=[
                    Command.create({"name": "Advance", "percent": 100, "condition": "date",
                                    "date_planned": self.today})
                ]
            )
        )  # fmt: skip
        self.settlement = self._settle(self.contract)

    def test_who_reads(self):
        settlement = self.settlement
        for user in (self.it_user, self.it_manager, self.finance, self.leader, self.auditor):
            self.assertEqual(
                settlement.with_user(user).search([]), settlement.with_user(user), user.login
            )
            settlement.with_user(user).read(["name", "amount_balance"])
            settlement.line_ids.with_user(user).read(["name", "paid"])
        for user in (self.requester, self.dept_manager, self.legal, self.vendor_portal):
            Settlement = self.env["lianghua.contract.settlement"].with_user(user)
            with self.assertRaises(AccessError, msg=user.login):
                Settlement.search([])
            with self.assertRaises(AccessError, msg=user.login):
                settlement.with_user(user).read(["name"])
            with self.assertRaises(AccessError, msg=user.login):
                settlement.line_ids.with_user(user).read(["name"])
            with self.assertRaises(UserError, msg=user.login):
                settlement.with_user(user).action_view_contract()
            # The contract's link to its settlement is not theirs.
            with self.assertRaises(UserError, msg=user.login):
                self.contract.with_user(user).action_view_lianghua_settlement()
        # The other company's people see nothing of it.
        for user in (self.it_user_b, self.finance_b):
            self.assertFalse(
                self.env["lianghua.contract.settlement"].with_user(user).search([]), user.login
            )
            with self.assertRaises(AccessError, msg=user.login):
                settlement.with_user(user).read(["name"])

    def test_who_acts(self):
        settlement = self.settlement
        # Auditors, leaders, business users, vendors and the other company's
        # IT and finance change nothing, through any button or write.
        outsiders = (
            self.auditor, self.leader, self.requester, self.vendor_portal, self.it_user_b,
            self.finance_b,
        )  # fmt: skip
        for user in outsiders:
            as_user = settlement.with_user(user)
            for method in ("action_submit", "action_cancel", "validate_tier", "reject_tier"):
                with self.assertRaises(UserError, msg=f"{method} {user.login}"):
                    getattr(as_user, method)()
            with self.assertRaises(UserError, msg=user.login):
                as_user.write({"note": "Changed."})
            with self.assertRaises(UserError, msg=user.login):
                as_user.unlink()
            with self.assertRaises(UserError, msg=user.login):
                as_user.message_post(body="Noted.")
            with self.assertRaises(UserError, msg=user.login):
                self.contract.with_user(user).action_lianghua_settle()
        # Only IT prepares a settlement: finance edits drafts but does not create.
        contract = self._signed(self._create_contract(name="Second"))
        for user in (self.finance, self.auditor, self.leader):
            with self.assertRaises(UserError, msg=user.login):
                self.env["lianghua.contract.settlement"].with_user(user).create(
                    {"agreement_id": contract.id}
                )
        # The other company's IT cannot settle this company's contract.
        with self.assertRaises(UserError):
            self.env["lianghua.contract.settlement"].with_user(self.it_user_b).create(
                {"agreement_id": contract.id}
            )
        settlement.with_user(self.finance).note = "Checked against the ledger."
        self.assertEqual(settlement.state, "draft")
        self.assertEqual(settlement.note, "Checked against the ledger.")
        # Who submitted does not decide.
        settlement.with_user(self.it_user).action_submit()
        with self.assertRaises(UserError):
            settlement.with_user(self.it_user).validate_tier()
