from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

TEST_TYPES = [
    ("functional", "Functional"),
    ("performance", "Performance"),
    ("security", "Security"),
    ("compatibility", "Compatibility"),
]


class LianghuaTestPlanLine(models.Model):
    _name = "lianghua.test.plan.line"
    _description = "Test Plan Line"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "test_plan_id"
    _order = "test_plan_id, sequence, id"

    test_plan_id = fields.Many2one(
        "lianghua.test.plan", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="test_plan_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    test_type = fields.Selection(TEST_TYPES, required=True, default="functional")
    scope = fields.Text(help="What is tested, and how (tools, environment, data).")
    case_count = fields.Integer(string="Test Cases")
    passed_count = fields.Integer(string="Passed")
    result = fields.Selection(
        [("not_run", "Not Run"), ("passed", "Passed"), ("failed", "Failed")],
        required=True,
        default="not_run",
    )

    @api.constrains("case_count", "passed_count")
    def _check_counts(self):
        for line in self:
            if line.case_count < 0 or not 0 <= line.passed_count <= line.case_count:
                raise ValidationError(
                    _("Passed cases cannot exceed the test cases, nor be negative.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["lianghua.test.plan"]._check_it()
        return super().create(vals_list)

    def write(self, vals):
        self.env["lianghua.test.plan"]._check_it()
        return super().write(vals)
