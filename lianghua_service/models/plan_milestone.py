from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

PHASES = [
    ("development", "Development"),
    ("testing", "Testing"),
    ("deployment", "Deployment"),
    ("acceptance", "Acceptance"),
    ("operation", "Operation and Maintenance"),
]


class LianghuaPlanMilestone(models.Model):
    _name = "lianghua.plan.milestone"
    _description = "Plan Milestone"
    _inherit = ["lianghua.plan.line.mixin"]
    _order = "plan_id, sequence, date_deadline, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    phase = fields.Selection(PHASES, required=True, default="development")
    date_start = fields.Date(string="Start")
    date_deadline = fields.Date(string="Deadline", required=True)
    deliverable = fields.Char(help="What the milestone delivers.")
    project_milestone_id = fields.Many2one(
        "project.milestone", readonly=True, index="btree_not_null"
    )

    @api.constrains("date_start", "date_deadline")
    def _check_dates(self):
        for milestone in self:
            if milestone.date_start and milestone.date_start > milestone.date_deadline:
                raise ValidationError(
                    _("Milestone %(name)s ends before it starts.", name=milestone.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("project_milestone_id" in vals for vals in vals_list):
            raise UserError(_("A plan's milestone meets the project's when the plan is approved."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "project_milestone_id" in vals:
            raise UserError(_("A plan's milestone meets the project's when the plan is approved."))
        return super().write(vals)

    def _sync_project_milestones(self, project):
        """The project's milestones follow the approved plan's: its dates are
        their baseline. Called by the workflow, as superuser."""
        Milestone = self.env["project.milestone"]
        new = self.filtered(lambda m: m.project_milestone_id.project_id != project)
        created = Milestone.create(
            [
                {
                    "name": line.name,
                    "project_id": project.id,
                    "deadline": line.date_deadline,
                    "lianghua_baseline_deadline": line.date_deadline,
                }
                for line in new
            ]
        )
        for line, milestone in zip(new, created, strict=True):
            line.project_milestone_id = milestone
        for line in self - new:
            line.project_milestone_id.write(
                {
                    "name": line.name,
                    "deadline": line.date_deadline,
                    "lianghua_baseline_deadline": line.date_deadline,
                }
            )
