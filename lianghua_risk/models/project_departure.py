from odoo import fields, models


class LianghuaProjectDeparture(models.Model):
    """A member who left a project team: removed from it, or replaced in
    their role by someone else. Recorded by the team itself, read by the
    team-change early warning (policy 6.2.6, personnel change)."""

    _name = "lianghua.project.departure"
    _description = "Project Team Departure"
    _order = "date desc, id desc"
    _check_company_auto = True

    project_id = fields.Many2one(
        "project.project", required=True, readonly=True, index=True, ondelete="cascade",
        check_company=True,
    )  # fmt: skip
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Person", readonly=True, check_company=True)
    role = fields.Selection(
        selection=lambda self: self.env["lianghua.project.member"]._fields["role"].selection,
        readonly=True,
    )
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
