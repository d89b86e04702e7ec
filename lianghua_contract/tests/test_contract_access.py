import psycopg2
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import LianghuaContractCommon


@tagged("post_install", "-at_install")
class TestContractAccess(LianghuaContractCommon):
    """Who reads and who changes a contract, its payments and its breaches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        helper = cls("test_readers")
        cls.contract = helper._signed_contract(
            lianghua_department_id=cls.dept_sales.id,
            lianghua_milestone_ids=[
                Command.create({"name": "Advance", "percent": 30, "condition": "date",
                                "date_planned": cls.today})
            ],
        )  # fmt: skip
        cls.draft = helper._create_contract(name="Draft", lianghua_department_id=cls.dept_sales.id)
        clause = cls.contract.clauses_ids.sudo().create(
            {"name": "Late", "agreement_id": cls.contract.id, "lianghua_liability_type": "fixed",
             "lianghua_liability_amount": 100}
        )  # fmt: skip
        Breach = cls.env["lianghua.contract.breach"].with_user(cls.it_user)
        cls.notified = Breach.create(
            {"agreement_id": cls.contract.id, "clause_id": clause.id, "description": "Late."}
        )
        cls.notified.action_notify()
        cls.recorded = Breach.create(
            {"agreement_id": cls.contract.id, "clause_id": clause.id, "description": "Draft."}
        )
        other_company = cls.env["res.company"].create({"name": "Other Company"})
        other_dept = cls.env["hr.department"].create(
            {"name": "Other IT", "company_id": other_company.id}
        )
        cls.it_other_company = cls._user("lh_it_other", "it_manager", other_dept, other_company)

    def _readable(self, user, records):
        return records.with_user(user).search([("id", "in", records.ids)])

    def test_readers(self):
        contracts = self.contract | self.draft
        for user in (self.requester, self.dept_manager, self.it_user, self.leader,
                     self.auditor, self.legal, self.finance):  # fmt: skip
            with self.subTest(user=user.login):
                self.assertEqual(self._readable(user, contracts), contracts)
                self.assertEqual(
                    self._readable(user, self.contract.lianghua_milestone_ids),
                    self.contract.lianghua_milestone_ids,
                )
        # Another department, another company: nothing.
        for user in (self.requester_prod, self.dept_manager_prod, self.it_other_company):
            with self.subTest(user=user.login):
                self.assertFalse(self._readable(user, contracts))
                self.assertFalse(self._readable(user, self.notified | self.recorded))
                with self.assertRaises(AccessError):
                    self.contract.with_user(user).read(["name"])
        # The vendor's contact: its signed contract, the payments, the breaches
        # once notified; the other vendor's contact: nothing.
        self.assertEqual(self._readable(self.vendor_portal, contracts), self.contract)
        self.assertEqual(self._readable(self.vendor_portal, self.notified | self.recorded),
                         self.notified)  # fmt: skip
        self.assertEqual(
            self._readable(self.vendor_portal, self.contract.lianghua_milestone_ids),
            self.contract.lianghua_milestone_ids,
        )
        self.assertFalse(self._readable(self.other_portal, contracts))
        self.assertFalse(self._readable(self.other_portal, self.notified))
        self.assertFalse(self._readable(self.other_portal, self.contract.lianghua_milestone_ids))

    def test_readers_change_nothing(self):
        for user in (self.requester, self.dept_manager, self.leader, self.auditor, self.legal,
                     self.finance, self.vendor_portal):  # fmt: skip
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    self.draft.with_user(user).write({"lianghua_amount": 1})
                with self.assertRaises(UserError):
                    self.draft.with_user(user).action_submit_review()
                with self.assertRaises(UserError):
                    self.contract.with_user(user).action_amend()
                with self.assertRaises(UserError):
                    self.recorded.with_user(user).action_notify()
                with self.assertRaises(UserError):
                    self.env["lianghua.contract.breach"].with_user(user).create(
                        {"agreement_id": self.contract.id,
                         "clause_id": self.contract.clauses_ids[:1].id, "description": "X"}
                    )  # fmt: skip
        self.assertEqual(self.draft.lianghua_amount, 100000)
        for user in (self.requester, self.it_user, self.auditor, self.legal, self.vendor_portal):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.contract.lianghua_milestone_ids.with_user(user).action_bill()

    def test_another_company_changes_nothing(self):
        """An IT manager of another company: every button on these records is
        refused (their company's rules hide them) and nothing moves."""
        user = self.it_other_company
        calls = [
            (self.draft, "action_submit_review"),
            (self.draft, "action_cancel_contract"),
            (self.draft, "action_add_review_note"),
            (self.contract, "action_amend"),
            (self.contract, "action_renew"),
            (self.contract, "action_close_contract"),
            (self.contract.lianghua_milestone_ids, "action_bill"),
            (self.contract.lianghua_milestone_ids, "action_cancel"),
            (self.recorded, "action_notify"),
            (self.notified, "action_agree_penalty"),
            (self.notified, "action_waive"),
        ]
        for records, method in calls:
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(records.with_user(user), method)()
        with self.assertRaises(AccessError):
            self.contract.with_user(user).message_post(body="Hello.")
        self.assertRecordValues(
            self.draft | self.contract, [{"lianghua_state": "draft"}, {"lianghua_state": "signed"}]
        )
        self.assertEqual(self.contract.lianghua_milestone_ids.state, "due")
        self.assertEqual((self.recorded | self.notified).mapped("state"), ["draft", "notified"])

    def test_review_comments(self):
        self._fill_sections(self.draft)
        # Legal comments during the review only; business users never.
        Note = self.env["lianghua.contract.review.note"]
        with self.assertRaises(AccessError):
            Note.with_user(self.legal).create({"agreement_id": self.draft.id, "note": "Early."})
        with self.assertRaises(UserError):
            Note.with_user(self.requester).create({"agreement_id": self.draft.id, "note": "No."})
        self.draft.action_submit_review()
        note = Note.with_user(self.legal).create({"agreement_id": self.draft.id, "note": "OK."})
        with self.assertRaises(UserError):
            note.with_user(self.legal).author_id = self.it_user
        with self.assertRaises(AccessError):
            note.with_user(self.auditor).note = "Changed."
        with self.assertRaises(UserError):
            Note.with_user(self.legal).create(
                {"agreement_id": self.draft.id, "note": "Forged.", "author_id": self.leader.id}
            )


@tagged("post_install", "-at_install")
class TestContractScreens(LianghuaContractCommon):
    """Each role opens the screens of its menus on real records: the lists and
    forms read every field they show (links to systems, projects, requests
    included) without an access error."""

    SCREENS = {
        "lianghua_contract.lianghua_contract_action": ("list", "kanban", "form"),
        "lianghua_contract.lianghua_contract_action_to_review": ("list", "form"),
        "lianghua_contract.lianghua_contract_milestone_action": ("list", "form"),
        "lianghua_contract.lianghua_contract_breach_action": ("list", "form"),
        "lianghua_contract.lianghua_contract_check_action": ("list", "form"),
        "lianghua_contract.lianghua_vendor_evaluation_action": ("list", "form"),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        helper = cls("test_every_role_opens_its_screens")
        plan = helper._approved_plan()
        crm = cls.env["lianghua.system"].create(
            {"name": "CRM", "code": "CRM-S", "department_id": cls.dept_sales.id,
             "it_owner_id": cls.it_user.id,
             "category_id": cls.env.ref("lianghua_service.system_category_erp").id}
        )  # fmt: skip
        cls.contract = helper._signed_contract(
            lianghua_request_id=plan.request_id.id,
            lianghua_project_id=plan.project_id.id,
            lianghua_system_ids=[Command.set(crm.ids)],
            lianghua_milestone_ids=[
                Command.create({"name": "Advance", "percent": 30, "condition": "date",
                                "date_planned": cls.today})
            ],
        )  # fmt: skip
        cls.contract.lianghua_milestone_ids.with_user(cls.finance).action_bill()
        under_review = helper._create_contract(
            name="Under review", lianghua_system_ids=[Command.set(crm.ids)]
        )
        helper._fill_sections(under_review)
        under_review.action_submit_review()

    def _specification(self, model, arch):
        spec = {}
        for node in etree.fromstring(arch).xpath("//field[not(ancestor::field)]"):
            field = model._fields[node.get("name")]
            spec[field.name] = {"fields": {"display_name": {}}} if field.relational else {}
        return spec

    def _open(self, user, xmlid, view_types):
        action = self.env.ref(xmlid)
        model = self.env[action.res_model].with_user(user)
        view_ids = {view.view_mode: view.view_id.id for view in action.view_ids}
        views = model.get_views([(view_ids.get(vt, False), vt) for vt in view_types])["views"]
        domain = safe_eval(action.domain or "[]", {"uid": user.id})
        listed = model.browse()
        for view_type in view_types:
            spec = self._specification(model, views[view_type]["arch"])
            if view_type == "form":
                if listed:
                    listed[:1].web_read(spec)
            else:
                found = model.web_search_read(domain, spec, limit=20)
                listed = model.browse([row["id"] for row in found["records"]])
        return listed

    def test_every_role_opens_its_screens(self):
        for user in (self.legal, self.finance, self.leader, self.auditor, self.requester,
                     self.it_user, self.it_manager):  # fmt: skip
            for xmlid, view_types in self.SCREENS.items():
                with self.subTest(user=user.login, screen=xmlid):
                    self._open(user, xmlid, view_types)
        self.assertIn(self.contract, self._open(self.legal, *self._screen("action")))
        self.assertTrue(self._open(self.finance, *self._screen("milestone_action")))

    def _screen(self, suffix):
        xmlid = f"lianghua_contract.lianghua_contract_{suffix}"
        return xmlid, self.SCREENS[xmlid]


@tagged("post_install", "-at_install")
class TestContractAttacks(LianghuaContractCommon):
    """What a review over JSON-RPC tried on the demo, refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        helper = cls("test_workflow_fields_do_not_come_in_through_defaults")
        cls.contract = helper._signed_contract(
            lianghua_department_id=cls.dept_sales.id,
            lianghua_milestone_ids=[
                Command.create({"name": "Advance", "percent": 30, "condition": "date",
                                "date_planned": cls.today}),
                Command.create({"name": "Balance", "percent": 70, "condition": "date",
                                "date_planned": cls.today}),
            ],
        )  # fmt: skip
        cls.clause = cls.contract.clauses_ids.sudo().create(
            {"name": "Late", "agreement_id": cls.contract.id, "lianghua_liability_type": "fixed",
             "lianghua_liability_amount": 1000}
        )  # fmt: skip

    def test_workflow_fields_do_not_come_in_through_defaults(self):
        forged = (
            self.env["agreement"]
            .with_user(self.it_user)
            .with_context(default_lianghua_state="signed", default_state="active")
            .create(self._contract_vals(name="Forged"))
        )
        self.assertRecordValues(forged, [{"lianghua_state": "draft", "state": "draft"}])
        breach = (
            self.env["lianghua.contract.breach"]
            .with_user(self.it_user)
            .with_context(default_state="waived", default_move_id=False)
            .create({"agreement_id": self.contract.id, "clause_id": self.clause.id,
                     "description": "Forged."})
        )  # fmt: skip
        self.assertEqual(breach.state, "draft")
        check = (
            self.env["lianghua.contract.check"]
            .with_user(self.requester)
            .with_context(default_state="done")
            .create({"agreement_id": self.contract.id})
        )
        self.assertEqual(check.state, "draft")
        with self.assertRaisesRegex(UserError, "your own supervision checks"):
            self.env["lianghua.contract.check"].with_user(self.requester).create(
                {"agreement_id": self.contract.id, "user_id": self.leader.id}
            )
        self._fill_sections(forged)
        forged.action_submit_review()
        note = (
            self.env["lianghua.contract.review.note"]
            .with_user(self.legal)
            .with_context(default_author_id=self.it_manager.id)
            .create({"agreement_id": forged.id, "note": "Signed by someone else?"})
        )
        self.assertEqual(note.author_id, self.legal)

    def test_readers_do_not_post_nor_write_messages(self):
        for user in (self.auditor, self.legal, self.leader, self.finance, self.requester,
                     self.vendor_portal):  # fmt: skip
            with self.subTest(user=user.login):
                contract = self.contract.with_user(user)
                contract.message_subscribe(partner_ids=user.partner_id.ids)  # following is fine
                with self.assertRaises(AccessError):
                    contract.message_post(body="Mine.", message_type="comment")
        it = self.contract.with_user(self.it_user)
        with self.assertRaisesRegex(AccessError, "own name"):
            it.message_post(body="Forged.", author_id=self.it_manager.partner_id.id)
        message = it.message_post(body="Called the vendor.", message_type="comment")
        self.assertEqual(message.author_id, self.it_user.partner_id)
        check = (
            self.env["lianghua.contract.check"]
            .with_user(self.requester)
            .create({"agreement_id": self.contract.id})
        )
        check.line_ids.write({"result": "pass"})
        check.action_done()
        with self.assertRaises(UserError):
            check.write(
                {"message_ids": [Command.create({"body": "Forged", "model": check._name,
                                                 "res_id": check.id})]}
            )  # fmt: skip

    def test_a_bill_is_cancelled_not_deleted_and_billed_again(self):
        breach = (
            self.env["lianghua.contract.breach"]
            .with_user(self.it_user)
            .create({"agreement_id": self.contract.id, "clause_id": self.clause.id,
                     "description": "Late."})
        )  # fmt: skip
        breach.action_notify()
        breach.with_user(self.it_manager).action_agree_penalty()
        advance = self.contract.lianghua_milestone_ids[0].with_user(self.finance)
        advance.action_bill()
        bill = advance.move_id
        # The database keeps it (the RPC layer turns this into Odoo's message
        # that another record needs it).
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.ForeignKeyViolation),
            self.env.cr.savepoint(),
        ):
            bill.unlink()
        bill.button_cancel()
        self.assertEqual(bill.state, "cancel")
        advance.action_bill()
        self.assertNotEqual(advance.move_id, bill)
        self.assertEqual(
            sorted(advance.move_id.invoice_line_ids.mapped("price_subtotal")), [-1000.0, 30000.0]
        )
        self.assertRecordValues(breach, [{"state": "deducted", "move_id": advance.move_id.id}])
        with self.assertRaisesRegex(UserError, "cannot be billed"):
            advance.action_bill()


@tagged("post_install", "-at_install")
class TestContractQueries(LianghuaContractCommon):
    """The contract list and form read a fixed number of queries, whatever
    the number of contracts (counts, amounts and links in batches)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        helper = cls("test_list_and_smart_buttons_are_query_constant")
        cls.contracts = cls.env["agreement"].browse()
        for index in range(12):
            contract = helper._signed_contract(
                name=f"Contract {index}",
                lianghua_milestone_ids=[
                    Command.create({"name": "Advance", "percent": 30, "condition": "date",
                                    "date_planned": cls.today}),
                    Command.create({"name": "Balance", "percent": 70, "condition": "date",
                                    "date_planned": cls.future}),
                ],
            )  # fmt: skip
            contract.lianghua_milestone_ids[:1].with_user(cls.finance).action_bill()
            cls.contracts |= contract

    def _queries(self, contracts):
        fnames = [
            "code", "name", "partner_id", "lianghua_state", "lianghua_amount",
            "lianghua_amount_billed", "lianghua_amount_retained", "lianghua_amount_penalties",
            "lianghua_breach_count", "lianghua_check_count", "lianghua_evaluation_count",
            "lianghua_renewal_count", "in_invoice_count", "lianghua_notice_date",
        ]  # fmt: skip
        records = contracts.with_user(self.it_user)
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        records.read(fnames)
        return self.env.cr.sql_log_count - before

    def test_list_and_smart_buttons_are_query_constant(self):
        self._queries(self.contracts[:1])  # warm the caches of the ORM
        few = self._queries(self.contracts[:3])
        many = self._queries(self.contracts)
        self.assertEqual(few, many, "one more query per contract")
        self.assertLessEqual(many, 30)
