from odoo import api, fields, models
from odoo.tools import SQL, sql


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
    # One per company: a service type shared between companies (no company)
    # has an IT contact in each, set by that company's IT managers; a user
    # allowed in the company only (check_company on a company-dependent field
    # checks the company the value is set for).
    it_user_id = fields.Many2one(
        "res.users",
        string="IT Contact",
        company_dependent=True,
        check_company=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("lianghua_service.group_lianghua_it_user").ids)
        ],
        help="Default evaluator of the requests of this type in the current company; a service "
        "type shared between companies has an IT contact in each of them.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the service type between companies."
    )
    request_count = fields.Integer(compute="_compute_request_count")

    _sql_constraints = [
        ("code_company_uniq", "unique (code, company_id)", "The service type code must be unique."),
    ]

    def _auto_init(self):
        self._convert_single_it_contact()
        return super()._auto_init()

    def _convert_single_it_contact(self):
        """The IT contact was one user for every company (an integer column):
        it becomes the contact in the service type's company or, on a shared
        type, in the contact's own company. Runs once, on the upgrade."""
        cr = self.env.cr
        column = sql.table_columns(cr, self._table).get("it_user_id")
        if not column or column["udt_name"] != "int4":
            return
        # A company-dependent value is no foreign key.
        sql.drop_constraint(cr, self._table, f"{self._table}_it_user_id_fkey")
        cr.execute(
            SQL(
                "ALTER TABLE %(table)s ALTER COLUMN it_user_id TYPE jsonb USING CASE "
                "WHEN it_user_id IS NOT NULL THEN "
                "jsonb_build_object(COALESCE(company_id, 0), it_user_id) END",
                table=SQL.identifier(self._table),
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE %(table)s AS service_type
                   SET it_user_id = jsonb_build_object(contact.company_id, contact.id)
                  FROM res_users AS contact
                 WHERE service_type.company_id IS NULL
                   AND contact.id = (service_type.it_user_id ->> '0')::int
                """,
                table=SQL.identifier(self._table),
            )
        )

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
