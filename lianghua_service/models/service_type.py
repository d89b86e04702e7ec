from odoo import api, fields, models


class LianghuaServiceType(models.Model):
    _name = "lianghua.service.type"
    _description = "Service Type"
    _inherit = ["lianghua.document.mixin"]
    _order = "category_sequence, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    category_id = fields.Many2one(
        "lianghua.service.category",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    category_sequence = fields.Integer(
        related="category_id.sequence", string="Category Sequence", store=True
    )
    description = fields.Text(translate=True)
    examples = fields.Text(
        translate=True, help="Typical requests of this type, shown to requesters."
    )
    it_user_id = fields.Many2one(
        "res.users",
        string="IT Contact",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("lianghua_service.group_lianghua_it_user").ids)
        ],
        help="Default evaluator of the requests of this type.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the service type between companies."
    )
    request_count = fields.Integer(compute="_compute_request_count")

    _sql_constraints = [
        ("code_company_uniq", "unique (code, company_id)", "The service type code must be unique."),
    ]

    @api.depends("category_id.name")
    def _compute_display_name(self):
        for service_type in self:
            if service_type.category_id:
                service_type.display_name = f"{service_type.category_id.name} / {service_type.name}"
            else:
                service_type.display_name = service_type.name

    def _compute_request_count(self):
        counts = dict(
            self.env["lianghua.request"]._read_group(
                [("service_type_id", "in", self.ids)], ["service_type_id"], ["__count"]
            )
        )
        for service_type in self:
            service_type.request_count = counts.get(service_type, 0)

    def action_view_requests(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_request_action", "service_type_id"
        )
