from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The policy's phases and cost categories (chapter 5.1).
BUDGET_PHASES = [
    ("development", "Development"),
    ("implementation", "Implementation"),
    ("operation", "Operation and Maintenance"),
]
BUDGET_CATEGORIES = [
    ("personnel", "Personnel"),
    ("equipment", "Equipment"),
    ("software", "Software Licences"),
    ("outsourcing", "Outsourcing"),
    ("other", "Other"),
    ("contingency", "Contingency Reserve"),
]


class LianghuaPlanBudgetLine(models.Model):
    _name = "lianghua.plan.budget.line"
    _description = "Plan Budget Line"
    _inherit = ["lianghua.plan.line.mixin"]
    _order = "plan_id, sequence, id"

    sequence = fields.Integer(default=10)
    phase = fields.Selection(BUDGET_PHASES, required=True, default="development")
    category = fields.Selection(BUDGET_CATEGORIES, required=True, default="personnel")
    name = fields.Char(string="Description")
    currency_id = fields.Many2one(related="plan_id.currency_id")
    amount = fields.Monetary(required=True)

    @api.constrains("amount")
    def _check_amount(self):
        if any(line.amount < 0 for line in self):
            raise ValidationError(_("A budget amount cannot be negative."))
