import json

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestBadInput(LianghuaServiceCommon):
    """Bad input gets a clear error and leaves the record as it was."""

    def test_submit_without_content(self):
        request = (
            self.env["lianghua.request"]
            .with_user(self.requester)
            .create({"title": "Something", "service_type_id": self.service_type.id})
        )
        with self.assertRefused(ValidationError, "Background.*Content.*Expected Goal.*Required By"):
            request.with_user(self.requester).action_submit()
        self.assertUnchanged(request, {"state": "draft", "date_submitted": False})

    def test_submit_urgent_without_reason(self):
        request = self._create_request(urgency="urgent")
        with self.assertRefused(ValidationError, "Reason for Urgency"):
            request.action_submit()
        self.assertUnchanged(request, {"state": "draft"})
        self.assertFalse(request.review_ids)

    def test_submit_with_a_past_deadline(self):
        request = self._create_request(date_required="2020-01-01")
        with self.assertRefused(ValidationError, "in the past"):
            request.action_submit()
        self.assertUnchanged(request, {"state": "draft"})

    def test_empty_html_content_counts_as_missing(self):
        request = self._create_request(description="<p><br></p>")
        with self.assertRefused(ValidationError, "Content"):
            request.action_submit()
        self.assertUnchanged(request, {"state": "draft"})

    def test_invalid_transitions(self):
        request = self._create_request()
        with self.assertRefused(UserError, "not waiting for evaluation"):
            request.with_user(self.it_user).action_start_evaluation()
        with self.assertRefused(UserError, "rejected or cancelled"):
            request.with_user(self.requester).action_reset_to_draft()
        request.with_user(self.requester).action_submit()
        with self.assertRefused(UserError, "already submitted"):
            request.with_user(self.requester).action_submit()
        with self.assertRefused(UserError, "cannot cancel"):
            request.with_user(self.requester).action_cancel()
        self.assertUnchanged(request, {"state": "to_evaluate"})

        self._evaluate(request, "accepted")
        for method in ("action_cancel", "action_submit", "action_reset_to_draft"):
            with self.assertRaises(UserError, msg=method):
                getattr(request.with_user(self.it_manager), method)()
        self.assertUnchanged(request, {"state": "accepted"})
        with self.assertRefused(UserError, "cannot be deleted"):
            request.unlink()

    def test_conclusion_needs_its_content(self):
        request = self._create_request()
        request.action_submit()
        request.with_user(self.it_user).action_start_evaluation()
        evaluation = request.evaluation_id.with_user(self.it_user)

        with self.assertRefused(ValidationError, "Choose the conclusion"):
            evaluation.action_conclude()
        evaluation.conclusion = "rejected"
        with self.assertRefused(ValidationError, "conclusion note"):
            evaluation.action_conclude()
        evaluation.conclusion = "accepted"
        with self.assertRefused(ValidationError, "Score every dimension"):
            evaluation.action_conclude()
        with self.assertRefused(ValidationError, "cannot be negative"):
            evaluation.estimated_cost = -5
        self.assertUnchanged(evaluation, {"state": "draft", "estimated_cost": 0.0})
        self.assertUnchanged(request, {"state": "evaluating"})

        evaluation.line_ids.score = "3"
        evaluation.action_conclude()
        with self.assertRefused(UserError, "already concluded"):
            evaluation.action_conclude()
        with self.assertRefused(UserError, "can no longer be changed"):
            evaluation.line_ids[0].score = "1"
        self.assertEqual(evaluation.line_ids[0].score, "3")

    def test_demand_list_checks(self):
        List = self.env["lianghua.demand.list"].with_user(self.dept_manager)
        empty = List.create({"period_type": "quarter", "year": 2031, "quarter": "1"})
        with self.assertRefused(ValidationError, "has no items"):
            empty.action_submit()
        self.assertUnchanged(empty, {"state": "draft"})

        with self.assertRefused(ValidationError, "already has a demand list"):
            List.create({"period_type": "quarter", "year": 2031, "quarter": "1"})
        with self.assertRefused(ValidationError, "needs its quarter"):
            List.create({"period_type": "quarter", "year": 2031, "quarter": False})
        with self.assertRefused(ValidationError, "not a valid year"):
            List.create({"period_type": "year", "year": 31})

        self.env["lianghua.demand.item"].with_user(self.dept_manager).create(
            {"list_id": empty.id, "name": "Half-written need"}
        )
        with self.assertRefused(ValidationError, "Half-written need.*Background"):
            empty.action_submit()
        self.assertUnchanged(empty, {"state": "draft"})
        self.assertFalse(empty.item_ids.request_id)

    def test_errors_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["lianghua_service"], ["zh_CN"])
        request = (
            self.env["lianghua.request"]
            .with_user(self.requester)
            .create({"title": "Something", "service_type_id": self.service_type.id})
        )
        with self.assertRefused(ValidationError, "提交") as caught:
            request.with_user(self.requester).with_context(lang="zh_CN").action_submit()
        self.assertIn("背景", str(caught.exception), "field labels are translated too")


@tagged("post_install", "-at_install")
class TestBadInputOverRpc(HttpCase, LianghuaServiceCommon):
    """What the web client gets back: a clear error, and nothing written."""

    def _call(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assertRpcError(self, reply, exception, pattern):
        self.assertIn("error", reply, reply)
        data = reply["error"]["data"]
        self.assertEqual(data["name"], f"odoo.exceptions.{exception.__name__}")
        self.assertRegex(data["message"], pattern)

    def test_rpc_errors_are_clear_and_write_nothing(self):
        self.authenticate(self.requester.login, self.requester.login)

        reply = self._call("lianghua.request", "create", [{"title": "No service type"}])
        self.assertRpcError(
            reply, ValidationError, r"mandatory field is not set(?s:.*)Field: Service Type"
        )
        self.assertFalse(self.env["lianghua.request"].search([("title", "=", "No service type")]))

        request = (
            self.env["lianghua.request"]
            .with_user(self.requester)
            .create({"title": "Half written", "service_type_id": self.service_type.id})
        )
        reply = self._call("lianghua.request", "action_submit", [request.ids])
        self.assertRpcError(reply, ValidationError, "cannot be submitted without")
        self.assertUnchanged(request, {"state": "draft", "date_submitted": False})

        reply = self._call("lianghua.request", "write", [request.ids, {"state": "accepted"}])
        self.assertRpcError(reply, UserError, "only through its buttons")
        self.assertUnchanged(request, {"state": "draft"})


@tagged("post_install", "-at_install")
class TestEvaluationHistory(LianghuaServiceCommon):
    def test_evaluations_stay_with_their_request(self):
        request = self._create_request()
        request.action_submit()
        other = self._create_request(title="Other need")
        other.action_submit()
        request.with_user(self.it_user).action_start_evaluation()
        evaluation = request.evaluation_id.with_user(self.it_user)
        with self.assertRefused(UserError, "part of the request's history"):
            evaluation.unlink()
        with self.assertRefused(UserError, "stays with the request"):
            evaluation.request_id = other
        self.assertUnchanged(request, {"state": "evaluating"})

    def test_a_concluded_score_does_not_move(self):
        request = self._create_request()
        request.action_submit()
        evaluation = self._evaluate(request, "accepted", scores=("5", "4", "3", "4"))
        self.assertEqual(evaluation.score, 4.0)
        self.env.ref("lianghua_service.dimension_reasonableness").weight = 5
        with self.assertRefused(UserError, "can no longer be changed"):
            evaluation.line_ids[1].with_user(self.it_user).unlink()
        evaluation.invalidate_recordset()
        self.assertEqual(evaluation.score, 4.0)
