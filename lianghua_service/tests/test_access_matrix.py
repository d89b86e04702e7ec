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

from .common import LianghuaOperationsCommon, LianghuaServiceCommon

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
ROLES = ("requester", "dept_manager", "it_user", "it_manager", "leader", "auditor", "portal")

# fmt: off
# IT's work: IT changes it, the requesting department, leaders and
# auditors read it.
IT_WORK = {
    "requester":    ("r",    "",     ""),
    "dept_manager": ("r",    "",     ""),
    "it_user":      ("rwcu", "rwcu", ""),
    "it_manager":   ("rwcu", "rwcu", ""),
    "leader":       ("r",    "r",    ""),
    "auditor":      ("r",    "r",    ""),
    "portal":       ("",     "",     ""),
}

# A department's own work: its manager changes it, IT works on every
# department's, leaders and auditors read it.
DEPARTMENT_WORK = {
    "requester":    ("r",    "",     ""),
    "dept_manager": ("rwcu", "",     ""),
    "it_user":      ("rwcu", "rwcu", ""),
    "it_manager":   ("rwcu", "rwcu", ""),
    "leader":       ("r",    "r",    ""),
    "auditor":      ("r",    "r",    ""),
    "portal":       ("",     "",     ""),
}

# Written by the workflow only: read-only for every role.
WORKFLOW_ONLY = {
    "requester":    ("r",    "",     ""),
    "dept_manager": ("r",    "",     ""),
    "it_user":      ("r",    "r",    ""),
    "it_manager":   ("r",    "r",    ""),
    "leader":       ("r",    "r",    ""),
    "auditor":      ("r",    "r",    ""),
    "portal":       ("",     "",     ""),
}

# The register of systems, read by every employee; IT keeps it.
REGISTER = {
    "requester":    ("r",    "r",    ""),
    "dept_manager": ("r",    "r",    ""),
    "it_user":      ("rwc",  "rwc",  ""),
    "it_manager":   ("rwcu", "rwcu", ""),
    "leader":       ("r",    "r",    ""),
    "auditor":      ("r",    "r",    ""),
    "portal":       ("",     "",     ""),
}

# The catalogue and configuration: shared (first column), another
# company's (last column); IT managers maintain them.
CATALOGUE = {
    "requester":    ("r",    None,   ""),
    "dept_manager": ("r",    None,   ""),
    "it_user":      ("r",    None,   ""),
    "it_manager":   ("rwcu", None,   ""),
    "leader":       ("r",    None,   ""),
    "auditor":      ("r",    None,   ""),
    "portal":       ("",     None,   ""),
}

MATRIX = {
    # model: {role: (Sales record, Production record, other company's record)}
    # Requests: a requester changes their own, a department manager the
    # department's, IT every one; leaders and auditors read them all (a leader
    # acts on those waiting for approval: none here).
    "lianghua.request": {
        "requester":    ("rwcu", "",     ""),
        "dept_manager": ("rwcu", "",     ""),
        "it_user":      ("rwcu", "rwcu", ""),
        "it_manager":   ("rwcu", "rwcu", ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    # Approval reviews follow their document: read where the document is read.
    # Its reviewers (leaders here) leave their comment while it is open; the
    # workflow (superuser) writes the rest, creates and removes them.
    "tier.review: request": {
        "requester":    ("r",    "",     ""),
        "dept_manager": ("r",    "",     ""),
        "it_user":      ("r",    "r",    ""),
        "it_manager":   ("r",    "r",    ""),
        "leader":       ("rw",   "rw",   ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    # A plan's first review is the requesting department manager's.
    "tier.review: plan": {
        "requester":    ("r",    "",     ""),
        "dept_manager": ("rw",   "",     ""),
        "it_user":      ("r",    "r",    ""),
        "it_manager":   ("r",    "r",    ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    # IT's work, read by the requesting department, leaders and auditors.
    "lianghua.evaluation": IT_WORK,
    "lianghua.evaluation.line": IT_WORK,
    # A department manager compiles the department's lists; IT works on all.
    "lianghua.demand.list": DEPARTMENT_WORK,
    "lianghua.demand.item": DEPARTMENT_WORK,
    "lianghua.plan": IT_WORK,
    "lianghua.plan.milestone": IT_WORK,
    "lianghua.plan.budget.line": IT_WORK,
    # Lianghua projects: IT writes them; IT managers (project managers) create them.
    "project.project": {
        "requester":    ("r",    "",     ""),
        "dept_manager": ("r",    "",     ""),
        "it_user":      ("rw",   "rw",   ""),
        "it_manager":   ("rwcu", "rwcu", ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    "lianghua.project.member": IT_WORK,
    "lianghua.meeting": IT_WORK,
    "lianghua.meeting.issue": IT_WORK,
    # The department manager raises the department's changes; IT works on all.
    "lianghua.change.request": DEPARTMENT_WORK,
    "lianghua.change.request.line": DEPARTMENT_WORK,
    "lianghua.milestone.rebaseline": WORKFLOW_ONLY,
    "lianghua.quality.check": IT_WORK,
    "lianghua.quality.check.line": IT_WORK,
    "lianghua.quality.finding": IT_WORK,
    "lianghua.test.plan": IT_WORK,
    "lianghua.test.plan.line": IT_WORK,
    "lianghua.defect": IT_WORK,
    # The acceptance group (the requester here) concludes, the department
    # manager forms the group, IT files and works on it; a leader only reads
    # another department's.
    "lianghua.acceptance": {
        "requester":    ("rw",   "",     ""),
        "dept_manager": ("rw",   "",     ""),
        "it_user":      ("rwcu", "rwcu", ""),
        "it_manager":   ("rwcu", "rwcu", ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    "lianghua.acceptance.deliverable": IT_WORK,
    "lianghua.acceptance.member": DEPARTMENT_WORK,
    # Each member fills in their own assessment; IT reads them.
    "lianghua.acceptance.assessment": {
        "requester":    ("rw",   "",     ""),
        "dept_manager": ("r",    "",     ""),
        "it_user":      ("r",    "r",    ""),
        "it_manager":   ("r",    "r",    ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    # The group lists them, their owner (IT) closes them.
    "lianghua.rectification": {
        "requester":    ("rwcu", "",     ""),
        "dept_manager": ("r",    "",     ""),
        "it_user":      ("rwcu", "rwcu", ""),
        "it_manager":   ("rwcu", "rwcu", ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    # Tickets: helpdesk_mgmt's rules for the people who opened or follow them
    # (the requester here) and for IT; department managers, leaders and auditors
    # read them.
    "helpdesk.ticket": {
        "requester":    ("rwc",  "",     ""),
        "dept_manager": ("r",    "",     ""),
        "it_user":      ("rwc",  "rwc",  ""),
        "it_manager":   ("rwcu", "rwcu", ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    "lianghua.system": REGISTER,
    "lianghua.maintenance.plan": REGISTER,
    "lianghua.maintenance.plan.line": {
        "requester":    ("r",    "r",    ""),
        "dept_manager": ("r",    "r",    ""),
        "it_user":      ("rwcu", "rwcu", ""),
        "it_manager":   ("rwcu", "rwcu", ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    # Read with the ticket; escalations are written by the cron only.
    "lianghua.maintenance.check": IT_WORK,
    "lianghua.ticket.escalation": WORKFLOW_ONLY,
    # Tokens of the monitoring sources: IT managers, IT and auditors only.
    "lianghua.monitoring.source": {
        "requester":    ("",     "",     ""),
        "dept_manager": ("",     "",     ""),
        "it_user":      ("r",    "r",    ""),
        "it_manager":   ("rwcu", "rwcu", ""),
        "leader":       ("",     "",     ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
    "lianghua.service.category": CATALOGUE,
    "lianghua.service.type": CATALOGUE,
    "lianghua.evaluation.dimension": CATALOGUE,
    "lianghua.checklist.template": CATALOGUE,
    "lianghua.checklist.template.line": CATALOGUE,
    "lianghua.deliverable.type": CATALOGUE,
    "lianghua.acceptance.criterion": CATALOGUE,
    "lianghua.system.category": CATALOGUE,
    "lianghua.escalation.step": CATALOGUE,
    # A report (SQL view), read only.
    "lianghua.system.availability": {
        "requester":    ("r",    "r",    ""),
        "dept_manager": ("r",    "r",    ""),
        "it_user":      ("r",    "r",    ""),
        "it_manager":   ("r",    "r",    ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
}
# fmt: on


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
            cls._operations(system, team, user)
            for system, team, user in (
                (cls.crm, cls.team, cls.requester),
                (cls.erp, cls.team, cls.requester_prod),
                (cls.mes, cls.team_c2, cls.requester_c2),
            )
        ]
        cls.records = {
            model: tuple(chain[model] for chain in chains)
            for model in chains[0]
        } | {
            model: tuple(operation[model] for operation in operations)
            for model in operations[0]
        } | cls._shared_records()  # fmt: skip
        # The availability report is an SQL view numbered over every system:
        # its rows are read once the systems are set.
        cls.env.flush_all()
        cls.records["lianghua.system.availability"] = tuple(
            cls.env["lianghua.system.availability"].search([("system_id", "=", system.id)], limit=1)
            for system in (cls.crm, cls.erp, cls.mes)
        )

    @classmethod
    def _other_company(cls):
        """Another company, with its own department, people and systems."""
        cls.company_2 = cls.env["res.company"].create({"name": "Lianghua Other Co"})
        cls.dept_c2 = cls.env["hr.department"].create(
            {"name": "Other Co Sales", "company_id": cls.company_2.id}
        )

        people = {
            role: cls._user(f"lh_{role}_c2", role, cls.dept_c2, company=cls.company_2)
            for role in ("requester", "dept_manager", "it_user", "leader")
        }
        cls.requester_c2 = people["requester"]
        cls.manager_c2 = people["dept_manager"]
        cls.it_c2 = people["it_user"]
        cls.leader_c2 = people["leader"]
        cls.dept_c2.manager_id = cls.manager_c2.with_company(cls.company_2).employee_ids
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
    def _operations(cls, system, team, user):
        """A system's ticket (opened by ``user``), maintenance plan, checks and escalation."""
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
        return {
            "helpdesk.ticket": ticket,
            "lianghua.system": system,
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

    def _check_role(self, role):
        user = getattr(self, role)
        columns = ("Sales", "Production", "other company")
        wrong = []
        for model, records in self.records.items():
            for column, record, expected in zip(columns, records, MATRIX[model][role], strict=True):
                allowed = None if not record else self._allowed(user, record)
                if allowed != expected:
                    wrong.append(
                        f"{model}, {column} record: expected {expected!r}, got {allowed!r}"
                    )
        self.assertFalse(wrong, f"{role} ({user.login}):\n" + "\n".join(wrong))

    def test_requester(self):
        self._check_role("requester")

    def test_dept_manager(self):
        self._check_role("dept_manager")

    def test_it_user(self):
        self._check_role("it_user")

    def test_it_manager(self):
        self._check_role("it_manager")

    def test_leader(self):
        self._check_role("leader")

    def test_auditor(self):
        self._check_role("auditor")

    def test_portal(self):
        self._check_role("portal")

    def test_every_model_is_in_the_table(self):
        """A new model of the suite gets its row (and its fixtures) here."""
        models = {
            name
            for name, model in self.env.registry.items()
            if model._original_module == "lianghua_service"
            and not model._abstract
            and not model._transient
        }
        self.assertEqual(models - set(MATRIX), set(), "models missing from the access matrix")
        self.assertEqual(set(MATRIX), set(self.records), "rows without fixtures, or the reverse")
        for model, rows in MATRIX.items():
            self.assertEqual(set(rows), set(ROLES), model)

    def test_company_users_see_their_company(self):
        """The other company's records are its own people's (the multi-company case
        seen from the other side): its requester reads their request and its review."""
        request, review = (
            self.records[model][2] for model in ("lianghua.request", "tier.review: request")
        )
        self.assertEqual(self._allowed(self.requester_c2, review), "r")
        self.assertEqual(self._allowed(self.it_c2, request), "rwcu")
        # ...and a company 1 user given the other company too reads it there only.
        self.it_user.company_ids |= self.company_2
        both = self.env["lianghua.request"].with_user(self.it_user)
        self.assertIn(request, both.search([]))
        only_main = both.with_context(allowed_company_ids=self.env.company.ids)
        self.assertNotIn(request, only_main.search([]))
        reviews = self.env["tier.review"].with_user(self.it_user)
        self.assertIn(review, reviews.search([]))
        self.assertNotIn(
            review,
            reviews.with_context(allowed_company_ids=self.env.company.ids).search([]),
        )
