from odoo import api, fields, models


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
