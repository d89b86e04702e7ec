from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LianghuaContractCommon


@tagged("post_install", "-at_install")
class TestContractReview(LianghuaContractCommon):
    def test_sections_of_the_policy_and_the_mandatory_check(self):
        contract = self._create_contract()
        self.assertEqual(contract.lianghua_state, "draft")
        self.assertRegex(contract.code, r"^HT\d{4}-\d{4}$")
        templates = self.env["lianghua.contract.section.template"].search([])
        self.assertEqual(contract.sections_ids.lianghua_template_id, templates)
        # The scope, term and payment sections start from their model text;
        # standards, fees, rights and breach liability are written per contract.
        with self.assertRaisesRegex(ValidationError, "Service Standards and SLA") as caught:
            contract.action_submit_review()
        for name in ("Service Fees", "Rights and Obligations", "Breach Liability"):
            self.assertIn(name, str(caught.exception))
        self.assertNotIn("Service Scope", str(caught.exception))
        self.assertEqual(contract.lianghua_state, "draft")
        # A clause in the section fills it as well as the section's text.
        standards = contract.sections_ids.filtered(
            lambda s: s.lianghua_template_id.code == "standards"
        )
        self.env["agreement.clause"].with_user(self.it_user).create(
            {"name": "Availability", "agreement_id": contract.id, "section_id": standards.id,
             "content": "<p>99.5 % per month.</p>"}
        )  # fmt: skip
        with self.assertRaises(ValidationError) as caught:
            contract.action_submit_review()
        self.assertNotIn("Service Standards", str(caught.exception))
        self._fill_sections(contract)
        contract.action_submit_review()
        self.assertEqual(contract.lianghua_state, "review")

    def test_legal_then_leaders_by_amount(self):
        small = self._create_contract(lianghua_amount=100000)
        large = self._create_contract(name="ERP licences", lianghua_amount=800000)
        for contract in small | large:
            self._fill_sections(contract)
            contract.action_submit_review()
        self.assertEqual(small.review_ids.mapped("name"), ["Legal review of the contract"])
        self.assertEqual(
            sorted(large.review_ids.mapped("name")),
            ["Company leader approval of the contract", "Legal review of the contract"],
        )
        # The leader's turn comes after legal's.
        with self.assertRaisesRegex(UserError, "not waiting for your approval"):
            large.with_user(self.leader).validate_tier()
        self._review(small, self.legal, comment="Lawful.")
        self.assertEqual(small.lianghua_state, "approved")
        self._review(large, self.legal, comment="Lawful.")
        self.assertEqual(large.lianghua_state, "review")
        self._review(large, self.leader, comment="Approved.")
        self.assertEqual(large.lianghua_state, "approved")
        # The threshold is the company's setting.
        self.env.company.lianghua_contract_leader_amount = 50000
        self.assertTrue(self._create_contract(lianghua_amount=60000).lianghua_needs_leader)

    def test_legal_comments_per_clause_and_changes_no_business_data(self):
        contract = self._create_contract()
        self._fill_sections(contract)
        contract.action_submit_review()
        breach_section = contract.sections_ids.filtered(
            lambda s: s.lianghua_template_id.code == "breach"
        )
        Note = self.env["lianghua.contract.review.note"].with_user(self.legal)
        note = Note.create(
            {"agreement_id": contract.id, "section_id": breach_section.id,
             "note": "Cap the penalties at 10 % of the fee."}
        )  # fmt: skip
        self.assertEqual(note.author_id, self.legal)
        for vals in (
            {"lianghua_amount": 1},
            {"name": "Cheaper"},
            {"partner_id": self.other_vendor.id},
        ):
            with self.assertRaises(UserError):
                contract.with_user(self.legal).write(vals)
        with self.assertRaises(UserError):
            breach_section.with_user(self.legal).content = "<p>No liability.</p>"
        self.assertEqual(contract.lianghua_amount, 100000)
        # Rejected: back to IT with the reasons and the open comments.
        self._review(contract, self.legal, "reject", "Penalties are unlimited.")
        self.assertEqual(contract.lianghua_state, "draft")
        self.assertIn("Penalties are unlimited.", contract.lianghua_rejection_reason)
        self.assertIn("Cap the penalties", contract.lianghua_rejection_reason)
        note.with_user(self.it_user).write({"state": "resolved", "resolution": "Capped."})
        contract.action_submit_review()
        self._review(contract, self.legal, comment="Fine now.")
        self.assertEqual(contract.lianghua_state, "approved")

    def test_signing_locks_the_terms_and_an_amendment_is_reviewed_again(self):
        contract = self._reviewed_contract()
        with self.assertRaisesRegex(ValidationError, "signed document"):
            contract.action_sign()
        with self.assertRaisesRegex(UserError, "amendment"):
            contract.lianghua_amount = 90000
        contract.write({"signed_contract": b"JVBERi0xLjQK", "company_signed_date": self.today})
        contract.action_sign()
        self.assertRecordValues(
            contract, [{"lianghua_state": "signed", "lianghua_signed_on": self.today}]
        )
        with self.assertRaisesRegex(UserError, "amendment"):
            contract.lianghua_amount = 90000
        with self.assertRaisesRegex(UserError, "amendment"):
            contract.sections_ids[:1].content = "<p>Changed after signing.</p>"
        contract.assigned_user_id = self.it_manager  # what execution needs
        contract.action_amend()
        self.assertRecordValues(contract, [{"lianghua_state": "draft", "version": 2}])
        kept = contract.with_context(active_test=False).previous_version_agreements_ids
        self.assertRecordValues(
            kept, [{"lianghua_state": "superseded", "active": False, "lianghua_amount": 100000}]
        )
        contract.lianghua_amount = 90000
        contract.action_submit_review()
        self.assertEqual(len(contract.review_ids), 1)
        self.assertEqual(contract.review_ids.status, "pending")

    def test_only_it_writes_contracts(self):
        with self.assertRaises(UserError):
            self.env["agreement"].with_user(self.requester).create(self._contract_vals())
        with self.assertRaises(UserError):
            self.env["agreement"].with_user(self.it_user).create(
                self._contract_vals(lianghua_state="signed")
            )
        contract = self._create_contract()
        with self.assertRaises(UserError):
            contract.with_user(self.auditor).action_submit_review()
        with self.assertRaises(AccessError):
            contract.with_user(self.vendor_portal).read(["name"])

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self._create_contract(end_date=self.today - relativedelta(days=1))
        with self.assertRaisesRegex(ValidationError, "percentage from 0 to 100"):
            self._create_contract(lianghua_retention_percent=120)
        contract = self._create_contract(lianghua_amount=0)
        self._fill_sections(contract)
        with self.assertRaisesRegex(ValidationError, "the amount"):
            contract.action_submit_review()


@tagged("post_install", "-at_install")
class TestContractPayments(LianghuaContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.helper = cls("test_payment_waits_for_the_acceptance")
        cls.plan = cls.helper._approved_plan()
        cls.project = cls.plan.project_id

    def _contract_with_payments(self, retention=0.0):
        contract = self._create_contract(
            lianghua_project_id=self.project.id,
            lianghua_retention_percent=retention,
            lianghua_retention_release_date=self.future,
            lianghua_milestone_ids=[
                Command.create({"name": "Advance", "percent": 30, "condition": "date",
                                "date_planned": self.today}),
                Command.create({"name": "On acceptance", "percent": 70,
                                "condition": "acceptance"}),
                Command.create({"name": "Retention", "amount_type": "fixed", "amount": 0,
                                "condition": "retention"}),
            ],
        )  # fmt: skip
        self._fill_sections(contract)
        contract.action_submit_review()
        self._review(contract, self.legal)
        contract.write({"signed_contract": b"JVBERi0xLjQK", "company_signed_date": self.today})
        contract.action_sign()
        return contract

    def _bill_lines(self, bill):
        # IT reads its contracts, finance the bills.
        return sorted(
            (line.name, line.price_subtotal)
            for line in bill.with_user(self.finance).invoice_line_ids
        )

    def test_payment_waits_for_the_acceptance(self):
        contract = self._contract_with_payments()
        advance, on_acceptance, __ = contract.lianghua_milestone_ids
        self.assertEqual(advance.state, "due")
        self.assertEqual(on_acceptance.state, "waiting")
        self.assertEqual(on_acceptance.amount, 70000)
        # Refused before the acceptance passed, through the button and RPC alike.
        for user in (self.it_manager, self.finance):
            with self.assertRaisesRegex(UserError, "acceptance .* has not passed"):
                on_acceptance.with_user(user).action_bill()
        self.assertFalse(on_acceptance.move_id)
        with self.assertRaises(AccessError):
            on_acceptance.with_user(self.it_user).action_bill()
        self._pass_acceptance(self.project)
        on_acceptance.with_user(self.finance).action_bill()
        bill = on_acceptance.move_id.with_user(self.finance)
        self.assertRecordValues(
            bill,
            [{"move_type": "in_invoice", "state": "draft", "partner_id": self.vendor.id,
              "agreement_id": contract.id, "amount_total": 70000.0}],
        )  # fmt: skip
        self.assertEqual(self._bill_lines(bill), [("On acceptance", 70000.0)])
        self.assertEqual(on_acceptance.state, "billed")
        with self.assertRaisesRegex(UserError, "cannot be billed"):
            on_acceptance.with_user(self.finance).action_bill()

    def test_payment_on_a_project_milestone(self):
        go_live = self.project.milestone_ids.sorted("deadline")[-1]
        contract = self._create_contract(
            lianghua_project_id=self.project.id,
            lianghua_milestone_ids=[
                Command.create({"name": "On go-live", "percent": 50, "condition": "milestone",
                                "project_milestone_id": go_live.id})
            ],
        )  # fmt: skip
        self._fill_sections(contract)
        contract.action_submit_review()
        self._review(contract, self.legal)
        contract.write({"signed_contract": b"JVBERi0xLjQK", "company_signed_date": self.today})
        contract.action_sign()
        payment = contract.lianghua_milestone_ids
        self.assertEqual(payment.state, "waiting")
        with self.assertRaisesRegex(UserError, "project milestone .* is not reached"):
            payment.with_user(self.finance).action_bill()
        self.env["lianghua.contract.milestone"]._cron_bill_due_milestones()
        self.assertFalse(payment.move_id)
        go_live.is_reached = True
        self.env["lianghua.contract.milestone"]._cron_bill_due_milestones()
        self.assertRecordValues(payment, [{"state": "billed", "amount_billed": 50000.0}])

    def test_retention_withheld_and_released(self):
        contract = self._contract_with_payments(retention=5)
        advance, __, retention = contract.lianghua_milestone_ids
        advance.with_user(self.it_manager).action_bill()
        self.assertEqual(
            self._bill_lines(advance.move_id),
            [("Advance", 30000.0), ("Retention withheld (5.0%)", -1500.0)],
        )
        self.assertEqual(advance.move_id.with_user(self.finance).amount_total, 28500.0)
        self.assertEqual(contract.lianghua_amount_retained, 1500.0)
        with self.assertRaisesRegex(UserError, "retention is released on"):
            retention.with_user(self.it_manager).action_bill()
        with freeze_time(self.future):
            retention.with_user(self.it_manager).action_bill()
        self.assertEqual(self._bill_lines(retention.move_id), [("Retention", 1500.0)])
        self.assertEqual(contract.lianghua_amount_retained, 0.0)

    def test_cron_bills_what_is_due(self):
        contract = self._contract_with_payments()
        self.env["lianghua.contract.milestone"]._cron_bill_due_milestones()
        self.assertEqual(
            contract.lianghua_milestone_ids.mapped("state"), ["billed", "waiting", "waiting"]
        )
        self.env["lianghua.contract.milestone"]._cron_bill_due_milestones()  # rerun: nothing more
        self.assertEqual(contract.in_invoice_count, 1)

    def test_breach_penalty_reaches_the_next_bill(self):
        contract = self._contract_with_payments()
        clause = self.env["agreement.clause"].with_user(self.it_user).sudo().create(
            {"name": "Late delivery", "agreement_id": contract.id,
             "lianghua_liability_type": "per_day", "lianghua_liability_amount": 500,
             "lianghua_liability_cap": 5000}
        )  # fmt: skip
        Breach = self.env["lianghua.contract.breach"].with_user(self.it_user)
        breach = Breach.create(
            {"agreement_id": contract.id, "clause_id": clause.id, "days_late": 6,
             "description": "Go-live six days late."}
        )  # fmt: skip
        self.assertEqual(breach.amount_liability, 3000)
        # The evidence IT uploads is the breach's: the IT manager reads it too.
        evidence = (
            self.env["ir.attachment"]
            .with_user(self.it_user)
            .create({"name": "delivery-log.pdf", "raw": b"%PDF-1.4 log", "res_model": breach._name})
        )
        breach.attachment_ids = [Command.link(evidence.id)]
        self.assertRecordValues(evidence, [{"res_model": breach._name, "res_id": breach.id}])
        self.assertEqual(evidence.with_user(self.it_manager).raw, b"%PDF-1.4 log")
        breach.days_late = 20
        self.assertEqual(breach.amount_liability, 5000)  # capped
        breach.action_notify()
        self.assertEqual(breach.amount_agreed, 5000)
        with self.assertRaises(AccessError):
            breach.action_agree_penalty()
        breach.with_user(self.it_manager).amount_agreed = 4000
        breach.with_user(self.it_manager).action_agree_penalty()
        self.assertEqual(breach.state, "agreed")
        advance = contract.lianghua_milestone_ids[0]
        advance.with_user(self.finance).action_bill()
        self.assertEqual(
            self._bill_lines(advance.move_id),
            [("Advance", 30000.0), (f"Penalty: {breach.display_name}", -4000.0)],
        )
        self.assertRecordValues(breach, [{"state": "deducted", "move_id": advance.move_id.id}])
        self.assertEqual(contract.lianghua_amount_penalties, 4000)
        with self.assertRaisesRegex(UserError, "settled"):
            breach.amount_agreed = 1

    def test_penalty_larger_than_the_next_bill_waits_then_is_credited(self):
        contract = self._contract_with_payments()
        contract.lianghua_milestone_ids[2].with_user(self.it_manager).action_cancel()
        clause = contract.clauses_ids.sudo().create(
            {"name": "Security", "agreement_id": contract.id,
             "lianghua_liability_type": "fixed", "lianghua_liability_amount": 50000}
        )  # fmt: skip
        breach = (
            self.env["lianghua.contract.breach"]
            .with_user(self.it_user)
            .create({"agreement_id": contract.id, "clause_id": clause.id,
                     "description": "Vulnerability left open."})
        )  # fmt: skip
        breach.action_notify()
        breach.with_user(self.it_manager).action_agree_penalty()
        advance, on_acceptance = contract.lianghua_milestone_ids[:2]
        advance.with_user(self.finance).action_bill()  # 30,000 cannot carry 50,000
        self.assertEqual(self._bill_lines(advance.move_id), [("Advance", 30000.0)])
        self.assertEqual(breach.state, "agreed")
        on_acceptance.with_user(self.it_manager).action_cancel()  # nothing left to bill
        self.assertRecordValues(
            breach.move_id.with_user(self.finance),
            [{"move_type": "in_refund", "amount_total": 50000.0}],
        )

    def test_breach_credit_note_when_nothing_is_left_to_bill(self):
        contract = self._contract_with_payments()
        contract.lianghua_milestone_ids[1:].with_user(self.it_manager).action_cancel()
        contract.lianghua_milestone_ids[0].with_user(self.it_manager).action_bill()
        clause = contract.clauses_ids.sudo().create(
            {"name": "Confidentiality", "agreement_id": contract.id,
             "lianghua_liability_type": "fee_percent", "lianghua_liability_percent": 2}
        )  # fmt: skip
        breach = (
            self.env["lianghua.contract.breach"]
            .with_user(self.it_user)
            .create({"agreement_id": contract.id, "clause_id": clause.id,
                     "description": "Data shared with a third party."})
        )  # fmt: skip
        self.assertEqual(breach.amount_liability, 2000)
        breach.action_notify()
        breach.with_user(self.it_manager).action_agree_penalty()
        self.assertRecordValues(
            breach.move_id.with_user(self.finance),
            [{"move_type": "in_refund", "amount_total": 2000.0,
              "agreement_id": contract.id, "state": "draft"}],
        )  # fmt: skip
        self.assertEqual(breach.state, "deducted")


@tagged("post_install", "-at_install")
class TestContractTerms(LianghuaContractCommon):
    def test_notice_and_expiry_by_cron(self):
        start = self.today
        contract = self._signed_contract(
            start_date=start, end_date=start + relativedelta(months=6), lianghua_notice_days=30
        )
        other = self._signed_contract(
            name="O&M", start_date=start, end_date=start + relativedelta(months=12)
        )
        Agreement = self.env["agreement"]
        notice_day = contract.lianghua_notice_date
        self.assertEqual(notice_day, contract.end_date - relativedelta(days=30))
        reminder_day = notice_day - relativedelta(days=14)
        self.assertEqual(contract.lianghua_reminder_date, reminder_day)
        with freeze_time(reminder_day - relativedelta(days=1)):
            Agreement._cron_contract_terms()
        self.assertFalse(contract.activity_ids)
        with freeze_time(reminder_day):
            Agreement._cron_contract_terms()
            Agreement._cron_contract_terms()  # rerun: one reminder
        self.assertRecordValues(
            contract.activity_ids, [{"user_id": self.it_user.id, "date_deadline": notice_day}]
        )
        self.assertFalse(other.activity_ids)
        with freeze_time(contract.end_date + relativedelta(days=1)):
            Agreement._cron_contract_terms()
        self.assertEqual(contract.lianghua_state, "expired")
        self.assertEqual(other.lianghua_state, "signed")

    def test_tacit_renewal_at_expiry(self):
        contract = self._signed_contract(
            start_date=self.today,
            end_date=self.today + relativedelta(months=6, days=-1),
            lianghua_renewal="tacit",
        )
        with freeze_time(contract.end_date + relativedelta(days=1)):
            self.env["agreement"]._cron_contract_terms()
            self.env["agreement"]._cron_contract_terms()  # rerun: one renewal
        renewal = self.env["agreement"].search([("lianghua_previous_id", "=", contract.id)])
        self.assertRecordValues(
            renewal,
            [{"lianghua_state": "signed", "start_date": self.today + relativedelta(months=6),
              "end_date": self.today + relativedelta(months=12, days=-1)}],
        )  # fmt: skip
        self.assertEqual(contract.lianghua_state, "expired")

    def test_renewal_is_the_next_version(self):
        contract = self._signed_contract(
            start_date=self.today, end_date=self.today + relativedelta(years=1, days=-1)
        )
        action = contract.with_user(self.it_user).action_renew()
        renewal = self.env["agreement"].browse(action["res_id"])
        self.assertRecordValues(
            renewal,
            [{"lianghua_previous_id": contract.id, "lianghua_state": "draft",
              "start_date": self.today + relativedelta(years=1),
              "end_date": self.today + relativedelta(years=2, days=-1),
              "partner_id": self.vendor.id}],
        )  # fmt: skip
        self.assertNotEqual(renewal.code, contract.code)
        self.assertEqual(len(renewal.sections_ids), len(contract.sections_ids), "no section twice")
        with self.assertRaisesRegex(UserError, "renewed already"):
            contract.with_user(self.it_user).action_renew()
