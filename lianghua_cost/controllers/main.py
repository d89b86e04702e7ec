from odoo import _, http
from odoo.http import content_disposition, request


class LianghuaCostController(http.Controller):
    @http.route("/lianghua_cost/budget/<int:budget_id>/xlsx", type="http", auth="user")
    def budget_xlsx(self, budget_id):
        """The project's final cost report as a spreadsheet: budget against
        committed and actual costs, by phase and category (the user must be
        able to read the budget: access rights and record rules apply)."""
        budget = request.env["lianghua.cost.budget"].browse(budget_id).exists()
        if not budget:
            raise request.not_found()
        budget.check_access("read")
        content = budget._lianghua_cost_report_xlsx()
        filename = _("Cost report - %(project)s.xlsx", project=budget.project_id.name)
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
