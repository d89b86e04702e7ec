"""This addon's records of one company, made through its workflow, for the
suite's multi-company test (``tests/test_multi_company.py``: see its
docstring for the convention)."""

from datetime import timedelta

from odoo import Command, fields


def populate(site):
    """A risk of the site's project from its plan's risk line is not needed:
    a risk identified by IT with a response, a concluded review, a team
    departure, a plan risk line, and an early warning raised by the cron from
    a late milestone."""
    env = site.env
    project = site.records["project"]
    ref = env.ref
    Risk = env["lianghua.risk"].with_user(site.it_user)
    risk = Risk.create(
        {"title": f"{site.company.name}: vendor staff leave", "project_id": project.id,
         "category_id": ref("lianghua_risk.risk_category_personnel").id,
         "probability_id": ref("lianghua_risk.risk_probability_3").id,
         "impact_id": ref("lianghua_risk.risk_impact_3").id, "owner_id": site.it_user.id,
         "response_ids": [Command.create(
             {"strategy": "mitigate", "name": "Second developer on call",
              "owner_id": site.it_user.id,
              "deadline": fields.Date.today() + timedelta(days=30)})]}
    )  # fmt: skip
    review = (
        env["lianghua.risk.review"]
        .with_user(site.it_user)
        .create({"project_id": project.id, "summary": "<p>First review.</p>"})
    )
    review.action_done()
    member = env["lianghua.project.member"].create(
        {"project_id": project.id, "user_id": site.it_manager.id, "role": "developer"}
    )
    member.unlink()
    plan = project.lianghua_plan_id
    env["lianghua.plan.risk"].sudo().create(
        {"plan_id": plan.id, "name": "Interfaces late",
         "category_id": ref("lianghua_risk.risk_category_schedule").id,
         "probability_id": ref("lianghua_risk.risk_probability_2").id,
         "impact_id": ref("lianghua_risk.risk_impact_2").id}
    )  # fmt: skip
    env["project.milestone"].create(
        {"name": "Late interfaces", "project_id": project.id,
         "deadline": fields.Date.today() - timedelta(days=20)}
    )  # fmt: skip
    slip = ref("lianghua_risk.indicator_schedule_slip")
    today = fields.Date.today()
    slip._measure(today, companies=site.company)
    env["lianghua.risk.warning"]._evaluate(slip, site.company, today)
    site.records["risk"] = risk
