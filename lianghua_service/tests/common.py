from contextlib import contextmanager
from datetime import date, datetime
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.service.model import execute_kw
from odoo.tests import Form, TransactionCase, new_test_user
from odoo.tools import SQL, mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

GROUP = "lianghua_service.group_lianghua_"


class LianghuaServiceCommon(TransactionCase):
    """Two business departments and IT, with one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # English messages whatever the database's default language.
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", **DISABLED_MAIL_CONTEXT))
        Department = cls.env["hr.department"]
        cls.dept_sales = Department.create({"name": "Sales"})
        cls.dept_production = Department.create({"name": "Production"})
        cls.dept_it = Department.create({"name": "IT"})
        cls.dept_board = Department.create({"name": "Board"})

        cls.requester = cls._user("lh_requester", "requester", cls.dept_sales)
        cls.colleague = cls._user("lh_colleague", "requester", cls.dept_sales)
        cls.requester_prod = cls._user("lh_requester_prod", "requester", cls.dept_production)
        cls.dept_manager = cls._user("lh_dept_manager", "dept_manager", cls.dept_sales)
        cls.dept_manager_prod = cls._user(
            "lh_dept_manager_prod", "dept_manager", cls.dept_production
        )
        cls.it_user = cls._user("lh_it", "it_user", cls.dept_it)
        cls.it_manager = cls._user("lh_it_manager", "it_manager", cls.dept_it)
        cls.leader = cls._user("lh_leader", "leader", cls.dept_board)
        cls.auditor = cls._user("lh_auditor", "auditor", cls.dept_board)
        cls.admin = cls._user("lh_admin", "admin", cls.dept_it)
        cls.dept_sales.manager_id = cls.dept_manager.employee_ids[:1]

        cls.service_type = cls.env.ref("lianghua_service.service_type_information_system")
        cls.service_type.it_user_id = cls.it_user
        cls.tier_urgent = cls.env.ref("lianghua_service.tier_definition_urgent_request")
        cls.today = date.today()
        cls.future = cls.today + relativedelta(months=2)

    @classmethod
    def _user(cls, login, role, department, company=None):
        """A user of ``role`` and their employee in ``department``; in the main
        company, or only in ``company``."""
        companies = {}
        if company:
            companies = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        user = new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            email=f"{login}@example.com",
            lang="en_US",
            groups=f"base.group_user,{GROUP}{role}",
            **companies,
        )
        cls.env["hr.employee"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "department_id": department.id,
                "company_id": (company or department.company_id or cls.env.company).id,
            }
        )
        return user

    @classmethod
    def _set(cls, records, **values):
        """Write columns in SQL: the dates and states the ORM sets itself."""
        records.flush_recordset()
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id IN %s",
                SQL.identifier(records._table),
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value) for name, value in values.items()
                ),
                tuple(records.ids),
            )
        )
        records.invalidate_recordset()

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Like assertRaisesRegex, inside a savepoint: the refused change is rolled
        back as the RPC layer would, so the record can be checked afterwards."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)

    def assertUnchanged(self, record, values):
        record.invalidate_recordset()
        self.assertRecordValues(record, [values])

    def _request_vals(self, **vals):
        return {
            "title": "CRM mobile client",
            "service_type_id": self.service_type.id,
            "background": "Sales reps type visit notes back at the office.",
            "description": "<p>A mobile client for visits and opportunities.</p>",
            "expected_goal": "Visits logged the same day.",
            "date_required": self.future,
            **vals,
        }

    def _create_request(self, user=None, **vals):
        user = user or self.requester
        return self.env["lianghua.request"].with_user(user).create(self._request_vals(**vals))

    def _submitted_urgent_request(self):
        request = self._create_request(urgency="urgent", urgency_reason="Trade fair next month.")
        request.action_submit()
        return request

    def _leader_decides(self, request, decision, comment):
        """The leader clicks Approve or Reject and leaves a comment (has_comment tier)."""
        self._review(request, self.leader, decision, comment)

    def _evaluate(self, request, conclusion, note=False, scores=("5", "4", "3", "4")):
        """IT starts the evaluation, scores every dimension and concludes."""
        request = request.with_user(self.it_user)
        request.action_start_evaluation()
        evaluation = request.evaluation_id
        evaluation.write(
            {
                "conclusion": conclusion,
                "conclusion_note": note,
                "estimated_cost": 120000,
                "line_ids": [
                    Command.update(line.id, {"score": score})
                    for line, score in zip(evaluation.line_ids, scores, strict=False)
                ],
            }
        )
        evaluation.action_conclude()
        return evaluation

    # Stage 2 to 4: plan, project, acceptance

    def _accepted_request(self):
        request = self._create_request()
        request.action_submit()
        self._evaluate(request, "accepted")
        return request

    def _draft_plan(self, request=None):
        request = request or self._accepted_request()
        action = request.with_user(self.it_user).action_create_plan()
        plan = self.env["lianghua.plan"].browse(action["res_id"]).with_user(self.it_user)
        plan.write(
            {
                "overview": "<p>A mobile CRM client for the sales force.</p>",
                "technical_solution": "<p>Hybrid app on the CRM's REST API.</p>",
                "risk_assessment": "<p>Offline synchronisation: prototype first.</p>",
                "milestone_ids": [
                    Command.create(
                        {
                            "name": "Development done",
                            "phase": "development",
                            "date_start": self.today,
                            "date_deadline": self.today + relativedelta(months=2),
                        }
                    ),
                    Command.create(
                        {
                            "name": "Go-live",
                            "phase": "deployment",
                            "date_deadline": self.today + relativedelta(months=3),
                        }
                    ),
                ],
                "budget_line_ids": [
                    Command.create(
                        {"phase": "development", "category": "personnel", "amount": 120000}
                    ),
                    Command.create(
                        {"phase": "development", "category": "contingency", "amount": 12000}
                    ),
                ],
            }
        )
        return plan

    def _review(self, document, user, decision="validate", comment="OK"):
        """``user`` clicks Approve (or Reject) on ``document`` and comments."""
        method = "validate_tier" if decision == "validate" else "reject_tier"
        action = getattr(document.with_user(user), method)()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(user).with_context(**action["context"])
        )
        wizard_form.comment = comment
        wizard_form.save().add_comment()

    def _approved_plan(self):
        plan = self._draft_plan()
        plan.action_submit()
        self._review(plan, self.dept_manager, comment="The department agrees.")
        self._review(plan, self.leader, comment="Approved.")
        return plan

    def _attach(self, record, name):
        return self.env["ir.attachment"].create(
            {"name": name, "raw": b"%PDF-1.4 test", "res_model": record._name, "res_id": record.id}
        )

    def _golive(self, project):
        check = (
            self.env["lianghua.quality.check"]
            .with_user(self.it_user)
            .create({"project_id": project.id, "kind": "go_live"})
        )
        check.line_ids.result = "pass"
        check.action_done()
        return check

    def _filed_acceptance(self, project):
        acceptance = (
            self.env["lianghua.acceptance"]
            .with_user(self.it_user)
            .create({"project_id": project.id, "system_name": "CRM Mobile"})
        )
        for line in acceptance.deliverable_ids:
            line.attachment_ids = self._attach(acceptance, f"{line.type_id.name}.pdf")
        acceptance.action_submit()
        return acceptance


class LianghuaOperationsCommon(LianghuaServiceCommon):
    """The service desk on a Shanghai working calendar (Monday to Friday,
    9:00-12:00 and 13:00-18:00), with the policy's SLA targets and escalation
    steps, and two information systems."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Service desk hours",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    Command.clear(),
                    *(
                        Command.create(
                            {
                                "name": f"{day} {start}",
                                "dayofweek": str(day),
                                "hour_from": start,
                                "hour_to": end,
                                "day_period": period,
                            }
                        )
                        for day in range(5)
                        for start, end, period in ((9, 12, "morning"), (13, 18, "afternoon"))
                    ),
                ],
            }
        )
        cls.team = cls.env.ref("lianghua_service.helpdesk_team_service_desk")
        cls.team.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "user_id": cls.it_manager.id,
                "user_ids": [Command.set((cls.it_user | cls.it_manager).ids)],
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        System = cls.env["lianghua.system"]
        cls.erp = System.create(
            {"name": "ERP", "code": "ERP", "department_id": cls.dept_production.id,
             "it_owner_id": cls.it_user.id, "criticality": "critical",
             "category_id": cls.env.ref("lianghua_service.system_category_erp").id}
        )  # fmt: skip
        cls.crm = System.create(
            {"name": "CRM", "code": "CRM", "department_id": cls.dept_sales.id,
             "it_owner_id": cls.it_user.id,
             "category_id": cls.env.ref("lianghua_service.system_category_crm").id}
        )  # fmt: skip

    def _rpc(self, user, model, method, *args):
        """``method`` of ``model`` as ``user`` calls it over RPC; the test's
        cache is left for what the database says afterwards."""
        self.env.flush_all()
        try:
            with mute_logger("odoo.sql_db"):
                return execute_kw(self.env.cr.dbname, user.id, model, method, list(args))
        finally:
            self.env.invalidate_all()

    def _sla_state(self):
        """The SLA lines of ``self.ticket``, as the database has them."""
        lines = self.env["helpdesk.ticket.sla"].search([("ticket_id", "=", self.ticket.id)])
        return lines.read(["sla_id", "consumed_time", "last_state_date", "deadline", "state"])

    @contextmanager
    def at(self, moment):
        """Freeze the clock, the transaction's ``now`` (create dates) included."""
        with (
            freeze_time(moment),
            patch.object(
                type(self.env.cr), "now", lambda cr: datetime.now().replace(microsecond=0)
            ),
        ):
            yield

    def _ticket(self, **vals):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Cannot post invoices",
                "description": "<p>The posting button spins forever.</p>",
                "team_id": self.team.id,
                "user_id": self.it_user.id,
                "partner_id": self.requester.partner_id.id,
                "lianghua_system_id": self.erp.id,
                "priority": "1",
                **vals,
            }
        )
