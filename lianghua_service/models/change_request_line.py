from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LianghuaChangeRequestLine(models.Model):
    _name = "lianghua.change.request.line"
    _description = "Change Request Milestone"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "change_id"
    _order = "change_id, id"

    change_id = fields.Many2one(
        "lianghua.change.request",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    project_id = fields.Many2one(related="change_id.project_id")
    company_id = fields.Many2one(related="change_id.company_id", store=True)
    milestone_id = fields.Many2one(
        "project.milestone",
        required=True,
        domain="[('project_id', '=', project_id)]",
    )
    current_deadline = fields.Date(related="milestone_id.deadline", string="Current Deadline")
    baseline_deadline = fields.Date(
        related="milestone_id.lianghua_baseline_deadline", string="Baseline Deadline"
    )
    new_deadline = fields.Date(required=True)

    _sql_constraints = [
        (
            "milestone_uniq",
            "unique (change_id, milestone_id)",
            "A milestone is moved once per change request.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        changes = self._lianghua_vals_records(vals_list, "change_id")
        if not self.env.su:
            changes._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.change_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if not self.env.su:
            self.change_id._check_editable()

    @api.constrains("milestone_id", "change_id")
    def _check_milestone_project(self):
        for line in self:
            if line.milestone_id.project_id != line.change_id.project_id:
                raise ValidationError(
                    _(
                        "Milestone %(milestone)s is not a milestone of the project.",
                        milestone=line.milestone_id.name,
                    )
                )
