from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ROLES = [
    ("project_manager", "Project Manager"),
    ("developer", "Developer"),
    ("tester", "Tester"),
    ("business_contact", "Business Contact"),
    ("vendor_staff", "Vendor Staff"),
]


class LianghuaProjectMember(models.Model):
    _name = "lianghua.project.member"
    _description = "Project Team Member"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "project_id"
    _order = "project_id, role, id"

    project_id = fields.Many2one(
        "project.project", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True)
    user_id = fields.Many2one("res.users", check_company=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        check_company=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Vendor staff without a user are contacts.",
    )
    role = fields.Selection(ROLES, required=True, default="developer")
    responsibilities = fields.Text()

    @api.depends("user_id")
    def _compute_partner_id(self):
        for member in self:
            member.partner_id = member.user_id.partner_id or member.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members.project_id._lianghua_subscribe_team()
        return members

    def write(self, vals):
        leaving = self.partner_id
        res = super().write(vals)
        if {"user_id", "partner_id"} & set(vals):
            self.project_id._lianghua_subscribe_team(leaving)
        return res

    def unlink(self):
        projects, leaving = self.project_id, self.partner_id
        res = super().unlink()
        projects._lianghua_subscribe_team(leaving)
        return res

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "lianghua_project_member_one_manager": (
                ("project_id",),
                "role = 'project_manager'",
                lambda: self.env._("A project has one project manager."),
            ),
        }

    @api.constrains("project_id", "role")
    def _check_one_project_manager(self):
        for project in self.project_id:
            managers = project.lianghua_member_ids.filtered(lambda m: m.role == "project_manager")
            if len(managers) > 1:
                raise ValidationError(
                    _("Project %(project)s has one project manager.", project=project.name)
                )
