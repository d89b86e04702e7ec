"""The access matrix: what each role may do on each model, record by record.

Every row is checked with ``has_access()`` on concrete records, so that the
access rights (ir.model.access) and the record rules (ir.rule) are both
evaluated; the checks of the models' own methods (workflow steps, frozen
fields...) come on top and are tested elsewhere.

Each model has three records: one of the Sales department (the department of
the requester and of the department manager), one of the Production department
(another department, for every role) and one of another company (none of the
users works for it). Catalogue-like models are shared by the departments: their
first record is a shared one (no company), the second column is empty (None).

In a cell, "r", "w", "c" and "u" stand for read, write, create and unlink
(unlink as "u" to keep "c" for create): "" means nothing at all. "c" on a
record means the user may create such a record: Odoo checks the create rules
on the record once made.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import GROUP, LianghuaOperationsCommon, LianghuaServiceCommon

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
ROLES = ("requester", "dept_manager", "it_user", "it_manager", "leader", "auditor", "portal")


class _Site:
    """The people of one department, for the helpers of tests/common.py.

    The helpers (_approved_plan, _golive, _filed_acceptance...) act as
    ``self.requester``, ``self.dept_manager``, ``self.it_user`` and
    ``self.leader``: a site lends them the people of another department, or of
    another company.
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

    def __init__(self, test_class, **people):
        self.env = test_class.env
        self.today = test_class.today
        self.future = test_class.future
        self.service_type = test_class.service_type
        for role, user in people.items():
            setattr(self, role, user)


@tagged("post_install", "-at_install")
class TestAccessMatrix(LianghuaOperationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dept_production.manager_id = cls.dept_manager_prod.employee_ids[:1]
        cls.portal = new_test_user(
            cls.env, login="lh_portal", name="Lh Portal", groups="base.group_portal"
        )
        cls._other_company()

        sales = _Site(
            cls,
            requester=cls.requester,
            dept_manager=cls.dept_manager,
            it_user=cls.it_user,
            leader=cls.leader,
        )
        production = _Site(
            cls,
            requester=cls.requester_prod,
            dept_manager=cls.dept_manager_prod,
            it_user=cls.it_user,
            leader=cls.leader,
        )
        other = _Site(
            cls,
            requester=cls.requester_c2,
            dept_manager=cls.manager_c2,
            it_user=cls.it_c2,
            leader=cls.leader_c2,
        )
        chains = [cls._chain(site) for site in (sales, production, other)]
        operations = [
            cls._operations(system, team)
            for system, team in ((cls.crm, cls.team), (cls.erp, cls.team), (cls.mes, cls.team_c2))
        ]
        cls.records = {
            model: tuple(chain[model] for chain in chains)
            for model in chains[0]
        } | {
            model: tuple(operation[model] for operation in operations)
            for model in operations[0]
        } | cls._shared_records()  # fmt: skip

    @classmethod
    def _other_company(cls):
        """Another company, with its own department, people and systems."""
        cls.company_2 = cls.env["res.company"].create({"name": "Lianghua Other Co"})
        cls.dept_c2 = cls.env["hr.department"].create(
            {"name": "Other Co Sales", "company_id": cls.company_2.id}
        )

        def user(login, role):
            user = new_test_user(
                cls.env,
                login=login,
                name=login.replace("_", " ").title(),
                email=f"{login}@example.com",
                lang="en_US",
                groups=f"base.group_user,{GROUP}{role}",
                company_id=cls.company_2.id,
                company_ids=[Command.set(cls.company_2.ids)],
            )
            employees[user] = cls.env["hr.employee"].create(
                {
                    "name": user.name,
                    "user_id": user.id,
                    "department_id": cls.dept_c2.id,
                    "company_id": cls.company_2.id,
                }
            )
            return user

        employees = {}

        cls.requester_c2 = user("lh_requester_c2", "requester")
        cls.manager_c2 = user("lh_dept_manager_c2", "dept_manager")
        cls.it_c2 = user("lh_it_c2", "it_user")
        cls.leader_c2 = user("lh_leader_c2", "leader")
        cls.dept_c2.manager_id = employees[cls.manager_c2]
        cls.team_c2 = cls.env["helpdesk.ticket.team"].create(
            {"name": "Other Co desk", "company_id": cls.company_2.id}
        )
        cls.mes = cls.env["lianghua.system"].create(
            {"name": "MES", "code": "MES", "company_id": cls.company_2.id,
             "department_id": cls.dept_c2.id, "it_owner_id": cls.it_c2.id,
             "category_id": cls.env.ref("lianghua_service.system_category_erp").id}
        )  # fmt: skip

    @classmethod
    def _chain(cls, site):
        """A department's records, from the request to a failed acceptance."""
        urgent = site._create_request(urgency="urgent", urgency_reason="Trade fair next month.")
        urgent.action_submit()  # waits for a company leader's review

        plan = site._approved_plan()
        request = plan.request_id
        project = plan.project_id
        it = site.it_user

        meeting = (
            cls.env["lianghua.meeting"]
            .with_user(it)
            .create(
                {
                    "project_id": project.id,
                    "minutes": "<p>Prototype shown.</p>",
                    "issue_ids": [
                        Command.create(
                            {"name": "Get the API keys", "owner_id": it.id,
                             "deadline": cls.future, "follow_up": "task"}
                        )
                    ],
                }
            )
        )  # fmt: skip
        go_live = project.milestone_ids.sorted("deadline")[-1]
        change = (
            cls.env["lianghua.change.request"]
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
            cls.env["lianghua.quality.check"]
            .with_user(it)
            .create({"project_id": project.id, "kind": "design_review"})
        )
        design_review.finding_ids = [
            Command.create({"name": "Document the sync conflicts", "owner_id": it.id})
        ]
        test_plan = (
            cls.env["lianghua.test.plan"]
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
            cls.env["lianghua.defect"]
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
                        {"name": "Cache the customers", "owner_id": it.id, "deadline": cls.future}
                    )
                ],
            }
        )
        acceptance.with_user(site.requester).action_conclude()

        # A revision of the plan, under review: its reviews are open.
        revision = cls.env["lianghua.plan"].browse(plan.with_user(it).action_revise()["res_id"])
        revision.with_user(it).action_submit()

        demand_list = (
            cls.env["lianghua.demand.list"]
            .with_user(site.dept_manager)
            .create(
                {
                    "period_type": "quarter",
                    "year": 2031,
                    "quarter": "1",
                    "item_ids": [
                        Command.create(
                            {"name": "Need 1", "service_type_id": cls.service_type.id,
                             "background": "By hand.", "content": "Automate it.",
                             "expected_goal": "Half the time.", "date_required": cls.future}
                        )
                    ],
                }
            )
        )  # fmt: skip
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

    @classmethod
    def _operations(cls, system, team):
        """A system's ticket, maintenance plan, checks and escalation."""
        user = system.department_id.member_ids.user_id.filtered(
            lambda u: not u.has_group("lianghua_service.group_lianghua_dept_manager")
        )[:1]
        system.date_go_live = cls.today - relativedelta(months=3)
        ticket = cls._ticket(
            cls,
            team_id=team.id,
            user_id=system.it_owner_id.id,
            partner_id=user.partner_id.id,
            lianghua_system_id=system.id,
            company_id=system.company_id.id,
        )
        ticket.lianghua_check_ids = [Command.create({"name": "Check the queue"})]
        step = cls.env.ref("lianghua_service.escalation_step_resolution_50")
        escalation = cls.env["lianghua.ticket.escalation"].create(
            {"ticket_id": ticket.id, "step_id": step.id}
        )
        plan = cls.env["lianghua.maintenance.plan"].create(
            {
                "name": "Backup restore test",
                "system_id": system.id,
                "team_id": team.id,
                "user_id": system.it_owner_id.id,
                "next_date": cls.today + timedelta(days=30),
                "line_ids": [Command.create({"name": "Restore last night's backup"})],
            }
        )
        source = cls.env["lianghua.monitoring.source"].create(
            {"name": "Prometheus", "team_id": team.id, "system_id": system.id,
             "company_id": system.company_id.id}
        )  # fmt: skip
        cls.env.flush_all()
        availability = cls.env["lianghua.system.availability"].search(
            [("system_id", "=", system.id)], limit=1
        )
        return {
            "helpdesk.ticket": ticket,
            "lianghua.system": system,
            "lianghua.system.availability": availability,
            "lianghua.maintenance.plan": plan,
            "lianghua.maintenance.plan.line": plan.line_ids,
            "lianghua.maintenance.check": ticket.lianghua_check_ids,
            "lianghua.ticket.escalation": escalation,
            "lianghua.monitoring.source": source,
        }

    @classmethod
    def _shared_records(cls):
        """The catalogue and configuration: shared records, and another company's."""
        ref = cls.env.ref
        template = ref("lianghua_service.checklist_go_live")
        shared = {
            "lianghua.service.category": cls.service_type.category_id,
            "lianghua.service.type": cls.service_type,
            "lianghua.evaluation.dimension": ref("lianghua_service.dimension_cost"),
            "lianghua.checklist.template": template,
            "lianghua.checklist.template.line": template.line_ids[:1],
            "lianghua.deliverable.type": ref("lianghua_service.deliverable_test_report"),
            "lianghua.acceptance.criterion": ref("lianghua_service.criterion_performance"),
            "lianghua.system.category": ref("lianghua_service.system_category_erp"),
            "lianghua.escalation.step": ref("lianghua_service.escalation_step_resolution_50"),
        }
        company = {"company_id": cls.company_2.id}
        theirs = {
            model: record.copy(company)
            for model, record in shared.items()
            if model != "lianghua.checklist.template.line"
        }
        # Its items follow the template (copied with it).
        theirs["lianghua.checklist.template.line"] = theirs["lianghua.checklist.template"].line_ids[
            :1
        ]
        return {model: (record, None, theirs[model]) for model, record in shared.items()}

    # The checks

    def _allowed(self, user, record):
        """The operations ``user`` may do on ``record``, as in the table."""
        record = record.with_user(user)
        return "".join(letter for letter, op in OPERATIONS.items() if record.has_access(op))

    def _actual(self, role):
        user = getattr(self, role)
        return {
            model: tuple(None if not record else self._allowed(user, record) for record in records)
            for model, records in self.records.items()
        }

    def test_dump(self):
        import pprint

        result = {role: self._actual(role) for role in ROLES}
        by_model = {model: {role: result[role][model] for role in ROLES} for model in self.records}
        with open("/tmp/matrix_actual.txt", "w") as out:
            out.write(pprint.pformat(by_model, width=120, sort_dicts=False))
