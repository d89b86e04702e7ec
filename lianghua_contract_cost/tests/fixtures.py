"""This addon's records of one company, made through its workflow, for the
suite's multi-company test (``tests/test_multi_company.py``: see its
docstring for the convention)."""

from odoo import Command
from odoo.tests import new_test_user


def populate(site):
    """A draft settlement of the site's contract (its breach is not decided
    yet), and a contract of its own, paid at signature and settled: audited by
    the site's auditor, signed by a finance officer of the company."""
    env = site.env
    finance = new_test_user(
        env,
        login=f"lh_settlement_finance_{site.company.id}",
        name=f"Lh Settlement Finance {site.company.id}",
        email=f"lh_settlement_finance_{site.company.id}@example.com",
        groups="base.group_user,lianghua_cost.group_lianghua_finance",
        lang="en_US",
        company_id=site.company.id,
        company_ids=[Command.set(site.company.ids)],
    )
    Settlement = env["lianghua.contract.settlement"].with_user(site.it_user)
    draft = Settlement.create({"agreement_id": site.records["contract"].id})
    contract = (
        env["agreement"]
        .with_user(site.it_user)
        .create(
            {
                "name": "Licence renewal",
                "lianghua_kind": "partner",
                "lianghua_contract_type": "licence",
                "partner_id": site.records["vendor"].id,
                "lianghua_amount": 5000,
                "start_date": site.today,
                "end_date": site.future,
                "lianghua_milestone_ids": [
                    Command.create(
                        {"name": "On signature", "amount_type": "fixed", "amount": 5000,
                         "condition": "date", "date_planned": site.today}
                    ),
                ],
            }
        )
    )  # fmt: skip
    for section in contract.sudo().sections_ids:
        section.with_user(site.it_user).content = f"<p>{section.name}: agreed.</p>"
    contract.action_submit_review()
    site._review(contract, site.records["legal"], comment="Lawful.")
    contract.write({"signed_contract": b"JVBERi0xLjQK", "company_signed_date": site.today})
    contract.action_sign()
    contract.lianghua_milestone_ids.with_user(site.it_manager).action_bill()
    settled = Settlement.create({"agreement_id": contract.id})
    settled.action_submit()
    site._review(settled, site.auditor, comment="Audited.")
    site._review(settled, finance, comment="Signed.")
    site.records.update(settlement=draft, settlement_settled=settled)
