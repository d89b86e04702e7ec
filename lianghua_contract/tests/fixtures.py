"""This addon's records of one company, made through its workflow, for the
suite's multi-company test (``tests/test_multi_company.py``: see its
docstring for the convention)."""

from odoo import Command
from odoo.tests import new_test_user

from .common import ensure_chart


def populate(site):
    """A signed contract of the site's project with its payments, a comment of
    legal, a breach notified to the vendor, a supervision check done by the
    department served (a follow-up for the owner), an evaluation of the vendor
    done, and a section of the company's own."""
    env = site.env
    ensure_chart(env, site.company)
    legal = new_test_user(
        env,
        login=f"lh_legal_{site.company.id}",
        name=f"Lh Legal {site.company.id}",
        email=f"lh_legal_{site.company.id}@example.com",
        groups="base.group_user,lianghua_contract.group_lianghua_legal",
        lang="en_US",
        company_id=site.company.id,
        company_ids=[Command.set(site.company.ids)],
    )
    env["lianghua.contract.section.template"].create(
        {"name": "Data protection", "mandatory": False, "company_id": site.company.id}
    )
    vendor = env["res.partner"].create(
        {"name": f"{site.company.name} Vendor", "is_company": True, "company_id": site.company.id}
    )
    project = site.records["project"]
    contract = (
        env["agreement"]
        .with_user(site.it_user)
        .create(
            {
                "name": "Implementation",
                "lianghua_kind": "outsourcing",
                "lianghua_contract_type": "implementation",
                "partner_id": vendor.id,
                "lianghua_amount": 100000,
                "lianghua_request_id": site.records["request"].id,
                "lianghua_project_id": project.id,
                "lianghua_system_ids": [Command.set(site.system.ids)],
                "start_date": site.today,
                "end_date": site.future,
                "lianghua_milestone_ids": [
                    Command.create(
                        {"name": "Advance", "percent": 30, "condition": "date",
                         "date_planned": site.today}
                    ),
                    Command.create(
                        {"name": "Go-live", "percent": 70, "condition": "milestone",
                         "project_milestone_id": project.milestone_ids[:1].id}
                    ),
                ],
            }
        )
    )  # fmt: skip
    for section in contract.sudo().sections_ids:
        section.with_user(site.it_user).content = f"<p>{section.name}: agreed.</p>"
    contract.action_submit_review()
    env["lianghua.contract.review.note"].with_user(legal).create(
        {"agreement_id": contract.id, "note": "Name the data controller."}
    )
    site._review(contract, legal, comment="Lawful.")
    contract.write({"signed_contract": b"JVBERi0xLjQK", "company_signed_date": site.today})
    contract.action_sign()
    contract.lianghua_milestone_ids[:1].with_user(site.it_manager).action_bill()
    clause = (
        env["agreement.clause"]
        .sudo()
        .create(
            {"name": "Late delivery", "agreement_id": contract.id,
             "lianghua_liability_type": "per_day", "lianghua_liability_amount": 100}
        )
    )  # fmt: skip
    breach = (
        env["lianghua.contract.breach"]
        .with_user(site.it_user)
        .create(
            {"agreement_id": contract.id, "clause_id": clause.id, "days_late": 3,
             "description": "Three days late."}
        )
    )  # fmt: skip
    breach.action_notify()
    check = (
        env["lianghua.contract.check"]
        .with_user(site.requester)
        .create({"agreement_id": contract.id, "findings": "Monthly report late."})
    )
    check.line_ids.write({"result": "pass"})
    check.line_ids[:1].write({"result": "partial", "note": "Scope partly delivered."})
    check.action_done()
    evaluation = (
        env["lianghua.vendor.evaluation"]
        .with_user(site.it_user)
        .create(
            {"partner_id": vendor.id, "agreement_id": contract.id,
             "company_id": site.company.id,
             "review_line_ids": [Command.create({"name": "Cooperation", "score": 80})]}
        )
    )  # fmt: skip
    evaluation.action_compute()
    evaluation.with_user(site.it_manager).action_done()
    site.records.update(
        contract=contract, vendor=vendor, legal=legal, contract_check=check, evaluation=evaluation
    )
