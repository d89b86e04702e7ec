"""Every public method of every Lianghua model is safe to call by anyone.

A client talking JSON-RPC reaches every public method of a model (no leading
underscore, not ``@api.private``), not only the buttons its views show. For
each model of every installed ``lianghua_*`` addon, the models it defines and
those it extends (``helpdesk.ticket``, ``project.project``, ``tier.review``,
``res.users``...), this sweep calls every public method that our classes
define, or that the OCA classes in the model's hierarchy define (an override
of ``set_sla`` or ``validate_tier`` is ours to secure), through the RPC
dispatcher, as three users who may change none of the records swept: an
auditor, a portal user and a requester of another department. Each method is
called on a record of each kind and status, or on a missing id when the model
has none.

A refusal (any exception) is fine; a method that returns must be one of the
read-only window actions of ``ALLOWED``. Either way nothing may change in the
database: every table of the models in scope, their many2many tables and the
tables a workflow writes around them (messages, activities, followers,
tickets, SLA lines, reviews...) are compared before and after each call.

New addons are covered as they are installed: their models, and the models
they extend, are found in the registry.
"""

import functools
import inspect

from dateutil.relativedelta import relativedelta

from odoo import Command, api
from odoo.modules.module import get_manifest
from odoo.service.model import get_public_method
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.lianghua_service.tests import common, fixtures

# The ORM's own API (CRUD, search, read, views): what the record rules and
# access rights guard, tested by each addon's access tests, not swept here.
ORM_API = frozenset(
    {
        "create",
        "write",
        "unlink",
        "read",
        "copy",
        "default_get",
        "fields_get",
        "get_view",
        "get_views",
    }
)
ORM_API_PREFIXES = ("search", "name_", "web_")

# Reviewed: methods that may return without an error for any user, because
# they only return a window action (ids and a domain the caller gave or may
# search anyway) or, for ``review_user_count``, the caller's own counters.
ALLOWED = {
    "agreement": {
        "action_view_lianghua_bills",
        "action_view_ticket",
        "action_view_lianghua_breaches",
        "action_view_lianghua_checks",
        "action_view_lianghua_evaluations",
        "action_view_lianghua_renewals",
        "action_view_lianghua_settlement",
        "action_lianghua_view_risks",
    },
    "lianghua.acceptance": {"action_view_project"},
    "lianghua.contract.breach": {"action_view_move"},
    "lianghua.contract.milestone": {"action_view_bill"},
    "lianghua.contract.settlement": {
        "action_view_budget",
        "action_view_contract",
        "action_view_project",
    },
    "lianghua.cost.budget": {
        # A report to print or download: nothing is written.
        "action_export_cost_report",
        "action_print_cost_report",
        "action_view_cells",
        "action_view_overruns",
        "action_view_project",
    },
    "lianghua.cost.overrun": {"action_view_budget"},
    "lianghua.demand.list": {"action_view_requests"},
    "lianghua.evaluation": {"action_view_plans", "action_view_project", "action_view_request"},
    "lianghua.indicator": {"action_view_values"},
    "lianghua.indicator.value": {"action_view_indicator"},
    "lianghua.maintenance.plan": {"action_view_tickets"},
    "lianghua.monitoring.source": {"action_view_incidents"},
    "lianghua.plan": {
        "action_view_evaluation",
        "action_view_project",
        "action_view_request",
        "action_view_versions",
    },
    "lianghua.request": {
        "action_view_demand_list",
        "action_view_evaluations",
        "action_view_plans",
        "action_view_project",
    },
    "lianghua.service.category": {"action_view_requests"},
    "lianghua.service.type": {"action_view_requests"},
    "lianghua.system": {
        # A form to fill in (a request about the system): nothing is written.
        "action_request_change",
        "action_view_availability",
        "action_view_incidents",
        "action_view_lianghua_indicators",
        "action_view_lianghua_risks",
        "action_view_maintenance_plans",
        "action_view_project",
        "action_view_requests",
        "action_view_tickets",
    },
    "lianghua.plan.risk": {
        # Core's copy_data (extended to keep a line's origin): the values of
        # records the caller may read, for a copy it would then create.
        "copy_data",
    },
    "lianghua.risk": {
        # The heat map: counts of the risks the caller may read, by cell.
        "get_heat_map",
        "action_view_project",
        "action_view_responses",
        "action_view_warnings",
    },
    "lianghua.risk.response": {"action_view_risk"},
    "lianghua.risk.review": {"action_view_project"},
    "lianghua.risk.warning": {"action_view_indicator", "action_view_risk"},
    "lianghua.test.plan": {"action_view_defects"},
    "helpdesk.ticket": {"action_view_duplicates", "action_view_ticket_rating"},
    "purchase.order": {"action_lianghua_view_budget"},
    "project.project": {
        "action_lianghua_view_acceptances",
        "action_lianghua_view_budgets",
        "action_lianghua_view_changes",
        "action_lianghua_view_checks",
        "action_lianghua_view_defects",
        "action_lianghua_heat_map",
        "action_lianghua_view_evaluation",
        "action_lianghua_view_meetings",
        "action_lianghua_view_plan",
        "action_lianghua_view_request",
        "action_lianghua_view_risk_reviews",
        "action_lianghua_view_risks",
        "action_lianghua_view_warnings",
        "action_view_lianghua_indicators",
        "action_view_lianghua_contracts",
    },
    "res.partner": {
        "action_view_lianghua_evaluations",
        # helpdesk_mgmt's: the caller's context and a domain on the partner's tickets.
        "action_view_helpdesk_tickets",
    },
    "res.users": {"review_user_count"},
}

# Tables a workflow writes besides those of the models in scope.
WORKFLOW_TABLES = (
    "mail_message",
    "mail_activity",
    "mail_followers",
    "mail_followers_mail_message_subtype_rel",
    "mail_mail",
    "mail_notification",
    "mail_tracking_value",
    "helpdesk_ticket",
    "helpdesk_ticket_sla",
    "tier_review",
    "project_task",
    "project_update",
    "project_milestone",
    "rating_rating",
    "res_partner",
    "ir_attachment",
)
# Fields whose values tell the kinds of records apart.
KIND_FIELDS = ("state", "stage_id", "status")
MAX_SAMPLES = 12
MISSING_ID = 2_000_000_000


def _ours(module):
    return (module or "").startswith("lianghua_")


@functools.cache
def _oca(module):
    manifest = get_manifest(module) or {}
    return "Odoo Community Association" in manifest.get("author", "")


def _classes(model):
    """The classes of ``model``'s hierarchy defined by our addons, and by the
    OCA addons: what this suite is answerable for."""
    return [
        cls
        for cls in type(model).__mro__
        if _ours(vars(cls).get("_module")) or _oca(vars(cls).get("_module") or "")
    ]


@tagged("post_install", "-at_install")
class TestRpcSweep(common.LianghuaOperationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env,
            login="lh_portal_sweep",
            name="Lh Portal Sweep",
            email="lh_portal_sweep@example.com",
            groups="base.group_portal",
            lang="en_US",
        )
        # The helpers of common.py are instance methods: one instance builds.
        chain = cls._build_chain(cls("test_every_public_method_refuses_and_changes_nothing"))
        # The records of the addons built on lianghua_service, made by their
        # fixtures (see test_multi_company.py) on the Sales chain.
        site = fixtures.main_site(cls, cls.portal)
        site.records.update(chain)
        for module in fixtures.fixture_modules(cls.env):
            if module is not fixtures:
                module.populate(site)
        cls.env.flush_all()
        cls.scope = cls._scope(cls.env)
        # Prepared once, run after every call: parsing and planning a union of
        # every table in scope would take as long as running it.
        cls.cr.execute(SQL("PREPARE lianghua_rpc_sweep AS %s", cls._snapshot_query(cls.env)))
        cls.addClassCleanup(cls.cr.execute, "DEALLOCATE lianghua_rpc_sweep")

    # The chain: Sales' requests and documents (the requester of Production
    # is the other department), operations on Sales' CRM.

    @classmethod
    def _build_chain(cls, h):
        # Requests in every status.
        h._create_request()  # draft
        h._submitted_urgent_request()  # to_approve, the leader's review pending
        h._create_request().action_submit()  # to_evaluate
        evaluating = h._create_request()
        evaluating.action_submit()
        evaluating.with_user(h.it_user).action_start_evaluation()
        for conclusion, note in (("more_info", "Which CRM?"), ("rejected", "Out of scope.")):
            request = h._create_request()
            request.action_submit()
            h._evaluate(request, conclusion, note=note)
        h._create_request().action_cancel()
        h._accepted_request()  # accepted, no plan yet
        # Plans: a draft, one under review, three approved (their projects).
        h._draft_plan()
        h._draft_plan().action_submit()
        delivered, rectifying, running = (h._approved_plan() for __ in range(3))

        # A delivered project: its acceptance passed, its system registered.
        acceptance = cls._acceptance_assessing(h, delivered.project_id)
        cls._assess(acceptance, h.requester, "pass")
        cls._assess(acceptance, h.colleague, "pass")
        acceptance.with_user(h.requester).action_conclude()

        # A failed acceptance, its rectification open; the plan revised.
        acceptance = cls._acceptance_assessing(h, rectifying.project_id)
        cls._assess(acceptance, h.requester, "pass")
        cls._assess(acceptance, h.colleague, "fail")
        acceptance = acceptance.with_user(h.requester)
        acceptance.write(
            {
                "conclusion_note": "Too slow.",
                "rectification_ids": [
                    Command.create(
                        {"name": "Cache it", "owner_id": h.it_user.id, "deadline": h.future}
                    )
                ],
            }
        )
        acceptance.action_conclude()
        rectifying.with_user(h.it_user).action_revise()

        # A project under way: meetings, changes, checks, tests, defects, and
        # its acceptance under assessment.
        project = running.project_id
        cls._project_records(h, project)
        cls._acceptance_assessing(h, project)

        cls._demand_lists(h)
        cls._operations(h)
        # What the next addons' fixtures build on (see fixtures.populate).
        return {"project": project, "request": running.request_id}

    @classmethod
    def _project_records(cls, h, project):
        Meeting = h.env["lianghua.meeting"].with_user(h.it_user)
        meeting = Meeting.create(
            {
                "project_id": project.id,
                "minutes": "<p>Prototype shown.</p>",
                "progress": 30,
                "issue_ids": [
                    Command.create({"name": "API keys", "owner_id": h.it_user.id,
                                    "deadline": h.future, "follow_up": "task"}),
                    Command.create({"name": "Visit fields", "owner_id": h.dept_manager.id,
                                    "deadline": h.future, "follow_up": "activity"}),
                ],
            }
        )  # fmt: skip
        meeting.action_done()
        Meeting.create({"project_id": project.id})  # the next one, a draft

        milestone = project.milestone_ids.sorted("deadline")[-1]
        Change = h.env["lianghua.change.request"].with_user(h.dept_manager)
        changes = Change.create(
            [
                {
                    "project_id": project.id,
                    "title": f"Change {index}",
                    "description": "<p>Photos on visits.</p>",
                    "reason": "Regional managers ask for it.",
                    "line_ids": [
                        Command.create(
                            {
                                "milestone_id": milestone.id,
                                "new_deadline": milestone.deadline + relativedelta(weeks=index),
                            }
                        )
                    ],
                }
                for index in (1, 2, 3)
            ]
        )
        __, waiting, approved = changes  # the first stays a draft
        (waiting | approved).action_submit()
        h._review(approved, h.leader, comment="Fine.")

        Check = h.env["lianghua.quality.check"].with_user(h.it_user)
        review = Check.create(
            {
                "project_id": project.id,
                "kind": "design_review",
                "participant_ids": [Command.set((h.it_user | h.dept_manager).ids)],
            }
        )
        review.line_ids.result = "pass"
        review.write(
            {
                "conclusion": "passed_with_findings",
                "finding_ids": [Command.create({"name": "Document it", "owner_id": h.it_user.id})],
            }
        )
        review.action_done()
        Check.create({"project_id": project.id, "kind": "design_review"})  # a draft
        tests = (
            h.env["lianghua.test.plan"]
            .with_user(h.it_user)
            .create(
                {
                    "name": "System test",
                    "project_id": project.id,
                    "line_ids": [
                        Command.create({"test_type": "functional", "case_count": 10,
                                        "passed_count": 10, "result": "passed"})
                    ],
                }
            )
        )  # fmt: skip
        Defect = h.env["lianghua.defect"].with_user(h.it_user)
        defects = Defect.create(
            [
                {"name": f"Defect {index}", "project_id": project.id,
                 "test_plan_id": tests.id, "severity": "minor"}
                for index in (1, 2, 3)
            ]
        )  # fmt: skip
        defects[1].action_fix()
        defects[2].action_fix()
        defects[2].action_close()

    @classmethod
    def _acceptance_assessing(cls, h, project):
        h._golive(project)
        acceptance = h._filed_acceptance(project).with_user(h.dept_manager)
        acceptance.write(
            {
                "member_ids": [
                    Command.create({"user_id": h.requester.id, "is_leader": True}),
                    Command.create({"user_id": h.colleague.id}),
                ]
            }
        )
        acceptance.action_start_assessment()
        return acceptance

    @classmethod
    def _assess(cls, acceptance, member, result):
        sheet = acceptance.assessment_ids.filtered(lambda a: a.user_id == member)
        sheet.with_user(member).write({"result": result, "comment": "Checked."})

    @classmethod
    def _demand_lists(cls, h):
        for quarter, submit in (("1", False), ("2", True)):
            form = Form(h.env["lianghua.demand.list"].with_user(h.dept_manager))
            form.period_type = "quarter"
            form.year = 2031
            form.quarter = quarter
            with form.item_ids.new() as item:
                item.name = f"Need of Q{quarter}"
                item.service_type_id = h.service_type
                item.background = "By hand today."
                item.content = "Automate it."
                item.expected_goal = "Half the time."
                item.date_required = h.future
            demand_list = form.save()
            if submit:
                demand_list.action_submit()

    @classmethod
    def _operations(cls, h):
        sales = {"lianghua_system_id": h.crm.id}
        h._ticket(**sales)  # new
        h._ticket(stage_id=h.stage_progress.id, **sales)
        done = h._ticket(stage_id=h.stage_done.id, **sales)
        done.lianghua_check_ids = [Command.create({"name": "Check the queue"})]
        h.env["lianghua.ticket.escalation"].sudo().create(
            {
                "ticket_id": done.id,
                "step_id": h.env.ref("lianghua_service.escalation_step_resolution_50").id,
            }
        )
        h.env["lianghua.maintenance.plan"].create(
            {
                "name": "Backup restore test",
                "system_id": h.crm.id,
                "team_id": h.team.id,
                "user_id": h.it_user.id,
                "interval": 1,
                "interval_unit": "month",
                "next_date": h.today + relativedelta(days=5),
                "lead_days": 7,
                "line_ids": [Command.create({"name": "Restore last night's backup"})],
            }
        )
        h.env["lianghua.monitoring.source"].create(
            {"name": "Prometheus", "team_id": h.team.id, "system_id": h.crm.id}
        )

    # What is swept

    @classmethod
    def _scope(cls, env):
        """{model: public method names} of every model with a class of ours."""
        scope = {}
        for name in sorted(env.registry):
            model = env[name]
            if model._abstract or not any(
                _ours(vars(c).get("_module")) for c in type(model).__mro__
            ):
                continue
            methods = set()
            for cls_ in _classes(model):
                for attr, value in vars(cls_).items():
                    if (
                        attr.startswith("_")
                        or not inspect.isfunction(value)
                        or attr in ORM_API
                        or attr.startswith(ORM_API_PREFIXES)
                    ):
                        continue
                    try:
                        get_public_method(model, attr)
                    except Exception:  # not callable over RPC at all
                        continue
                    methods.add(attr)
            scope[name] = sorted(methods)
        return scope

    @classmethod
    def _snapshot_query(cls, env):
        tables = set(WORKFLOW_TABLES)
        for name in cls.scope:
            model = env[name]
            if not model._auto:
                continue  # a view on other tables
            tables.add(model._table)
            tables.update(
                field.relation
                for field in model._fields.values()
                if field.type == "many2many" and field.store
            )
        env.cr.execute(
            SQL(
                """
                SELECT c.relname
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                 WHERE c.relkind IN ('r', 'p') AND c.relname IN %s
                """,
                tuple(tables),
            )
        )
        # Per table, its row count and a hash of its row versions: PostgreSQL
        # writes a new version (ctid, xmin) of a row on every INSERT and
        # UPDATE, even one that writes the values it had, and a rollback to
        # the savepoint brings the old ones back. Hashing the versions sees
        # every change a hash of the rows' values would, without reading
        # (and detoasting) the values: three times faster.
        return SQL(" UNION ALL ").join(
            SQL(
                "SELECT %s, count(*), md5(string_agg(t.ctid::text || t.xmin::text, ''"
                " ORDER BY t.ctid)) FROM %s t",
                table,
                SQL.identifier(table),
            )
            for (table,) in sorted(env.cr.fetchall())
        )

    def _samples(self, model_name):
        """Ids to call the methods on: a record of each kind (status, stage),
        the first and the last one, or a missing id when there is none."""
        model = self.env[model_name].sudo().with_context(active_test=False)
        records = model.search([], order="id")
        kind = next((f for f in KIND_FIELDS if f in model._fields and model._fields[f].store), None)
        samples = [records[:1], records[-1:]]
        if kind:
            samples += [group[:1] for group in records.grouped(kind).values()]
        ids = sorted({sample.id for sample in samples if sample})[:MAX_SAMPLES]
        return [[record_id] for record_id in ids] or [[MISSING_ID]]

    def _snapshot(self):
        self.env.cr.execute("EXECUTE lianghua_rpc_sweep")
        return {table: (count, digest) for table, count, digest in self.env.cr.fetchall()}

    def _call(self, user, model_name, method, ids):
        """What the RPC dispatcher does (odoo.service.model.execute_cr), on the
        test's cursor: the public-method check, call_kw, the final flush."""
        env = api.Environment(self.env.cr, user.id, {})
        records = env[model_name]
        get_public_method(records, method)
        result = api.call_kw(records, method, [ids] if ids else [], {})
        env.cr.flush()
        return result

    def test_every_public_method_refuses_and_changes_nothing(self):
        self.assertIn("lianghua.request", self.scope)
        self.assertIn("validate_tier", self.scope["lianghua.request"])
        self.assertIn("set_sla", self.scope["helpdesk.ticket"])
        for model_name, names in ALLOWED.items():  # no stale entry
            self.assertLessEqual(names, set(self.scope.get(model_name, ())), model_name)
        users = (self.auditor, self.portal, self.requester_prod)
        cr = self.env.cr
        before = self._snapshot()
        changed, returned = [], []
        for model_name, methods in self.scope.items():
            samples = self._samples(model_name)
            for method in methods:
                # @api.model methods take no ids over RPC: one call each.
                model_api = getattr(getattr(type(self.env[model_name]), method), "_api", None)
                for user in users:
                    for ids in [None] if model_api else samples:
                        savepoint = cr.savepoint()
                        error = None
                        try:
                            with mute_logger("odoo.sql_db"):
                                result = self._call(user, model_name, method, ids)
                        except Exception as exc:  # any refusal will do
                            error = exc
                        else:
                            after = self._snapshot()
                        savepoint.close(rollback=True)
                        if error is not None:
                            after = self._snapshot()
                        call = f"{model_name}.{method}({ids}) as {user.login}"
                        diff = sorted(t for t in before if after.get(t) != before[t])
                        if diff:
                            changed.append(f"{call} changed {', '.join(diff)}")
                        if error is None and method not in ALLOWED.get(model_name, ()):
                            returned.append(f"{call} returned {str(result)[:60]!r}")
        if changed or returned:
            self.fail(
                "\n".join(
                    [
                        f"{len(changed)} calls changed data:",
                        *changed,
                        f"{len(returned)} calls were not refused:",
                        *returned,
                    ]
                )
            )
