"""Two requests at the same moment: a project has one risk review in
progress, and an indicator one open warning per project, however many
evaluations run at once.

As in the other addons' race tests, each scenario commits its records in real
cursors and removes them afterwards; cursor B takes its snapshot before cursor
A commits, so B's own checks cannot see A's work.
"""

from datetime import date, timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

CONTEXT = {"lang": "en_US", "tracking_disable": True, "mail_notrack": True}


@tagged("post_install", "-at_install")
class TestRiskRaces(TransactionCase):
    def _cursor_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _setup(self):
        """A project of a request, 20 days late on a milestone."""
        with self.registry.cursor() as cr:
            env = self._cursor_env(cr)
            request = env["lianghua.request"].create(
                {"title": "Race request", "requester_id": env.ref("base.user_admin").id,
                 "service_type_id": env.ref(
                     "lianghua_service.service_type_information_system").id,
                 "background": "Race.", "description": "<p>Race.</p>",
                 "expected_goal": "Race.", "date_required": date.today() + timedelta(days=60)}
            )  # fmt: skip
            project = env["project.project"].create(
                {
                    "name": "Race project",
                    "lianghua_request_id": request.id,
                    "company_id": env.company.id,
                }
            )
            env["project.milestone"].create(
                {"name": "Late", "project_id": project.id,
                 "deadline": fields.Date.today() - timedelta(days=20)}
            )  # fmt: skip
            # Measured once: the evaluations below only read the values.
            env.ref("lianghua_risk.indicator_schedule_slip")._measure(
                fields.Date.today(), companies=env.company
            )
            ids = {
                "request": request.id,
                "project": project.id,
                "alias": project.alias_id.id,
            }
        self.addCleanup(self._remove, ids)
        return ids

    def _remove(self, ids):
        with self.registry.cursor() as cr:
            project = ids["project"]
            cr.execute(SQL("DELETE FROM lianghua_risk_warning WHERE project_id = %s", project))
            cr.execute(SQL("DELETE FROM lianghua_risk WHERE project_id = %s", project))
            cr.execute(SQL("DELETE FROM lianghua_risk_review WHERE project_id = %s", project))
            cr.execute(SQL("DELETE FROM lianghua_indicator_value WHERE project_id = %s", project))
            cr.execute(SQL("DELETE FROM project_project WHERE id = %s", project))
            # The project's mail alias too: a dangling alias breaks later
            # checks of every alias.
            cr.execute(SQL("DELETE FROM mail_alias WHERE id = %s", ids["alias"]))
            cr.execute(SQL("DELETE FROM lianghua_request WHERE id = %s", ids["request"]))

    def test_one_review_in_progress_per_project(self):
        ids = self._setup()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self._cursor_env(cr_a), self._cursor_env(cr_b)
            project_b = env_b["project.project"].browse(ids["project"])
            self.assertFalse(env_b["lianghua.risk.review"].search_count(
                [("project_id", "=", ids["project"])]
            ))  # fmt: skip
            env_a["project.project"].browse(ids["project"]).action_lianghua_start_risk_review()
            cr_a.commit()
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaisesRegex(ValidationError, "one risk review in progress"),
            ):
                project_b.action_lianghua_start_risk_review()
            cr_b.rollback()

    def test_one_open_warning_per_indicator_and_project(self):
        ids = self._setup()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self._cursor_env(cr_a), self._cursor_env(cr_b)
            slip_a = env_a.ref("lianghua_risk.indicator_schedule_slip")
            slip_b = env_b.ref("lianghua_risk.indicator_schedule_slip")
            company_a, company_b = env_a.company, env_b.company
            today = fields.Date.today()
            self.assertFalse(  # B's snapshot: no warning yet
                env_b["lianghua.risk.warning"].search([("project_id", "=", ids["project"])])
            )
            env_a["lianghua.risk.warning"]._evaluate(slip_a, company_a, today)
            cr_a.commit()
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaisesRegex(ValidationError, "one open warning"),
            ):
                env_b["lianghua.risk.warning"]._evaluate(slip_b, company_b, today)
            cr_b.rollback()
        with self.registry.cursor() as cr:
            env = self._cursor_env(cr)
            warnings = env["lianghua.risk.warning"].search([("project_id", "=", ids["project"])])
            self.assertEqual(len(warnings), 1)
