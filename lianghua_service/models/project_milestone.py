from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ProjectMilestone(models.Model):
    _inherit = "project.milestone"

    lianghua_baseline_deadline = fields.Date(
        string="Baseline Deadline",
        readonly=True,
        copy=False,
        help="The deadline of the approved solution plan; approved change requests move "
        "the deadline, and keep this one for comparison.",
    )
    lianghua_shift_days = fields.Integer(
        string="Shift (days)", compute="_compute_lianghua_shift_days"
    )
    lianghua_rebaseline_ids = fields.One2many(
        "lianghua.milestone.rebaseline", "milestone_id", string="Re-baselines"
    )

    @api.depends("deadline", "lianghua_baseline_deadline")
    def _compute_lianghua_shift_days(self):
        for milestone in self:
            if milestone.deadline and milestone.lianghua_baseline_deadline:
                delta = milestone.deadline - milestone.lianghua_baseline_deadline
                milestone.lianghua_shift_days = delta.days
            else:
                milestone.lianghua_shift_days = 0

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("lianghua_baseline_deadline" in vals for vals in vals_list):
            raise UserError(_("A milestone's baseline comes from its approved solution plan."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "lianghua_baseline_deadline" in vals:
                raise UserError(_("A milestone's baseline comes from its approved solution plan."))
            if {"deadline", "project_id"} & set(vals):
                self._check_lianghua_not_baselined()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_baselined(self):
        if not self.env.su:
            self._check_lianghua_not_baselined()

    def _check_lianghua_not_baselined(self):
        baselined = self.filtered("lianghua_baseline_deadline")
        if baselined:
            raise UserError(
                _(
                    "Milestone %(name)s follows the approved solution plan: its deadline moves "
                    "through a change request.",
                    name=baselined[0].name,
                )
            )
