from odoo import _, api, fields, models

IT_GROUP = "lianghua_service.group_lianghua_it_user"


class LianghuaTestPlan(models.Model):
    _name = "lianghua.test.plan"
    _description = "Test Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        check_company=True,
        domain="[('lianghua_request_id', '!=', False)]",
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    department_id = fields.Many2one(related="project_id.lianghua_department_id", store=True)
    line_ids = fields.One2many("lianghua.test.plan.line", "test_plan_id", string="Test Types")
    defect_ids = fields.One2many("lianghua.defect", "test_plan_id", string="Defects")
    open_defect_count = fields.Integer(compute="_compute_open_defect_count")

    def _compute_open_defect_count(self):
        counts = dict(
            self.env["lianghua.defect"]._read_group(
                [("test_plan_id", "in", self.ids), ("state", "in", ("open", "fixed"))],
                ["test_plan_id"],
                ["__count"],
            )
        )
        for plan in self:
            plan.open_defect_count = counts.get(plan, 0)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_it()
        return super().create(vals_list)

    def write(self, vals):
        if self._lianghua_user_fields(vals):
            self._check_it()
        return super().write(vals)

    def _lianghua_it_only_message(self):
        return _("Test plans are kept by the project team (IT).")

    def action_view_defects(self):
        action = self._get_lianghua_records_action(
            "lianghua_service.lianghua_defect_action", "test_plan_id"
        )
        action["context"]["default_project_id"] = self.project_id.id
        return action
