from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LianghuaSettlementCommon

# The contract of common.py, figured by hand (5% retention on each bill):
# advance 30,000 - 1,500 retained = 28,500 billed and paid; delivery 40,000 -
# 2,000 retained - 4,000 penalty = 34,000 billed, 17,000 paid; final 30,000
# not billed. Balance due = scheduled 100,000 - paid 45,500 - deductions 4,000
# - retention held 3,500 = 47,000: the 17,000 left on the delivery's bill and
# the final 30,000.
LINES = [
    {"kind": "payment", "name": "Advance", "status": "paid", "planned": 30000.0,
     "billed": 28500.0, "paid": 28500.0, "retained": 1500.0, "deduction": 0.0},
    {"kind": "payment", "name": "Delivery", "status": "partial", "planned": 40000.0,
     "billed": 34000.0, "paid": 17000.0, "retained": 2000.0, "deduction": 0.0},
    {"kind": "payment", "name": "Final", "status": "open", "planned": 30000.0,
     "billed": 0.0, "paid": 0.0, "retained": 0.0, "deduction": 0.0},
    {"kind": "retention", "name": "Retention", "status": "open", "planned": 5000.0,
     "billed": 0.0, "paid": 0.0, "retained": 0.0, "deduction": 0.0},
    {"kind": "breach", "name": "Late delivery", "status": "deducted", "planned": 0.0,
     "billed": 0.0, "paid": 0.0, "retained": 0.0, "deduction": 4000.0},
]  # fmt: skip
FIGURES = {
    "amount_contract": 100000.0,
    "amount_scheduled": 100000.0,
    "amount_billed": 62500.0,
    "amount_paid": 45500.0,
    "amount_deducted": 4000.0,
    "amount_retention_held": 3500.0,
    "amount_retention_released": 0.0,
    "amount_balance": 47000.0,
}


@tagged("post_install", "-at_install")
class TestSettlementFigures(LianghuaSettlementCommon):
    def _lines(self):
        return [*LINES[:4], {**LINES[4], "name": f"{self.breach.name}: Late delivery"}]

    def test_figures_of_the_contract_and_the_budget(self):
        contract = self._contract_with_history()
        settlement = self._settle(contract)
        self.assertRegex(settlement.name, r"^JS\d{4}-\d{4}$")
        self.assertRecordValues(
            settlement,
            [{"state": "draft", "agreement_id": contract.id, "partner_id": self.vendor.id,
              "project_id": self.project.id, "budget_id": self.budget.id,
              "user_id": self.it_user.id, "schedule_mismatch": False, **FIGURES}],
        )  # fmt: skip
        self.assertRecordValues(settlement.line_ids, self._lines())
        self.assertEqual(settlement.line_ids[4].breach_id, self.breach)
        self.assertEqual(
            settlement.line_ids[:2].move_id, contract.lianghua_milestone_ids[:2].move_id
        )
        # The project's approved budget against its actual costs: 10 hours
        # at 200 logged by IT.
        self.assertRecordValues(
            settlement,
            [{"budget_amount": 132000.0, "budget_committed": 0.0, "budget_actual": 2000.0,
              "budget_remaining": 130000.0}],
        )  # fmt: skip
        # The Settle button opens the same settlement from now on, for every reader.
        self.assertEqual(contract.with_user(self.it_user).action_lianghua_settle()["res_id"],
                         settlement.id)  # fmt: skip
        for user in (self.auditor, self.finance, self.leader):
            action = contract.with_user(user).action_view_lianghua_settlement()
            self.assertEqual(action["res_id"], settlement.id)

    def test_draft_figures_follow_the_contract(self):
        contract = self._contract_with_history()
        settlement = self._settle(contract)
        delivery, final = contract.lianghua_milestone_ids[1:3]
        self._pay(delivery.move_id, 17000)
        self.assertRecordValues(settlement, [{"amount_paid": 62500.0, "amount_balance": 30000.0}])
        self.assertEqual(settlement.line_ids[1].status, "paid")
        # A breach recorded after the settlement is a line of it, undecided:
        # the settlement waits for its decision.
        breach = self._breach(contract, "Report late", 1000)
        self.assertEqual(settlement.line_ids.breach_id, self.breach | breach)
        with self.assertRaisesRegex(UserError, "is not decided"):
            settlement.with_user(self.it_user).action_submit()
        breach.action_notify()
        breach.write({"outcome": "First time: waived."})
        breach.with_user(self.it_manager).action_waive()
        # The final payment cancelled: it is no longer due.
        final.with_user(self.it_manager).action_cancel()
        self.assertRecordValues(
            settlement,
            [{"amount_scheduled": 70000.0, "amount_balance": 0.0, "schedule_mismatch": True}],
        )
        self.assertEqual(settlement.line_ids[2].status, "cancel")
        settlement.with_user(self.it_user).action_submit()
        self.assertEqual(settlement.state, "audit")

    def test_audited_then_signed_and_frozen(self):
        contract = self._contract_with_history()
        settlement = self._settle(contract)
        settlement.with_user(self.it_user).note = "Retention released in three months."
        settlement.with_user(self.it_user).action_submit()
        self.assertRecordValues(settlement, [{"state": "audit", **FIGURES}])
        self.assertTrue(settlement.date_figures)
        # The auditor first: finance cannot decide before the audit.
        with self.assertRaisesRegex(UserError, "not waiting for your approval"):
            settlement.with_user(self.finance).validate_tier()
        self._review(settlement, self.auditor, comment="Compliant and accurate.")
        self.assertEqual(settlement.state, "audit")
        # A payment registered during the audit does not change what is audited.
        delivery = contract.lianghua_milestone_ids[1]
        self._pay(delivery.move_id, 7000)
        self.assertRecordValues(settlement, [{"amount_paid": 45500.0}])
        self._review(settlement, self.finance, comment="Signed.")
        self.assertRecordValues(
            settlement,
            [{"state": "settled", "date_settled": self.today, "budget_actual": 2000.0,
              **FIGURES}],
        )  # fmt: skip
        # Later payments, bills and costs leave the settlement as it was signed.
        self._pay(delivery.move_id, 10000)
        self.env["account.analytic.line"].with_user(self.it_user).create(
            {"project_id": self.project.id, "name": "Go-live support", "unit_amount": 5}
        )
        self.env.flush_all()
        settlement.invalidate_recordset()
        settlement.line_ids.invalidate_recordset()
        self.assertRecordValues(settlement, [{"budget_actual": 2000.0, **FIGURES}])
        self.assertRecordValues(settlement.line_ids, self._lines())
        self.assertIn(
            f"Settlement {settlement.name} signed",
            contract.message_ids[:1].body,
        )
        # Read-only for everybody, whatever the client sends.
        for user in (self.it_user, self.it_manager, self.finance):
            with self.assertRaisesRegex(UserError, "kept as it is"):
                settlement.with_user(user).write({"note": "Changed."})
        with self.assertRaises(AccessError):
            settlement.with_user(self.auditor).write({"note": "Changed."})
        with self.assertRaisesRegex(UserError, "set by its workflow"):
            settlement.with_user(self.it_user).write({"state": "draft"})
        with self.assertRaisesRegex(UserError, "set by its workflow"):
            settlement.with_user(self.it_user).write(
                {"line_ids": [Command.update(settlement.line_ids[0].id, {"paid": 0})]}
            )
        with self.assertRaises(AccessError):
            settlement.line_ids[0].with_user(self.it_user).write({"paid": 0})
        for action in ("action_submit", "action_cancel"):
            with self.assertRaises(UserError):
                getattr(settlement.with_user(self.it_user), action)()
        with self.assertRaises(UserError):  # its reviews first: the workflow's
            settlement.with_user(self.it_user).unlink()
        self.assertEqual(settlement.note, "Retention released in three months.")

    def test_rejected_returns_to_the_draft_with_a_to_do(self):
        contract = self._contract_with_history()
        settlement = self._settle(contract)
        settlement.with_user(self.it_user).action_submit()
        self._review(settlement, self.auditor, "reject", "The retention release is missing.")
        self.assertRecordValues(
            settlement,
            [{"state": "draft", "rejection_reason": "The retention release is missing.",
              "date_figures": False}],
        )  # fmt: skip
        self.assertEqual(settlement.activity_ids.user_id, self.it_user)
        self.assertEqual(settlement.activity_ids.note, "<p>The retention release is missing.</p>")
        # Live again.
        self._pay(contract.lianghua_milestone_ids[1].move_id, 17000)
        self.assertEqual(settlement.amount_paid, 62500.0)
        settlement.with_user(self.it_user).action_submit()
        self.assertEqual(settlement.state, "audit")

    def test_penalty_credited_and_retention_released(self):
        """Everything billed and paid, the retention released: a penalty
        agreed afterwards is credited, and the vendor owes it."""
        contract = self._signed(
            self._create_contract(
                lianghua_retention_percent=10,
                lianghua_retention_release_date=self.today,
                lianghua_milestone_ids=[
                    Command.create({"name": "Service", "amount_type": "fixed", "amount": 100000,
                                    "condition": "date", "date_planned": self.today}),
                    Command.create({"name": "Retention", "amount_type": "fixed", "amount": 0,
                                    "condition": "retention"}),
                ],
            )
        )  # fmt: skip
        service, retention = contract.lianghua_milestone_ids
        service.with_user(self.finance).action_bill()
        retention.with_user(self.finance).action_bill()
        for bill, amount in ((service.move_id, 90000), (retention.move_id, 10000)):
            self._post(bill)
            self._pay(bill, amount)
        breach = self._breach(contract, "Data leak", 2000)
        breach.action_notify()
        breach.with_user(self.it_manager).action_agree_penalty()
        self._post(breach.move_id)
        settlement = self._settle(contract)
        self.assertRecordValues(
            settlement,
            [{"amount_scheduled": 100000.0, "amount_billed": 98000.0, "amount_paid": 100000.0,
              "amount_deducted": 2000.0, "amount_retention_held": 0.0,
              "amount_retention_released": 10000.0, "amount_balance": -2000.0,
              "budget_id": False, "budget_amount": 0.0}],
        )  # fmt: skip
        self.assertRecordValues(
            settlement.line_ids,
            [{"kind": "payment", "planned": 100000.0, "billed": 90000.0, "paid": 90000.0,
              "retained": 10000.0, "deduction": 0.0},
             {"kind": "retention", "planned": 10000.0, "billed": 10000.0, "paid": 10000.0,
              "retained": -10000.0, "deduction": 0.0},
             {"kind": "breach", "planned": 0.0, "billed": -2000.0, "paid": 0.0,
              "retained": 0.0, "deduction": 2000.0}],
        )  # fmt: skip
        # The vendor pays the credit note back: nothing is due either way.
        self._pay(breach.move_id, 2000)
        self.assertRecordValues(settlement, [{"amount_paid": 98000.0, "amount_balance": 0.0}])


@tagged("post_install", "-at_install")
class TestSettlementBadInput(LianghuaSettlementCommon):
    def test_only_contracts_in_force_or_ended_are_settled(self):
        Settlement = self.env["lianghua.contract.settlement"].with_user(self.it_user)
        draft = self._create_contract()
        with self.assertRaisesRegex(UserError, "cannot be settled: it is Draft"):
            Settlement.create({"agreement_id": draft.id})
        with self.assertRaisesRegex(UserError, "cannot be settled"):
            draft.with_user(self.it_user).action_lianghua_settle()
        other = self.env["agreement"].create({"name": "Lease", "code": "L-1"})
        with self.assertRaisesRegex(UserError, "not a service contract"):
            Settlement.create({"agreement_id": other.id})
        for value, pattern in ((False, "needs its Contract"), ("1", "must name one record"),
                               (2_000_000_000, "does not exist")):  # fmt: skip
            with self.assertRaisesRegex(ValidationError, pattern):
                Settlement.create({"agreement_id": value})
        self.assertFalse(self.env["lianghua.contract.settlement"].search([]))

    def test_a_contract_is_settled_once(self):
        contract = self._signed(self._create_contract())
        Settlement = self.env["lianghua.contract.settlement"].with_user(self.it_user)
        with self.assertRaisesRegex(ValidationError, "settled once"):
            Settlement.create([{"agreement_id": contract.id}, {"agreement_id": contract.id}])
        settlement = Settlement.create({"agreement_id": contract.id})
        with self.assertRaisesRegex(ValidationError, "settled once"):
            Settlement.create({"agreement_id": contract.id})
        # Cancelled, it leaves room for a new one.
        settlement.action_cancel()
        self.assertEqual(self._settle(contract).state, "draft")

    def test_workflow_fields_are_the_workflows(self):
        contract = self._signed(self._create_contract())
        Settlement = self.env["lianghua.contract.settlement"].with_user(self.it_user)
        for vals in ({"state": "settled"}, {"date_settled": self.today},
                     {"budget_snapshot": {"amount": 1}}):  # fmt: skip
            with self.assertRaisesRegex(UserError, "set by its workflow"):
                Settlement.create({"agreement_id": contract.id, **vals})
        settlement = Settlement.with_context(default_state="settled").create(
            {"agreement_id": contract.id}
        )
        self.assertEqual(settlement.state, "draft")
        other = self._signed(self._create_contract(name="Other"))
        with self.assertRaisesRegex(UserError, "stays with its contract"):
            settlement.write({"agreement_id": other.id})
        settlement.action_submit()
        with self.assertRaisesRegex(UserError, "is not a draft"):
            settlement.action_submit()
