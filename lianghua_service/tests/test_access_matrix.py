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

from odoo.tests import new_test_user, tagged

from . import fixtures
from .common import LianghuaOperationsCommon

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
    "lianghua.indicator": CATALOGUE,
    # Read with what they measure (the department here); the owner of an
    # indicator entered by hand (Sales' manager) enters its values in every
    # department; computed ones are written by the engine.
    "lianghua.indicator.value": {
        "requester":    ("r",    "",     ""),
        "dept_manager": ("rwc",  "rwc",  ""),
        "it_user":      ("r",    "r",    ""),
        "it_manager":   ("rwcu", "rwcu", ""),
        "leader":       ("r",    "r",    ""),
        "auditor":      ("r",    "r",    ""),
        "portal":       ("",     "",     ""),
    },
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


@tagged("post_install", "-at_install")
class TestAccessMatrix(LianghuaOperationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dept_production.manager_id = cls.dept_manager_prod.employee_ids[:1]
        cls.portal = new_test_user(
            cls.env, login="lh_portal", name="Lh Portal", groups="base.group_portal"
        )
        # Another company, with its own departments, people and systems.
        other = fixtures.company_site(cls, "Lianghua Other Co", "c2")
        cls.company_2 = other.company.with_env(cls.env)
        cls.requester_c2 = other.requester.with_env(cls.env)
        cls.it_c2 = other.it_user.with_env(cls.env)
        cls.mes = other.system.with_env(cls.env)

        main = cls.env.company
        sales = fixtures.Site(
            cls,
            main,
            requester=cls.requester,
            dept_manager=cls.dept_manager,
            it_user=cls.it_user,
            leader=cls.leader,
            team=cls.team,
        )
        production = fixtures.Site(
            cls,
            main,
            requester=cls.requester_prod,
            dept_manager=cls.dept_manager_prod,
            it_user=cls.it_user,
            leader=cls.leader,
            team=cls.team,
        )
        chains = [fixtures.request_chain(site) for site in (sales, production, other)]
        operations = [
            fixtures.operations(site, system, user)
            for site, system, user in (
                (sales, cls.crm, cls.requester),
                (production, cls.erp, cls.requester_prod),
                (other, other.system, other.requester),
            )
        ]
        catalogue = fixtures.catalogue(other)
        records = {
            model: tuple(chain[model] for chain in chains)
            for model in chains[0]
        } | {
            model: tuple(operation[model] for operation in operations)
            for model in operations[0]
        } | {
            model: (shared, None, theirs)
            for model, (shared, theirs) in catalogue.items()
            if model in MATRIX  # the models of this addon (not helpdesk.sla)
        }  # fmt: skip
        # The sites work in their company: the checks, in the test's environment.
        cls.records = {
            model: tuple(record and record.with_env(cls.env) for record in row)
            for model, row in records.items()
        }
        # Values of an indicator entered by hand, owned by Sales' manager.
        indicator = cls.env["lianghua.indicator"].create(
            {"name": "Training hours", "code": "TRAIN", "scope": "department",
             "owner_id": cls.dept_manager.id}
        )  # fmt: skip
        cls.records["lianghua.indicator.value"] = tuple(
            cls.env["lianghua.indicator.value"].create(
                {"indicator_id": indicator.id, "department_id": department.id,
                 "company_id": department.company_id.id or main.id,
                 "date_start": cls.today, "value": 8, "comment": "Sign-in sheets"}
            )
            for department in (cls.dept_sales, cls.dept_production, other.department)
        )  # fmt: skip
        # The availability report is an SQL view numbered over every system:
        # its rows are read once the systems are set.
        cls.env.flush_all()
        cls.records["lianghua.system.availability"] = tuple(
            cls.env["lianghua.system.availability"].search([("system_id", "=", system.id)], limit=1)
            for system in (cls.crm, cls.erp, cls.mes)
        )

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
