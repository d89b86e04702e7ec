from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.lianghua_service.tests.common import LianghuaServiceCommon


def ensure_chart(env, company):
    """A chart of accounts for ``company`` (vendor bills need its purchase
    journal), as Odoo's own accounting tests load it."""
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)


class LianghuaContractCommon(LianghuaServiceCommon):
    """The people of the service suite, plus legal, finance, a vendor with its
    portal contact, and another vendor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_chart(cls.env, cls.env.company)
        cls.legal = new_test_user(
            cls.env,
            login="lh_legal",
            name="Lh Legal",
            email="lh_legal@example.com",
            lang="en_US",
            groups="base.group_user,lianghua_contract.group_lianghua_legal",
        )
        cls.finance = new_test_user(
            cls.env,
            login="lh_finance",
            name="Lh Finance",
            email="lh_finance@example.com",
            lang="en_US",
            groups="base.group_user,account.group_account_invoice",
        )
        Partner = cls.env["res.partner"]
        cls.vendor = Partner.create({"name": "Jinqiao Software", "is_company": True})
        cls.other_vendor = Partner.create({"name": "Other Vendor", "is_company": True})
        cls.vendor_portal = cls._portal("lh_vendor_portal", cls.vendor)
        cls.other_portal = cls._portal("lh_other_portal", cls.other_vendor)
        cls.env.company.lianghua_contract_leader_amount = 500000

    @classmethod
    def _portal(cls, login, vendor):
        user = new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            email=f"{login}@example.com",
            groups="base.group_portal",
            lang="en_US",
        )
        user.partner_id.parent_id = vendor
        return user

    def _contract_vals(self, **vals):
        return {
            "name": "ERP implementation",
            "lianghua_kind": "outsourcing",
            "lianghua_contract_type": "implementation",
            "partner_id": self.vendor.id,
            "lianghua_amount": 100000,
            "start_date": self.today,
            "end_date": self.future,
            **vals,
        }

    def _create_contract(self, **vals):
        return self.env["agreement"].with_user(self.it_user).create(self._contract_vals(**vals))

    def _fill_sections(self, contract):
        """IT writes every section left empty by its template."""
        for section in contract.sudo().sections_ids:
            if not section.content or section.content == "<p><br></p>":
                section.with_user(self.it_user).content = f"<p>{section.name}: agreed text.</p>"

    def _reviewed_contract(self, **vals):
        """A contract through legal review (and the leaders' when needed)."""
        contract = self._create_contract(**vals)
        self._fill_sections(contract)
        contract.action_submit_review()
        self._review(contract, self.legal, comment="Clauses are lawful.")
        if contract.lianghua_needs_leader:
            self._review(contract, self.leader, comment="Approved.")
        return contract

    def _signed_contract(self, **vals):
        contract = self._reviewed_contract(**vals)
        contract.write(
            {
                "signed_contract": b"JVBERi0xLjQK",
                "signed_contract_filename": "signed.pdf",
                "company_signed_date": self.today,
            }
        )
        contract.action_sign()
        return contract

    def _payment(self, contract, name, **vals):
        return Command.create({"name": name, **vals})

    def _pass_acceptance(self, project):
        self._golive(project)
        acceptance = self._filed_acceptance(project).with_user(self.dept_manager)
        acceptance.write(
            {"member_ids": [Command.create({"user_id": self.requester.id, "is_leader": True})]}
        )
        acceptance.action_start_assessment()
        sheet = acceptance.assessment_ids.filtered(lambda a: a.user_id == self.requester)
        sheet.with_user(self.requester).write({"result": "pass", "comment": "Checked."})
        acceptance.with_user(self.requester).action_conclude()
        return acceptance
