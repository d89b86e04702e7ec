from odoo import fields, models


class LianghuaServiceCategory(models.Model):
    _name = "lianghua.service.category"
    _description = "Service Category"
    _inherit = ["lianghua.document.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in reports and imports.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the category between companies."
    )
    service_type_ids = fields.One2many(
        "lianghua.service.type", "category_id", string="Service Types"
    )
    service_type_count = fields.Integer(compute="_compute_counts")
    request_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        ("code_company_uniq", "unique (code, company_id)", "The category code must be unique."),
    ]

    def _compute_counts(self):
        types = dict(
            self.env["lianghua.service.type"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        request_counts = dict(
            self.env["lianghua.request"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.service_type_count = types.get(category, 0)
            category.request_count = request_counts.get(category, 0)

    def action_view_requests(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_request_action", "category_id"
        )
