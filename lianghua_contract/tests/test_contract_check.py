from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LianghuaContractCommon


@tagged("post_install", "-at_install")
class TestContractCheck(LianghuaContractCommon):
    """Supervision of the contracts' execution (policy 7.2): the business
    department served, or IT, checks the provider against the checklist of the
    contract's type; what fails is followed up by the contract's owner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.helper = cls("test_checklist_of_the_contract_type")
        # An O&M contract serving Sales, owned by IT, in force from today.
        cls.contract = cls.helper._signed_contract(
            name="CRM operation and maintenance",
            lianghua_contract_type="om",
            lianghua_department_id=cls.dept_sales.id,
        )
        cls.Check = cls.env["lianghua.contract.check"]
        cls.follow_up_type = cls.env.ref("lianghua_contract.mail_activity_contract_check_follow_up")
        cls.due_type = cls.env.ref("lianghua_contract.mail_activity_contract_check_due")

    def _check(self, user=None, contract=None, **vals):
        return self.Check.with_user(user or self.requester).create(
            {"agreement_id": (contract or self.contract).id, **vals}
        )

    def _set_results(self, check, results, user=None):
        check.with_user(user or self.requester).write(
            {
                "line_ids": [
                    Command.update(line.id, {"result": result})
                    for line, result in zip(check.line_ids, results, strict=True)
                ]
            }
        )

    def _reminders(self, contract):
        return contract.activity_ids.filtered(lambda a: a.activity_type_id == self.due_type)

    def test_checklist_of_the_contract_type(self):
        om = self.env.ref("lianghua_contract.checklist_contract_supervision_om")
        check = self._check()
        self.assertRecordValues(
            check,
            [{"template_id": om.id, "state": "draft", "partner_id": self.vendor.id,
              "company_id": self.env.company.id, "department_id": self.dept_sales.id,
              "user_id": self.requester.id, "contract_type": "om"}],
        )  # fmt: skip
        self.assertRegex(check.name, r"^JC\d{4}-\d{4}$")
        self.assertEqual(check.line_ids.mapped("name"), om.line_ids.mapped("name"))
        self.assertIn("Monthly O&M reports delivered", check.line_ids.mapped("name"))
        self.assertEqual(set(check.line_ids.mapped("result")), {"pending"})
        # A development contract takes its own checklist; a licence, the general one.
        for contract_type, xmlid in (
            ("development", "checklist_contract_supervision_development"),
            ("licence", "checklist_contract_supervision"),
        ):
            contract = self._signed_contract(
                lianghua_contract_type=contract_type, lianghua_department_id=self.dept_sales.id
            )
            template = self.env.ref(f"lianghua_contract.{xmlid}")
            other = self._check(contract=contract)
            self.assertEqual(other.template_id, template)
            self.assertEqual(other.line_ids.mapped("name"), template.line_ids.mapped("name"))
        self.assertEqual(self.contract.lianghua_check_count, 1)
        action = self.contract.with_user(self.requester).action_view_lianghua_checks()
        self.assertEqual(action["domain"], [("agreement_id", "=", self.contract.id)])
        # The form proposes the checklist of the contract chosen.
        with Form(self.Check.with_user(self.it_user)) as form:
            form.agreement_id = self.contract
            self.assertEqual(form.template_id, om)

    def test_score_and_follow_up_of_the_failures(self):
        check = self._check()
        self.assertEqual(len(check.line_ids), 8)
        # 8 items: 4 passed, 1 partly met, 1 failed, 2 not applicable: 6
        # applicable, 4 + 0.5 passed: 4.5 / 6 = 75 %.
        self._set_results(check, ["pass", "pass", "partial", "fail", "pass", "pass", "na", "na"])
        check.line_ids[3].with_user(self.requester).note = "Two outages over four hours."
        check.with_user(self.requester).write(
            {"findings": "Availability below 99.5 % in March.",
             "follow_up": "The vendor adds a standby engineer."}
        )  # fmt: skip
        self.assertRecordValues(check, [{"score": 75.0, "failed_count": 2, "result": "findings"}])
        self.assertFalse(check.activity_ids)
        check.with_user(self.requester).action_done()
        self.assertEqual(check.state, "done")
        activity = check.activity_ids
        self.assertEqual(len(activity), 1, "one follow-up per check")
        self.assertRecordValues(
            activity,
            [{"activity_type_id": self.follow_up_type.id, "user_id": self.it_user.id}],
        )
        self.assertEqual(self.contract.assigned_user_id, self.it_user)
        failed, partial = check.line_ids[3], check.line_ids[2]
        self.assertIn(failed.name, activity.note)
        self.assertIn("Two outages over four hours.", activity.note)
        self.assertIn(partial.name, activity.note)
        self.assertNotIn(check.line_ids[0].name, activity.note)
        # A check where everything passed leaves nothing to follow up.
        clean = self._check(user=self.it_user)
        self._set_results(clean, ["pass"] * 7 + ["na"], user=self.it_user)
        self.assertRecordValues(clean, [{"score": 100.0, "failed_count": 0, "result": "met"}])
        clean.with_user(self.it_user).action_done()
        self.assertFalse(clean.activity_ids)

    def test_cron_reminds_once_when_the_check_is_due(self):
        Agreement = self.env["agreement"]
        contract = self.contract
        self.assertEqual(contract.lianghua_check_interval, 3)
        due = contract.start_date + relativedelta(months=3)
        self.assertEqual(contract.lianghua_next_check_date, due)
        no_check = self._signed_contract(name="No checks", lianghua_check_interval=0)
        self.assertFalse(no_check.lianghua_next_check_date)
        with freeze_time(due - relativedelta(days=1)):
            Agreement._cron_contract_checks_due()
        self.assertFalse(self._reminders(contract))
        with freeze_time(due):
            Agreement._cron_contract_checks_due()
            Agreement._cron_contract_checks_due()  # rerun: one reminder
        reminder = self._reminders(contract)
        self.assertEqual(len(reminder), 1)
        self.assertRecordValues(reminder, [{"user_id": self.it_user.id, "date_deadline": due}])
        self.assertFalse(self._reminders(no_check))
        with freeze_time(due + relativedelta(days=10)):
            Agreement._cron_contract_checks_due()  # still the same due date
            self.assertEqual(len(self._reminders(contract)), 1)
            check = self._check()
            self._set_results(check, ["pass"] * 8)
            check.with_user(self.requester).action_done()
        # The check done moves the next date and closes the reminder.
        next_due = due + relativedelta(days=10, months=3)
        self.assertEqual(contract.lianghua_next_check_date, next_due)
        self.assertFalse(self._reminders(contract))
        with freeze_time(next_due - relativedelta(days=1)):
            Agreement._cron_contract_checks_due()
        self.assertFalse(self._reminders(contract))
        with freeze_time(next_due):
            Agreement._cron_contract_checks_due()
            Agreement._cron_contract_checks_due()
        self.assertEqual(len(self._reminders(contract)), 1)
        # The interval is part of the contract's execution: IT changes it when in force.
        contract.with_user(self.it_user).lianghua_check_interval = 6
        self.assertEqual(contract.lianghua_next_check_date, due + relativedelta(days=10, months=6))

    def test_rights(self):
        # A requester of the department served records a check and closes it.
        check = self._check(user=self.requester)
        self._set_results(check, ["pass"] * 8)
        # Another department, an auditor, a leader, legal, a portal user cannot.
        for user in (self.requester_prod, self.auditor, self.leader, self.legal,
                     self.vendor_portal):  # fmt: skip
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._check(user=user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                check.with_user(user).write({"findings": "Nothing."})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                check.with_user(user).action_done()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                check.line_ids[0].with_user(user).result = "fail"
        self.assertEqual(check.state, "draft")
        self.assertFalse(check.findings)
        # The auditor and legal read it; the other department does not.
        self.assertEqual(check.with_user(self.auditor).score, 100.0)
        self.assertEqual(check.with_user(self.legal).partner_id, self.vendor)
        with self.assertRaises(AccessError):
            check.with_user(self.requester_prod).read(["score"])
        # The vendor's contacts read it once done, not before; another vendor never.
        with self.assertRaises(AccessError):
            check.with_user(self.vendor_portal).read(["score"])
        check.with_user(self.requester).action_done()
        check.invalidate_recordset()
        self.assertEqual(check.with_user(self.vendor_portal).score, 100.0)
        self.assertEqual(len(check.line_ids.with_user(self.vendor_portal).read(["result"])), 8)
        with self.assertRaises(AccessError):
            check.with_user(self.other_portal).read(["score"])
        # A done check is kept as it is, even by IT.
        for user in (self.requester, self.it_user):
            with self.assertRaisesRegex(UserError, "is done"):
                check.with_user(user).findings = "Changed afterwards."
            with self.assertRaisesRegex(UserError, "is done"):
                check.line_ids[0].with_user(user).result = "fail"
            with self.assertRaisesRegex(UserError, "is done"):
                check.with_user(user).action_done()
            with self.assertRaisesRegex(UserError, "is done"):
                self.env["lianghua.contract.check.line"].with_user(user).create(
                    {"check_id": check.id, "name": "Added later"}
                )
        with self.assertRaisesRegex(UserError, "is done"):
            check.with_user(self.it_user).unlink()
        self.assertRecordValues(check, [{"state": "done", "findings": False, "score": 100.0}])

    def test_bad_input(self):
        draft = self._create_contract(lianghua_department_id=self.dept_sales.id)
        with self.assertRaisesRegex(UserError, "not in force"):
            self._check(user=self.it_user, contract=draft)
        with self.assertRaisesRegex(ValidationError, "names a record that does not exist"):
            self.Check.with_user(self.it_user).create({"agreement_id": 2_000_000_000})
        with self.assertRaisesRegex(ValidationError, "must name one record"):
            self.Check.with_user(self.it_user).create({"agreement_id": str(self.contract.id)})
        review = self.env.ref("lianghua_service.checklist_requirement_review")
        development = self.env.ref("lianghua_contract.checklist_contract_supervision_development")
        for template in (review, development):  # another kind, another contract type
            with self.assertRaisesRegex(ValidationError, "not a supervision checklist"):
                self._check(template_id=template.id)
        with self.assertRaisesRegex(UserError, "set by its Done button"):
            self._check(state="done")
        with self.assertRaisesRegex(ValidationError, "business department it serves"):
            self._check(department_id=self.dept_production.id)
        check = self._check()
        other = self._check()
        with self.assertRaisesRegex(UserError, "stays in it"):
            check.line_ids[0].with_user(self.requester).check_id = other
        with self.assertRaisesRegex(UserError, "keeps its contract and checklist"):
            check.with_user(self.requester).template_id = self.env.ref(
                "lianghua_contract.checklist_contract_supervision"
            )
        with self.assertRaisesRegex(UserError, "set by its Done button"):
            check.with_user(self.requester).state = "done"
        with self.assertRaisesRegex(ValidationError, "give the result of every item"):
            check.with_user(self.requester).action_done()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._create_contract(lianghua_check_interval=-1)
        self.assertEqual(check.state, "draft")
