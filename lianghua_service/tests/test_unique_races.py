"""Two users at the same moment: "only one" holds in the database.

Each scenario commits its records in real cursors (the test's own transaction
would hide them from the others) and removes them afterwards. Cursor B takes
its snapshot before cursor A commits: like a request arriving at the same
moment, B's checks cannot see A's record, and only the unique index stops the
second one. B gets the rule's message, and one record remains.
"""

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger


@tagged("post_install", "-at_install")
class TestUniqueRaces(TransactionCase):
    def _committed(self, build):
        """Run ``build(env)`` in a cursor of its own and commit; remove the
        tables' rows it returns (``{table: ids}``, in deletion order) at cleanup."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tracking_disable": True})
            created = build(env)
        self.addCleanup(self._remove, created)
        return created

    def _remove(self, created):
        with self.registry.cursor() as cr:
            for table, ids in created.items():
                cr.execute(SQL("DELETE FROM %s WHERE id = ANY(%s)", SQL.identifier(table), ids))

    def _race(self, act, message):
        """``act(env)`` in cursor B (snapshot first), cursor A (committed),
        then B again: B is refused with ``message``."""
        cr_b = self.registry.cursor()
        self.addCleanup(cr_b.close)
        cr_b.execute("SELECT 1")  # B's snapshot: before A commits
        with self.registry.cursor() as cr_a:
            act(api.Environment(cr_a, SUPERUSER_ID, {"lang": "en_US", "tracking_disable": True}))
        env_b = api.Environment(cr_b, SUPERUSER_ID, {"lang": "en_US", "tracking_disable": True})
        with self.assertRaisesRegex(ValidationError, message):
            act(env_b)
        cr_b.rollback()

    def _rows(self, table, column, value, where="TRUE"):
        """The committed rows of ``table`` whose ``column`` is ``value``."""
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT count(*) FROM %s WHERE %s = %s AND %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    value,
                    SQL(where),
                )
            )
            return cr.fetchone()[0]

    def _request(self, env, state="accepted"):
        department = env["hr.department"].create({"name": "Race department"})
        request = env["lianghua.request"].create(
            {
                "title": "Race",
                "department_id": department.id,
                "service_type_id": env.ref("lianghua_service.service_type_information_system").id,
                "state": state,
            }
        )
        return department, request

    def test_one_plan_in_progress_per_request(self):
        """Four IT users pressing "create plan" at once made four plans."""
        created = {}

        def build(env):
            department, request = self._request(env)
            created.update(request=request.id, department=department.id)
            return {"lianghua_request": [request.id], "hr_department": [department.id]}

        self._committed(build)
        self.addCleanup(self._remove_where, "lianghua_plan", "request_id", created["request"])

        def act(env):
            env["lianghua.plan"].create(
                {"request_id": created["request"], "author_id": env.ref("base.user_admin").id}
            )

        self._race(act, "plan in progress already")
        self.assertEqual(self._rows("lianghua_plan", "request_id", created["request"]), 1)

    def test_one_revision_per_plan(self):
        created = {}

        def build(env):
            department, request = self._request(env)
            plan = env["lianghua.plan"].create(
                {"request_id": request.id, "author_id": env.ref("base.user_admin").id}
            )
            plan.state = "rejected"
            created.update(plan=plan.id, request=request.id)
            return {"lianghua_request": [request.id], "hr_department": [department.id]}

        self._committed(build)
        self.addCleanup(self._remove_where, "lianghua_plan", "request_id", created["request"])
        self._race(
            lambda env: env["lianghua.plan"].browse(created["plan"]).action_revise(),
            "revised already|plan in progress already",
        )
        self.assertEqual(self._rows("lianghua_plan", "previous_id", created["plan"]), 1)

    def _project(self, env):
        return env["project.project"].create(
            {"name": "Race project", "company_id": env.ref("base.main_company").id}
        )

    def _committed_one(self, build):
        """The id of the one record ``build(env)`` makes, committed in a
        cursor of its own and removed at cleanup."""
        created = self._committed(lambda env: {(record := build(env))._table: record.ids})
        return next(iter(created.values()))[0]

    def test_one_open_acceptance_round_per_project(self):
        created = {"project": self._committed_one(self._project)}
        self.addCleanup(self._remove_where, "lianghua_acceptance", "project_id", created["project"])
        self._race(
            lambda env: env["lianghua.acceptance"].create({"project_id": created["project"]}),
            "acceptance in progress",
        )
        self.assertEqual(self._rows("lianghua_acceptance", "project_id", created["project"]), 1)

    def test_one_next_acceptance_round(self):
        created = {}

        def build(env):
            project = self._project(env)
            acceptance = env["lianghua.acceptance"].create({"project_id": project.id})
            acceptance.state = "failed"
            created.update(project=project.id, acceptance=acceptance.id)
            return {"project_project": [project.id]}

        self._committed(build)
        self.addCleanup(self._remove_where, "lianghua_acceptance", "project_id", created["project"])
        self._race(
            lambda env: env["lianghua.acceptance"].browse(created["acceptance"]).action_new_round(),
            "next round|acceptance in progress",
        )
        self.assertEqual(self._rows("lianghua_acceptance", "previous_id", created["acceptance"]), 1)

    def test_one_demand_list_per_department_and_period(self):
        created = {
            "department": self._committed_one(
                lambda env: env["hr.department"].create({"name": "Race department"})
            )
        }
        self.addCleanup(
            self._remove_where, "lianghua_demand_list", "department_id", created["department"]
        )
        self._race(
            lambda env: env["lianghua.demand.list"].create(
                {"department_id": created["department"], "year": 2031, "quarter": "2"}
            ),
            "already has a demand list for this period",
        )
        self.assertEqual(
            self._rows("lianghua_demand_list", "department_id", created["department"]), 1
        )

    def test_one_project_manager_per_project(self):
        created = {"project": self._committed_one(self._project)}
        self.addCleanup(
            self._remove_where, "lianghua_project_member", "project_id", created["project"]
        )
        self._race(
            lambda env: env["lianghua.project.member"].create(
                {
                    "project_id": created["project"],
                    "role": "project_manager",
                    "partner_id": env.ref("base.partner_admin").id,
                }
            ),
            "one project manager",
        )
        self.assertEqual(
            self._rows(
                "lianghua_project_member",
                "project_id",
                created["project"],
                "role = 'project_manager'",
            ),
            1,
        )

    def _remove_where(self, table, column, value):
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE %s = %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    value,
                )
            )

    def test_one_value_per_indicator_scope_and_period(self):
        """The owner saves the month's value from two tabs at once: the second
        gets the rule's message (as Odoo's RPC layer words a unique key), one
        value remains."""
        indicator = self._committed_one(
            lambda env: env["lianghua.indicator"].create(
                {"name": "Race hours", "code": "RACE", "scope": "department",
                 "owner_id": env.ref("base.user_admin").id}
            )
        )  # fmt: skip
        department = self._committed_one(
            lambda env: env["hr.department"].create({"name": "Race department"})
        )
        self.addCleanup(self._remove_where, "lianghua_indicator_value", "indicator_id", indicator)

        def act(env):
            try:
                with env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    env["lianghua.indicator.value"].create(
                        {"indicator_id": indicator, "department_id": department,
                         "date_start": "2031-05-12", "value": 4, "comment": "Sheets"}
                    )  # fmt: skip
            except psycopg2.IntegrityError as exc:
                raise _as_validation_error(env, exc) from exc

        self._race(act, "one value per scope and period")
        self.assertEqual(self._rows("lianghua_indicator_value", "indicator_id", indicator), 1)
