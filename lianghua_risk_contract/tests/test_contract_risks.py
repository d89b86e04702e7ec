from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.lianghua_contract.tests.common import LianghuaContractCommon


@tagged("post_install", "-at_install")
class TestContractRisks(LianghuaContractCommon):
    """A risk may be the risk of a service contract: alone, it belongs to
    the contract's company and department; the contract counts its open
    risks; the department the contract serves reads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.personnel = cls.env.ref("lianghua_risk.risk_category_personnel")
        cls.possible = cls.env.ref("lianghua_risk.risk_probability_3")
        cls.moderate = cls.env.ref("lianghua_risk.risk_impact_3")
        cls.company_b = cls.env["res.company"].create({"name": "Lianghua Subsidiary"})
        dept_b = cls.env["hr.department"].create(
            {"name": "Subsidiary IT", "company_id": cls.company_b.id}
        )
        cls.it_user_b = cls._user("lh_it_b", "it_user", dept_b, company=cls.company_b)

    def setUp(self):
        super().setUp()
        # A contract serving Sales.
        self.contract = self._create_contract(lianghua_department_id=self.dept_sales.id)

    def _risk(self, user=None, **vals):
        return (
            self.env["lianghua.risk"]
            .with_user(user or self.it_user)
            .create(
                {
                    "title": "The vendor's lead developer may leave",
                    "category_id": self.personnel.id,
                    "probability_id": self.possible.id,
                    "impact_id": self.moderate.id,
                    **vals,
                }
            )
        )

    def test_risk_of_a_contract_only(self):
        risk = self._risk(contract_id=self.contract.id)
        self.assertRecordValues(
            risk,
            [{"contract_id": self.contract.id, "project_id": False, "system_id": False,
              "company_id": self.env.company.id, "department_id": self.dept_sales.id,
              "state": "identified"}],
        )  # fmt: skip
        self.assertNotEqual(risk.name, "New")
        # The department follows the contract's.
        self.contract.lianghua_department_id = self.dept_production
        self.assertEqual(risk.department_id, self.dept_production)
        # Its contract is its only subject: it keeps it.
        with self.assertRaisesRegex(ValidationError, "an information system or a contract"):
            risk.with_user(self.it_user).contract_id = False

    def test_risk_belongs_to_its_contracts_company(self):
        contract_b = self.env["agreement"].with_user(self.it_user_b).create(self._contract_vals())
        self.assertEqual(contract_b.company_id, self.company_b)
        # IT of both companies, working in the main one, identifies its risk.
        self.it_user.company_ids = [Command.link(self.company_b.id)]
        both = [self.env.company.id, self.company_b.id]
        it_user = self.it_user.with_context(allowed_company_ids=both)
        risk = self._risk(user=it_user, contract_id=contract_b.id)
        self.assertEqual(risk.company_id, self.company_b)
        # The risk of a project of the main company names none of its contracts.
        project = self._approved_plan().project_id
        with self.assertRaises(UserError):
            self._risk(user=it_user, project_id=project.id, contract_id=contract_b.id)

    def test_contract_counts_its_open_risks(self):
        other = self._create_contract(name="Hosting")
        open_risk = self._risk(contract_id=self.contract.id)
        closed = self._risk(contract_id=self.contract.id, close_reason="The vendor hired two.")
        closed.with_user(self.it_user).action_close()
        self._risk(contract_id=other.id)
        contracts = (self.contract | other).with_user(self.it_user)
        self.assertEqual(contracts.mapped("lianghua_risk_count"), [1, 1])
        contracts.invalidate_recordset(["lianghua_risk_count"])
        with self.assertQueryCount(1):  # one _read_group for every contract
            contracts.mapped("lianghua_risk_count")
        action = contracts[0].action_lianghua_view_risks()
        self.assertEqual(action["domain"], [("contract_id", "=", self.contract.id)])
        self.assertEqual(
            action["context"], {"default_contract_id": self.contract.id, "search_default_open": 1}
        )
        self.assertEqual(
            self.env["lianghua.risk"].search([*action["domain"], ("state", "!=", "closed")]),
            open_risk,
        )
        # IT identifies a risk of the contract from there.
        form = Form(
            self.env["lianghua.risk"].with_user(self.it_user).with_context(**action["context"])
        )
        form.title = "Payment terms disputed"
        form.category_id = self.env.ref("lianghua_risk.risk_category_requirement")
        form.probability_id = self.possible
        form.impact_id = self.moderate
        new = form.save()
        self.assertRecordValues(
            new, [{"contract_id": self.contract.id, "department_id": self.dept_sales.id}]
        )
        self.assertEqual(contracts[0].lianghua_risk_count, 2)
        # Legal reads the contract, not its risks: no count.
        self.assertEqual(self.contract.with_user(self.legal).lianghua_risk_count, 0)
        # The department served sees the count, and creates nothing from it.
        contract = self.contract.with_user(self.requester)
        self.assertEqual(contract.lianghua_risk_count, 2)
        self.assertFalse(contract.action_lianghua_view_risks()["context"]["create"])

    def test_department_served_reads_the_contracts_risks(self):
        project = self._approved_plan().project_id  # of Sales
        # The contract serves Production on Sales' project.
        self.contract.lianghua_department_id = self.dept_production
        alone = self._risk(contract_id=self.contract.id)
        both = self._risk(
            project_id=project.id,
            contract_id=self.contract.id,
            response_ids=[
                Command.create(
                    {"name": "Ask the vendor for a back-up", "owner_id": self.it_user.id,
                     "deadline": self.future}
                )
            ],
        )  # fmt: skip
        self.assertEqual(both.department_id, self.dept_sales, "the project's department")
        Risk = self.env["lianghua.risk"]
        for user in (self.requester_prod, self.dept_manager_prod):
            self.assertEqual(Risk.with_user(user).search([]), alone | both, user.login)
            (alone | both).with_user(user).read(["title", "contract_id"])
            both.response_ids.with_user(user).read(["name"])
        # Sales reads the risk of its project only.
        self.assertEqual(Risk.with_user(self.requester).search([]), both)
        with self.assertRaises(AccessError):
            alone.with_user(self.requester).read(["title"])
        # Without a department, the contract adds no reader.
        self.contract.lianghua_department_id = False
        self.assertFalse(Risk.with_user(self.requester_prod).search([]))
        with self.assertRaises(AccessError):
            alone.with_user(self.requester_prod).read(["title"])
        with self.assertRaises(AccessError):
            both.response_ids.with_user(self.requester_prod).read(["name"])
        # Nor do portal users and other companies read any.
        for user in (self.vendor_portal, self.it_user_b):
            with self.assertRaises(AccessError, msg=user.login):
                both.with_user(user).read(["title"])
