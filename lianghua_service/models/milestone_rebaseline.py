from odoo import fields, models


class LianghuaMilestoneRebaseline(models.Model):
    _name = "lianghua.milestone.rebaseline"
    _description = "Milestone Re-baseline"
    _order = "milestone_id, id"
    _check_company_auto = True

    milestone_id = fields.Many2one(
        "project.milestone", required=True, index=True, ondelete="cascade"
    )
    project_id = fields.Many2one(related="milestone_id.project_id", store=True)
    company_id = fields.Many2one(related="milestone_id.project_id.company_id", store=True)
    change_id = fields.Many2one(
        "lianghua.change.request",
        string="Change Request",
        required=True,
        ondelete="cascade",
        check_company=True,
    )
    deadline_before = fields.Date(required=True)
    deadline_after = fields.Date(required=True)
