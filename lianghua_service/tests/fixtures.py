"""The records of one company, made through the workflow, for the tests that
look at a whole company: the access matrix and the suite's multi-company test
(``tests/test_multi_company.py``).

The suite's convention (see ``tests/test_multi_company.py``): every
``lianghua_*`` addon may ship a ``tests/fixtures.py`` with ``populate(site)``,
which makes, through the addon's workflow and as the site's people, at least
one record of every model of the addon that has a stored ``company_id``, in
``site.company``. The suite calls it addon by addon in dependency order (this
one first), for each company: an addon builds on what the addons it depends
on left in ``site.records``, and may add people to the site.
"""

import json
from datetime import timedelta
from graphlib import TopologicalSorter
from importlib import import_module
from pathlib import Path

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user

from ..controllers.monitoring import parse_alertmanager
from .common import LianghuaServiceCommon

# The roles of a company's people, as the groups of common._user() name them.
ROLES = ("requester", "dept_manager", "it_user", "it_manager", "leader", "auditor")
ALERT = Path(__file__).parent / "data" / "alertmanager_firing.json"


def fixture_modules(env):
    """The ``tests/fixtures.py`` of the installed Lianghua addons, in dependency order."""
    modules = env["ir.module.module"].search(
        [("state", "=", "installed"), ("name", "=like", "lianghua\\_%")]
    )
    names = set(modules.mapped("name"))
    graph = {m.name: set(m.dependencies_id.mapped("name")) & names for m in modules}
    found = []
    for name in TopologicalSorter(graph).static_order():
        if (Path(get_module_path(name)) / "tests" / "fixtures.py").is_file():
            found.append(import_module(f"odoo.addons.{name}.tests.fixtures"))
    return found


class Site:
    """One company: its people and places, lent to the helpers of common.py.

    The helpers (_approved_plan, _golive, _filed_acceptance...) act as
    ``self.requester``, ``self.dept_manager``, ``self.it_user`` and
    ``self.leader``: a site lends them the people of a department, or of
    another company. Its environment works in the site's company (records
    the superuser makes, attachments say, belong to it).
    """

    _request_vals = LianghuaServiceCommon._request_vals
    _create_request = LianghuaServiceCommon._create_request
    _evaluate = LianghuaServiceCommon._evaluate
    _accepted_request = LianghuaServiceCommon._accepted_request
    _draft_plan = LianghuaServiceCommon._draft_plan
    _review = LianghuaServiceCommon._review
    _approved_plan = LianghuaServiceCommon._approved_plan
    _attach = LianghuaServiceCommon._attach
    _golive = LianghuaServiceCommon._golive
    _filed_acceptance = LianghuaServiceCommon._filed_acceptance

    def __init__(self, test_class, company, **people_and_places):
        self.company = company
        self.env = test_class.env(
            context=dict(test_class.env.context, allowed_company_ids=company.ids)
        )
        self.today = test_class.today
        self.future = test_class.future
        self.service_type = test_class.service_type
        self.records = {}  # {name: record} that later addons may build on
        for name, value in people_and_places.items():
            setattr(self, name, value.with_env(self.env))


def main_site(test_class, portal):
    """The test class's own company (``LianghuaOperationsCommon``: Sales,
    IT and the board, its people, service desk and CRM) as a site."""
    return Site(
        test_class,
        test_class.env.company,
        requester=test_class.requester,
        dept_manager=test_class.dept_manager,
        it_user=test_class.it_user,
        it_manager=test_class.it_manager,
        leader=test_class.leader,
        auditor=test_class.auditor,
        portal=portal,
        department=test_class.dept_sales,
        it_department=test_class.dept_it,
        board=test_class.dept_board,
        team=test_class.team,
        system=test_class.crm,
    )


def company_site(test_class, name, code):
    """Another company, with its departments (business, IT, board), its people
    of each role, a portal user of the company's partner, its service desk
    (with its SLA, on its working calendar) and an information system."""
    company = test_class.env["res.company"].create({"name": name})
    Department = test_class.env["hr.department"]
    sales, it, board = (
        Department.create({"name": f"{name} {dept}", "company_id": company.id})
        for dept in ("Sales", "IT", "Board")
    )
    home = {
        "requester": sales,
        "dept_manager": sales,
        "it_user": it,
        "it_manager": it,
        "leader": board,
        "auditor": board,
    }
    people = {
        role: test_class._user(f"lh_{role}_{code}", role, department, company=company)
        for role, department in home.items()
    }
    sales.manager_id = people["dept_manager"].with_company(company).employee_ids
    people["portal"] = portal_user(test_class.env, f"lh_portal_{code}", company)
    calendar = test_class.env["resource.calendar"].create(
        {"name": f"{name} service desk hours", "company_id": company.id, "tz": "Asia/Shanghai"}
    )
    team = test_class.env["helpdesk.ticket.team"].create(
        {
            "name": f"{name} service desk",
            "company_id": company.id,
            "use_sla": True,
            "resource_calendar_id": calendar.id,
            "user_id": people["it_manager"].id,
            "user_ids": [Command.set((people["it_user"] | people["it_manager"]).ids)],
        }
    )
    system = test_class.env["lianghua.system"].create(
        {"name": f"{name} MES", "code": f"MES-{code.upper()}", "company_id": company.id,
         "department_id": sales.id, "it_owner_id": people["it_user"].id,
         "category_id": test_class.env.ref("lianghua_service.system_category_erp").id}
    )  # fmt: skip
    return Site(
        test_class,
        company,
        department=sales,
        it_department=it,
        board=board,
        team=team,
        system=system,
        **people,
    )


def portal_user(env, login, company):
    """A portal user, contact of ``company``'s partner (its customer account)."""
    user = new_test_user(
        env,
        login=login,
        name=login.replace("_", " ").title(),
        email=f"{login}@example.com",
        groups="base.group_portal",
        lang="en_US",
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
    )
    user.partner_id.parent_id = company.partner_id
    return user


def populate(site):
    """This addon's records of ``site.company`` (the suite's convention)."""
    _approval_of_critical_requests(site)
    chain = request_chain(site)
    site.records.update(
        project=chain["project.project"],
        request=chain["lianghua.request"],
        acceptance=chain["lianghua.acceptance"],
    )
    _demand_list(site, "2", submit=True)
    operations(site, site.system, site.requester)
    _operations_workflow(site)
    catalogue(site)
    _indicators(site)


def _indicators(site):
    """The shared indicators measured in the site's company, and one of its
    own, entered by hand by its department manager."""
    env = site.env
    env["lianghua.indicator"].search([("computation", "!=", False)])._measure(site.today)
    own = env["lianghua.indicator"].create(
        {"name": "Training hours", "code": "TRAIN", "scope": "department",
         "owner_id": site.dept_manager.id, "company_id": site.company.id}
    )  # fmt: skip
    env["lianghua.indicator.value"].with_user(site.dept_manager).create(
        {"indicator_id": own.id, "department_id": site.department.id,
         "date_start": site.today, "value": 12, "comment": "Sign-in sheets"}
    )  # fmt: skip


def request_chain(site):
    """A department's records, from the request to a failed acceptance: the
    project's meetings, change (approved), checks, tests and defects, a
    revision of the plan under review, an urgent request waiting for a
    leader and a demand list; {model: a record}."""
    env = site.env
    urgent = site._create_request(urgency="urgent", urgency_reason="Trade fair next month.")
    urgent.action_submit()  # waits for a company leader's review

    plan = site._approved_plan()
    request = plan.request_id
    project = plan.project_id
    it = site.it_user

    meeting = (
        env["lianghua.meeting"]
        .with_user(it)
        .create(
            {
                "project_id": project.id,
                "minutes": "<p>Prototype shown.</p>",
                "issue_ids": [
                    Command.create(
                        {"name": "Get the API keys", "owner_id": it.id,
                         "deadline": site.future, "follow_up": "task"}
                    )
                ],
            }
        )
    )  # fmt: skip
    go_live = project.milestone_ids.sorted("deadline")[-1]
    change = (
        env["lianghua.change.request"]
        .with_user(site.dept_manager)
        .create(
            {
                "project_id": project.id,
                "title": "Add visit photos",
                "description": "<p>Photos on visits.</p>",
                "reason": "Asked by the regional managers.",
                "line_ids": [
                    Command.create(
                        {"milestone_id": go_live.id,
                         "new_deadline": go_live.deadline + relativedelta(weeks=2)}
                    )
                ],
            }
        )
    )  # fmt: skip
    change.action_submit()
    site._review(change, site.leader, comment="Worth two weeks.")

    design_review = (
        env["lianghua.quality.check"]
        .with_user(it)
        .create({"project_id": project.id, "kind": "design_review"})
    )
    design_review.finding_ids = [
        Command.create({"name": "Document the sync conflicts", "owner_id": it.id})
    ]
    test_plan = (
        env["lianghua.test.plan"]
        .with_user(it)
        .create(
            {
                "name": "System test",
                "project_id": project.id,
                "line_ids": [Command.create({"test_type": "functional", "case_count": 10})],
            }
        )
    )
    defect = (
        env["lianghua.defect"]
        .with_user(it)
        .create(
            {"name": "Typo on the form", "project_id": project.id,
             "test_plan_id": test_plan.id, "severity": "minor"}
        )
    )  # fmt: skip
    checklist = site._golive(project)

    acceptance = site._filed_acceptance(project)
    acceptance.with_user(site.dept_manager).write(
        {"member_ids": [Command.create({"user_id": site.requester.id, "is_leader": True})]}
    )
    acceptance.with_user(site.dept_manager).action_start_assessment()
    assessments = acceptance.assessment_ids.with_user(site.requester)
    assessments.write({"result": "pass"})
    assessments[0].result = "fail"
    acceptance.with_user(site.requester).write(
        {
            "conclusion_note": "Too slow.",
            "rectification_ids": [
                Command.create(
                    {"name": "Cache the customers", "owner_id": it.id, "deadline": site.future}
                )
            ],
        }
    )
    acceptance.with_user(site.requester).action_conclude()

    # A revision of the plan, under review: its reviews are open.
    revision = env["lianghua.plan"].browse(plan.with_user(it).action_revise()["res_id"])
    revision.with_user(it).action_submit()

    demand_list = _demand_list(site, "1")
    return {
        "lianghua.request": request,
        "tier.review: request": urgent.review_ids,
        "tier.review: plan": revision.review_ids.filtered(lambda r: r.status == "pending"),
        "lianghua.evaluation": request.evaluation_id,
        "lianghua.evaluation.line": request.evaluation_id.line_ids[:1],
        "lianghua.demand.list": demand_list,
        "lianghua.demand.item": demand_list.item_ids,
        "lianghua.plan": plan,
        "lianghua.plan.milestone": plan.milestone_ids[:1],
        "lianghua.plan.budget.line": plan.budget_line_ids[:1],
        "project.project": project,
        "lianghua.project.member": project.lianghua_member_ids[:1],
        "lianghua.meeting": meeting,
        "lianghua.meeting.issue": meeting.issue_ids,
        "lianghua.change.request": change,
        "lianghua.change.request.line": change.line_ids,
        "lianghua.milestone.rebaseline": go_live.lianghua_rebaseline_ids,
        "lianghua.quality.check": checklist,
        "lianghua.quality.check.line": checklist.line_ids[:1],
        "lianghua.quality.finding": design_review.finding_ids,
        "lianghua.test.plan": test_plan,
        "lianghua.test.plan.line": test_plan.line_ids,
        "lianghua.defect": defect,
        "lianghua.acceptance": acceptance,
        "lianghua.acceptance.deliverable": acceptance.deliverable_ids[:1],
        "lianghua.acceptance.member": acceptance.member_ids,
        "lianghua.acceptance.assessment": acceptance.assessment_ids[:1],
        "lianghua.rectification": acceptance.rectification_ids,
    }


def _demand_list(site, quarter, submit=False):
    """The department manager's demand list of a quarter of 2031 (submitted:
    its item is filed as a request)."""
    demand_list = (
        site.env["lianghua.demand.list"]
        .with_user(site.dept_manager)
        .create(
            {
                "period_type": "quarter",
                "year": 2031,
                "quarter": quarter,
                "item_ids": [
                    Command.create(
                        {"name": f"Need of Q{quarter}", "service_type_id": site.service_type.id,
                         "background": "By hand.", "content": "Automate it.",
                         "expected_goal": "Half the time.", "date_required": site.future}
                    )
                ],
            }
        )
    )  # fmt: skip
    if submit:
        demand_list.action_submit()
    return demand_list


def operations(site, system, user):
    """A system's ticket (opened for ``user``, with a checklist),
    maintenance plan, escalation and monitoring source; {model: a record}."""
    env, it = site.env, system.it_owner_id
    system.date_go_live = site.today - relativedelta(months=3)
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "Cannot post invoices",
            "description": "<p>The posting button spins forever.</p>",
            "team_id": site.team.id,
            "user_id": it.id,
            "partner_id": user.partner_id.id,
            "lianghua_system_id": system.id,
            "company_id": system.company_id.id,
            "priority": "1",
        }
    )
    ticket.lianghua_check_ids = [Command.create({"name": "Check the queue"})]
    step = env.ref("lianghua_service.escalation_step_resolution_50")
    escalation = env["lianghua.ticket.escalation"].create(
        {"ticket_id": ticket.id, "step_id": step.id}
    )
    plan = env["lianghua.maintenance.plan"].create(
        {
            "name": "Backup restore test",
            "system_id": system.id,
            "team_id": site.team.id,
            "user_id": it.id,
            "next_date": site.today + timedelta(days=30),
            "line_ids": [Command.create({"name": "Restore last night's backup"})],
        }
    )
    source = env["lianghua.monitoring.source"].create(
        {"name": "Prometheus", "team_id": site.team.id, "system_id": system.id,
         "company_id": system.company_id.id}
    )  # fmt: skip
    return {
        "helpdesk.ticket": ticket,
        "lianghua.system": system,
        "lianghua.maintenance.plan": plan,
        "lianghua.maintenance.plan.line": plan.line_ids,
        "lianghua.maintenance.check": ticket.lianghua_check_ids,
        "lianghua.ticket.escalation": escalation,
        "lianghua.monitoring.source": source,
    }


def _operations_workflow(site):
    """Operations the way they run: the requester opens a ticket that IT
    takes and lets run past its targets (the escalation cron fires every
    step, a week later), IT opens the next maintenance ticket of a plan (its
    checklist), an IT manager connects a monitoring source whose alert opens
    an incident."""
    env = site.env
    ticket = (
        env["helpdesk.ticket"]
        .with_user(site.requester)
        .create(
            {
                "name": "Cannot print the delivery notes",
                "description": "<p>The printer queue is stuck.</p>",
                "team_id": site.team.id,
                "lianghua_system_id": site.system.id,
            }
        )
    )
    ticket.with_user(site.it_user).write(
        {
            "user_id": site.it_user.id,
            "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress").id,
        }
    )
    ticket.sudo().ticket_sla_ids._lianghua_escalate(ticket.create_date + timedelta(days=7))

    plan = (
        env["lianghua.maintenance.plan"]
        .with_user(site.it_user)
        .create(
            {
                "name": "Patch the servers",
                "system_id": site.system.id,
                "team_id": site.team.id,
                "user_id": site.it_user.id,
                "next_date": site.today + timedelta(days=3),
                "line_ids": [Command.create({"name": "Apply the security updates"})],
            }
        )
    )
    plan.with_user(site.it_user).action_open_now()

    source = (
        env["lianghua.monitoring.source"]
        .with_user(site.it_manager)
        .create({"name": "Alertmanager", "team_id": site.team.id, "system_id": site.system.id})
    )
    payload = json.loads(ALERT.read_text())
    alert = payload["alerts"][0]
    alert["labels"]["system"] = site.system.code
    alert["fingerprint"] = f"down-{site.company.id}"
    payload["alerts"] = [alert]
    source._lianghua_receive_alerts(parse_alertmanager(payload))


def _approval_of_critical_requests(site):
    """The company's own approval tier (critical requests go to its leader),
    and a critical request waiting for it."""
    site.env["tier.definition"].create(
        {
            "name": f"{site.company.name}: leader approval of critical requests",
            "model_id": site.env["ir.model"]._get_id("lianghua.request"),
            "review_type": "individual",
            "reviewer_id": site.leader.id,
            "definition_domain": "[('priority', '=', '3')]",
            "company_id": site.company.id,
        }
    )
    site._create_request(priority="3").action_submit()


def catalogue(site):
    """The company's own catalogue and configuration, beside the shared one:
    {model: (the shared record, the company's copy)}."""
    ref = site.env.ref
    template = ref("lianghua_service.checklist_go_live")
    shared = {
        "lianghua.service.category": site.service_type.category_id,
        "lianghua.service.type": site.service_type,
        "lianghua.evaluation.dimension": ref("lianghua_service.dimension_cost"),
        "lianghua.checklist.template": template,
        "lianghua.deliverable.type": ref("lianghua_service.deliverable_test_report"),
        "lianghua.acceptance.criterion": ref("lianghua_service.criterion_performance"),
        "lianghua.system.category": ref("lianghua_service.system_category_erp"),
        "lianghua.escalation.step": ref("lianghua_service.escalation_step_resolution_50"),
        "helpdesk.sla": ref("lianghua_service.sla_response_3"),
        "lianghua.indicator": ref("lianghua_service.indicator_system_availability"),
    }
    company = {"company_id": site.company.id}
    # The company's own SLA target applies to its own desk.
    extra = {"helpdesk.sla": {"team_ids": [Command.set(site.team.ids)]}}
    theirs = {
        model: (record, record.copy({**company, **extra.get(model, {})}))
        for model, record in shared.items()
    }
    # Its items follow the template (copied with it).
    copy = theirs["lianghua.checklist.template"][1]
    theirs["lianghua.checklist.template.line"] = (template.line_ids[:1], copy.line_ids[:1])
    return theirs
