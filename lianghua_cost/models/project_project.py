from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.lianghua_service.models.plan_budget_line import BUDGET_PHASES


class ProjectProject(models.Model):
    _inherit = "project.project"

    lianghua_cost_phase = fields.Selection(
        BUDGET_PHASES,
        string="Current Budget Phase",
        default="development",
        tracking=True,
        help="The budget phase timesheets and bills without a purchase order are charged to.",
    )
    lianghua_budget_ids = fields.One2many("lianghua.cost.budget", "project_id", string="Budgets")
    lianghua_budget_count = fields.Integer(compute="_compute_lianghua_budget_count")

    @api.depends("lianghua_budget_ids")
    def _compute_lianghua_budget_count(self):
        Budget = self.env["lianghua.cost.budget"]
        counts = (
            dict(Budget._read_group([("project_id", "in", self.ids)], ["project_id"], ["__count"]))
            if Budget.has_access("read")
            else {}
        )
        for project in self:
            project.lianghua_budget_count = counts.get(project, 0)

    def action_lianghua_view_budgets(self):
        return self._get_lianghua_records_action(
            "lianghua_cost.lianghua_cost_budget_action", "project_id", create=False
        )

    def action_lianghua_draft_budget(self):
        """The project's first budget, drafted from its approved solution plan."""
        self.ensure_one()
        Budget = self.env["lianghua.cost.budget"]
        if not Budget._lianghua_is_preparer():
            raise UserError(Budget._lianghua_it_only_message())
        self.check_access("read")
        if Budget.search_count([("project_id", "=", self.id)]):
            raise UserError(
                _("Project %(project)s has a budget already: revise it.", project=self.name)
            )
        return Budget._lianghua_draft_from_plan(self)._get_lianghua_form_action()
