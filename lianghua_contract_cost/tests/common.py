from odoo import Command

from odoo.addons.lianghua_contract.tests.common import LianghuaContractCommon

FINANCE_GROUP = "lianghua_cost.group_lianghua_finance"


class LianghuaSettlementCommon(LianghuaContractCommon):
    """The contract suite's people, with finance in the finance group of the
    cost policy (it signs settlements and approves budgets), and a project
    whose budget is approved, with hours logged on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance.groups_id = [Command.link(cls.env.ref(FINANCE_GROUP).id)]
        cls.it_user.employee_id.hourly_cost = 200.0
        helper = cls()  # the helpers of common.py are instance methods
        cls.project = helper._approved_plan().project_id
        cls.budget = helper._budget(cls.project)
        cls.env["account.analytic.line"].with_user(cls.it_user).create(
            {"project_id": cls.project.id, "name": "Interface design", "unit_amount": 10}
        )

    def _budget(self, project):
        """The project's budget drafted from its plan (development: 120,000
        of personnel and 12,000 of contingency), approved by finance."""
        action = project.with_user(self.it_user).action_lianghua_draft_budget()
        budget = self.env["lianghua.cost.budget"].browse(action["res_id"])
        budget.with_user(self.it_user).action_submit()
        self._review(budget, self.finance, comment="Within the plan.")
        self.assertEqual(budget.state, "approved")
        return budget

    # Contracts

    def _signed(self, contract):
        self._fill_sections(contract)
        contract.action_submit_review()
        self._review(contract, self.legal)
        contract.write({"signed_contract": b"JVBERi0xLjQK", "company_signed_date": self.today})
        contract.action_sign()
        return contract

    def _contract_with_history(self, **vals):
        """A contract of 100,000 with 5% retention, signed: the advance (30%)
        billed and paid; a breach's penalty of 4,000 agreed, deducted on the
        delivery's bill (40%), half paid; the final payment (30%) waits for
        the acceptance; the retention is not released."""
        contract = self._signed(
            self._create_contract(
                lianghua_project_id=self.project.id,
                lianghua_retention_percent=5,
                lianghua_retention_release_date=self.future,
                lianghua_milestone_ids=[
                    Command.create({"name": "Advance", "sequence": 1, "percent": 30,
                                    "condition": "date", "date_planned": self.today}),
                    Command.create({"name": "Delivery", "sequence": 2, "percent": 40,
                                    "condition": "date", "date_planned": self.today}),
                    Command.create({"name": "Final", "sequence": 3, "percent": 30,
                                    "condition": "acceptance"}),
                    Command.create({"name": "Retention", "sequence": 4, "amount_type": "fixed",
                                    "amount": 0, "condition": "retention"}),
                ],
                **vals,
            )
        )  # fmt: skip
        advance, delivery = contract.lianghua_milestone_ids[:2]
        advance.with_user(self.finance).action_bill()
        self.breach = self._breach(contract, "Late delivery", 4000)
        self.breach.action_notify()
        self.breach.with_user(self.it_manager).action_agree_penalty()
        delivery.with_user(self.finance).action_bill()
        self._post(advance.move_id)
        self._post(delivery.move_id)
        self._pay(advance.move_id, 28500)
        self._pay(delivery.move_id, 17000)
        return contract

    def _breach(self, contract, clause_name, amount):
        clause = (
            self.env["agreement.clause"]
            .sudo()
            .create(
                {"name": clause_name, "agreement_id": contract.id,
                 "lianghua_liability_type": "fixed", "lianghua_liability_amount": amount}
            )
        )  # fmt: skip
        return (
            self.env["lianghua.contract.breach"]
            .with_user(self.it_user)
            .create({"agreement_id": contract.id, "clause_id": clause.id,
                     "description": f"{clause_name}."})
        )  # fmt: skip

    # Accounting (finance, in Odoo's own screens)

    def _post(self, bill):
        bill = bill.with_user(self.finance)
        bill.invoice_date = self.today
        bill.action_post()

    def _pay(self, bill, amount):
        self.env["account.payment.register"].with_user(self.finance).with_context(
            active_model="account.move", active_ids=bill.ids
        ).create({"amount": amount, "payment_date": self.today})._create_payments()

    # Settlements

    def _settle(self, contract, user=None):
        action = contract.with_user(user or self.it_user).action_lianghua_settle()
        return self.env["lianghua.contract.settlement"].browse(action["res_id"])

    def _settled(self, settlement):
        settlement.with_user(self.it_user).action_submit()
        self._review(settlement, self.auditor, comment="Costs audited: compliant and accurate.")
        self._review(settlement, self.finance, comment="Signed.")
        self.assertEqual(settlement.state, "settled")
        return settlement
