import json

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import LianghuaContractCommon

REFUSED = (403, 404)


@tagged("post_install", "-at_install")
class TestContractPortal(HttpCase, LianghuaContractCommon):
    """A vendor's contacts see their signed contracts, their payments, the
    breaches notified to them and their evaluations; nothing of another
    vendor, nothing before signature."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The helpers of tests/common.py are instance methods: an instance
        # that runs no test builds the records once for the class.
        builder = cls()
        cls.contract = builder._signed_contract(
            name="Portal ERP rollout",
            lianghua_milestone_ids=[
                Command.create(
                    {"name": "Advance", "percent": 30, "condition": "date",
                     "date_planned": cls.today}
                ),
                Command.create(
                    {"name": "Final payment", "percent": 70, "condition": "date",
                     "date_planned": cls.future}
                ),
            ],
        )  # fmt: skip
        clause = (
            cls.env["agreement.clause"]
            .sudo()
            .create(
                {"name": "Late delivery", "agreement_id": cls.contract.id,
                 "lianghua_liability_type": "per_day", "lianghua_liability_amount": 500}
            )
        )  # fmt: skip
        Breach = cls.env["lianghua.contract.breach"].with_user(cls.it_user)
        cls.breach = Breach.create(
            {"agreement_id": cls.contract.id, "clause_id": clause.id, "days_late": 2,
             "description": "Go-live two days late."}
        )  # fmt: skip
        cls.breach.action_notify()
        cls.draft_breach = Breach.create(
            {"agreement_id": cls.contract.id, "clause_id": clause.id,
             "description": "Suspected data leak, still under investigation."}
        )  # fmt: skip
        evaluation = (
            cls.env["lianghua.vendor.evaluation"]
            .with_user(cls.it_user)
            .create(
                {"partner_id": cls.vendor.id, "agreement_id": cls.contract.id,
                 "summary": "Reliable on site, slow on reports.",
                 "review_line_ids": [Command.create({"name": "Cooperation", "score": 80})]}
            )
        )  # fmt: skip
        evaluation.action_compute()
        evaluation.with_user(cls.it_manager).action_done()
        cls.evaluation = evaluation
        cls.draft_contract = builder._create_contract(name="Draft maintenance deal")
        cls.other_contract = builder._signed_contract(
            name="Other vendor's works", partner_id=cls.other_vendor.id
        )
        cls.plain_agreement = cls.env["agreement"].create(
            {"name": "Plain NDA", "code": "NDA-0001", "partner_id": cls.vendor.id}
        )

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _get(self, url):
        self.env.flush_all()  # the request reads the database
        with mute_logger("odoo.http"):
            return self.url_open(url, allow_redirects=False)

    def _assert_refused(self, url, *secrets):
        response = self._get(url)
        self.assertIn(response.status_code, REFUSED, url)
        for secret in secrets:
            self.assertNotIn(secret, response.text, url)
        return response

    def _names(self, contract):
        return contract.code, contract.name

    def test_vendor_sees_its_contract_payments_and_notified_breaches(self):
        self._login(self.vendor_portal)
        listing = self._get("/my/contracts")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.contract.code, listing.text)
        self.assertIn("Portal ERP rollout", listing.text)
        for secret in (*self._names(self.other_contract), *self._names(self.draft_contract)):
            self.assertNotIn(secret, listing.text)
        self.assertNotIn("Plain NDA", listing.text)
        # Filters and sortings.
        self.assertIn(self.contract.code, self._get("/my/contracts?filterby=in_force").text)
        self.assertNotIn(self.contract.code, self._get("/my/contracts?filterby=expired").text)
        for sortby in ("date", "name", "state"):
            response = self._get(f"/my/contracts?sortby={sortby}")
            self.assertIn(self.contract.code, response.text, sortby)

        page = self._get(f"/my/contracts/{self.contract.id}")
        self.assertEqual(page.status_code, 200)
        for shown in (
            self.contract.code,
            "Service Fees: agreed text.",  # a section, written by IT
            "Late delivery",  # a clause
            "Advance",
            "Final payment",
            self.breach.name,
            "Go-live two days late.",
        ):
            self.assertIn(shown, page.text)
        self.assertNotIn(self.draft_breach.name, page.text)
        self.assertNotIn("Suspected data leak", page.text)
        self.assertIn(f"/my/contracts/{self.contract.id}?report_type=pdf", page.text)
        self.assertIn('id="lianghua_contract_evaluations"', page.text)
        self.assertIn(self.evaluation.name, page.text)
        self.assertIn('data-allow_composer="0"', page.text, "the chatter is read-only")
        pdf = self._get(f"/my/contracts/{self.contract.id}?report_type=pdf&download=true")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertIn("Portal_ERP_rollout.pdf", pdf.headers["Content-Disposition"])

        # The counter of the portal home.
        self.assertEqual(self._get("/my").status_code, 200)
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", {"counters": ["lianghua_contract_count"]}),
            {"lianghua_contract_count": 1},
        )

    def test_another_vendor_gets_nothing_of_the_contract(self):
        self._login(self.other_portal)
        secrets = (*self._names(self.contract), "Late delivery", "Go-live two days late.")
        self._assert_refused(f"/my/contracts/{self.contract.id}", *secrets)
        self._assert_refused(f"/my/contracts/{self.contract.id}?report_type=pdf", *secrets)
        self._assert_refused(
            f"/my/contracts/{self.contract.id}?report_type=pdf&download=true", *secrets
        )
        self.assertEqual(self._get("/my/contracts/999999999").status_code, 404)
        listing = self._get("/my/contracts")
        self.assertIn(self.other_contract.code, listing.text)
        for secret in self._names(self.contract):
            self.assertNotIn(secret, listing.text)
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", {"counters": ["lianghua_contract_count"]}),
            {"lianghua_contract_count": 1},
        )

    def test_no_draft_contract_nor_other_agreement_in_the_portal(self):
        self._login(self.vendor_portal)
        self._assert_refused(
            f"/my/contracts/{self.draft_contract.id}", *self._names(self.draft_contract)
        )
        self._assert_refused(f"/my/contracts/{self.plain_agreement.id}", "Plain NDA")
        # Not even with their token (a token reaches the vendor with any
        # notification of the record).
        for record in (self.draft_contract, self.plain_agreement):
            token = record.sudo()._portal_ensure_token()
            self._assert_refused(
                f"/my/contracts/{record.id}?access_token={token}", record.code, record.name
            )
            self._assert_refused(
                f"/my/contracts/{record.id}?access_token={token}&report_type=pdf", record.name
            )

    def test_internal_user_without_rights_gets_no_portal_access(self):
        self._login(self.requester_prod)
        self._assert_refused(f"/my/contracts/{self.contract.id}", *self._names(self.contract))
        self._assert_refused(f"/my/contracts/{self.contract.id}?report_type=pdf")
        listing = self._get("/my/contracts")
        self.assertNotIn(self.contract.code, listing.text)

    def test_the_access_token_lets_in_only_with_the_right_token(self):
        token = self.contract.sudo()._portal_ensure_token()
        self.authenticate(None, None)
        url = f"/my/contracts/{self.contract.id}"
        secrets = self._names(self.contract)
        self._assert_refused(url, *secrets)
        self._assert_refused(f"{url}?access_token={'0' * len(token)}", *secrets)
        self._assert_refused(f"{url}?access_token=", *secrets)
        self._assert_refused(f"{url}?access_token={token}x&report_type=pdf", *secrets)
        page = self._get(f"{url}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.contract.code, page.text)
        self.assertIn("Go-live two days late.", page.text)
        self.assertNotIn("Suspected data leak", page.text)
        self.assertIn(f"access_token={token}", page.text, "the download keeps the token")
        pdf = self._get(f"{url}?access_token={token}&report_type=pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        # The token opens the contract for reading: it posts nothing in its chatter.
        self.env.flush_all()
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/mail/message/post",
                data=json.dumps(
                    {"jsonrpc": "2.0", "method": "call", "id": 0,
                     "params": {"thread_model": "agreement", "thread_id": self.contract.id,
                                "post_data": {"body": "Posted with the token",
                                              "message_type": "comment"},
                                "token": token}}
                ),
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
        self.assertEqual(response.json()["error"]["data"]["name"], "werkzeug.exceptions.NotFound")
        Contract = self.env["agreement"].with_user(self.env.ref("base.public_user"))
        self.assertEqual(
            Contract._get_thread_with_access(self.contract.id, "read", token=token),
            self.contract,
        )
        self.assertFalse(Contract._get_thread_with_access(self.contract.id, "write", token=token))
        self.assertFalse(
            self.env["mail.message"].search_count(
                [("model", "=", "agreement"), ("res_id", "=", self.contract.id),
                 ("body", "ilike", "Posted with the token")]
            )
        )  # fmt: skip

    def test_portal_tour(self):
        self.start_tour("/my", "lianghua_contract_portal_tour", login="lh_vendor_portal")
