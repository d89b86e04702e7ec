"""This addon's records of one company, made through its workflow, for the
suite's multi-company test (``tests/test_multi_company.py``: see its
docstring for the convention)."""

from odoo import Command


def populate(site):
    """A risk of the site's contract alone (the vendor's lead developer may
    leave), identified by IT with a response planned."""
    env = site.env
    risk = (
        env["lianghua.risk"]
        .with_user(site.it_user)
        .create(
            {
                "title": "The vendor's lead developer may leave",
                "contract_id": site.records["contract"].id,
                "category_id": env.ref("lianghua_risk.risk_category_personnel").id,
                "probability_id": env.ref("lianghua_risk.risk_probability_3").id,
                "impact_id": env.ref("lianghua_risk.risk_impact_3").id,
                "response_ids": [
                    Command.create(
                        {"name": "Ask the vendor for a back-up", "owner_id": site.it_user.id,
                         "deadline": site.future}
                    )
                ],
            }
        )
    )  # fmt: skip
    site.records.update(contract_risk=risk)
