from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

IT_GROUP = "lianghua_service.group_lianghua_it_user"
CRITICALITY = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]


class LianghuaSystem(models.Model):
    """An information system IT runs (信息系统台账): who owns it, who built it,
    how available it must be and how available it was."""

    _name = "lianghua.system"
    _description = "Information System"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "lianghua.document.mixin",
        "lianghua.indicator.scope.mixin",
    ]
    _order = "criticality_rank desc, name"
    _check_company_auto = True
    _lianghua_indicator_field = "system_id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    code = fields.Char(
        tracking=True,
        copy=False,
        help="Short name used by monitoring: alerts carry it in a label (``system`` by "
        "default) to reach this system.",
    )
    category_id = fields.Many2one("lianghua.system.category", tracking=True, check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Owner Department",
        tracking=True,
        check_company=True,
        help="The business department that uses and owns the system.",
    )
    it_owner_id = fields.Many2one(
        "res.users",
        string="IT Owner",
        tracking=True,
        check_company=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(IT_GROUP).ids)],
    )
    vendor_id = fields.Many2one("res.partner", tracking=True, check_company=True)
    project_id = fields.Many2one(
        "project.project",
        string="Built by Project",
        tracking=True,
        check_company=True,
        index="btree_not_null",
    )
    request_id = fields.Many2one(related="project_id.lianghua_request_id", string="Request")
    date_go_live = fields.Date(string="Go-live Date", tracking=True)
    criticality = fields.Selection(CRITICALITY, required=True, default="medium", tracking=True)
    criticality_rank = fields.Integer(compute="_compute_criticality_rank", store=True)
    availability_target = fields.Float(
        string="Availability Target (%)", default=99.5, tracking=True, digits=(5, 2)
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("live", "In Operation"),
            ("maintenance", "Under Maintenance"),
            ("retired", "Retired"),
        ],
        string="Status",
        required=True,
        default="live",
        tracking=True,
        index=True,
    )
    portal_visible = fields.Boolean(
        string="Visible in the Portal",
        default=True,
        help="Portal users (external partners, business users) may choose it when they "
        "open a ticket.",
    )
    description = fields.Html()
    ticket_ids = fields.One2many("helpdesk.ticket", "lianghua_system_id", string="Tickets")
    request_ids = fields.One2many("lianghua.request", "system_id", string="Requests")
    maintenance_plan_ids = fields.One2many(
        "lianghua.maintenance.plan", "system_id", string="Maintenance Plans"
    )
    open_ticket_count = fields.Integer(compute="_compute_counts")
    incident_count = fields.Integer(compute="_compute_counts")
    request_count = fields.Integer(compute="_compute_counts")
    maintenance_plan_count = fields.Integer(compute="_compute_counts")
    availability_month = fields.Float(
        string="Availability This Month (%)",
        compute="_compute_availability_month",
        digits=(5, 2),
        help="Measured from the downtime of the system's incidents.",
    )
    availability_breached = fields.Boolean(compute="_compute_availability_month")

    _sql_constraints = [
        ("code_uniq", "unique (code, company_id)", "A system code is used once per company."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("code"):
                vals["code"] = self.env["ir.sequence"].next_by_code("lianghua.system")
        return super().create(vals_list)

    @api.depends("criticality")
    def _compute_criticality_rank(self):
        ranks = {key: rank for rank, (key, __) in enumerate(CRITICALITY)}
        for system in self:
            system.criticality_rank = ranks.get(system.criticality, 0)

    def _compute_counts(self):
        open_tickets, incidents = defaultdict(int), defaultdict(int)
        for system, kind, stage, count in self.env["helpdesk.ticket"]._read_group(
            [("lianghua_system_id", "in", self.ids)],
            ["lianghua_system_id", "lianghua_kind", "stage_id"],
            ["__count"],
        ):
            if not stage.closed:
                open_tickets[system] += count
            if kind == "incident":
                incidents[system] += count
        request_counts = dict(
            self.env["lianghua.request"]._read_group(
                [("system_id", "in", self.ids)], ["system_id"], ["__count"]
            )
        )
        plans = dict(
            self.env["lianghua.maintenance.plan"]._read_group(
                [("system_id", "in", self.ids)], ["system_id"], ["__count"]
            )
        )
        for system in self:
            system.open_ticket_count = open_tickets.get(system, 0)
            system.incident_count = incidents.get(system, 0)
            system.request_count = request_counts.get(system, 0)
            system.maintenance_plan_count = plans.get(system, 0)

    def _compute_availability_month(self):
        month = fields.Datetime.now().date().replace(day=1)  # the view's months are UTC
        figures = dict(
            self.env["lianghua.system.availability"]._read_group(
                [("system_id", "in", self.ids), ("month", "=", month)],
                ["system_id"],
                ["availability:min"],
            )
        )
        for system in self:
            system.availability_month = figures.get(system, 100.0)
            system.availability_breached = system.availability_month < system.availability_target

    @api.constrains("availability_target")
    def _check_availability_target(self):
        for system in self:
            if not 0 < system.availability_target <= 100:
                raise ValidationError(
                    _(
                        "The availability target of %(system)s is a percentage above 0 and "
                        "up to 100.",
                        system=system.name,
                    )
                )

    @api.depends("name", "code")
    def _compute_display_name(self):
        for system in self:
            system.display_name = f"[{system.code}] {system.name}" if system.code else system.name

    # Actions

    def action_view_tickets(self):
        return self._action_tickets([("closed", "=", False)])

    def action_view_incidents(self):
        return self._action_tickets([("lianghua_kind", "=", "incident")])

    def _action_tickets(self, domain):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_ticket_action", "lianghua_system_id", domain
        )

    def action_view_requests(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_request_action", "system_id", create=False
        )

    def action_view_maintenance_plans(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_maintenance_plan_action", "system_id"
        )

    def action_view_availability(self):
        return self._get_lianghua_records_action(
            "lianghua_service.lianghua_system_availability_action", "system_id", create=False
        )

    def action_view_project(self):
        self.ensure_one()
        return self.project_id._get_lianghua_form_action()

    def action_request_change(self):
        """Upgrades and extensions go back through the request lifecycle: a
        new request about this system, for its owner department. A form to
        fill in: nothing is written until it is saved."""
        self._check_can_request_change()
        return {
            "type": "ir.actions.act_window",
            "name": _("New Request"),
            "res_model": "lianghua.request",
            "views": [(False, "form")],
            "context": {
                "default_system_id": self.id,
                "default_title": _("Upgrade of %(system)s", system=self.name),
                "default_service_type_id": self.env.ref(
                    "lianghua_service.service_type_information_system"
                ).id,
            },
        }

    def _check_can_request_change(self):
        """Who may raise requests, on a system they may read."""
        self.ensure_one()
        self.check_access("read")
        self.env["lianghua.request"].check_access("create")
