from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ProjectProject(models.Model):
    """The project's risk register, early warnings and review cycle."""

    _inherit = "project.project"

    lianghua_risk_ids = fields.One2many("lianghua.risk", "project_id", string="Risks")
    lianghua_risk_count = fields.Integer(
        string="Open Risks", compute="_compute_lianghua_risk_counts"
    )
    lianghua_high_risk_count = fields.Integer(
        string="High Risks", compute="_compute_lianghua_risk_counts"
    )
    lianghua_warning_count = fields.Integer(
        string="Open Warnings", compute="_compute_lianghua_risk_counts"
    )
    lianghua_risk_review_days = fields.Integer(
        string="Risk Review Every (days)",
        default=lambda self: self.env.company.lianghua_risk_review_days,
        tracking=True,
        help="The project's risk review cycle: a concluded review proposes the next one this "
        "many days later.",
    )
    lianghua_risk_review_next = fields.Date(
        string="Next Risk Review",
        tracking=True,
        copy=False,
        help="Set by each concluded review; its manager gets a to-do once it is overdue.",
    )
    lianghua_risk_review_overdue = fields.Boolean(
        string="Risk Review Overdue",
        compute="_compute_lianghua_risk_review_overdue",
        search="_search_lianghua_risk_review_overdue",
    )

    @api.depends("lianghua_risk_ids.state")
    def _compute_lianghua_risk_counts(self):
        Warning = self.env["lianghua.risk.warning"]
        risks = self.env["lianghua.risk"]._lianghua_open_counts("project_id", self)
        warnings = (
            dict(
                Warning._read_group(
                    [("project_id", "in", self.ids), ("state", "=", "open")],
                    ["project_id"],
                    ["__count"],
                )
            )
            if Warning.has_access("read")
            else {}
        )
        for project in self:
            project.lianghua_risk_count, project.lianghua_high_risk_count = risks.get(
                project, (0, 0)
            )
            project.lianghua_warning_count = warnings.get(project, 0)

    @api.depends("lianghua_risk_review_next")
    @api.depends_context("tz")
    def _compute_lianghua_risk_review_overdue(self):
        today = fields.Date.context_today(self)
        for project in self:
            project.lianghua_risk_review_overdue = bool(
                project.lianghua_risk_review_next and project.lianghua_risk_review_next < today
            )

    def _search_lianghua_risk_review_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue risk reviews with = or != and a yes or no."))
        domain = [("lianghua_risk_review_next", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    # Actions

    def action_lianghua_view_risks(self):
        return self._get_lianghua_records_action(
            "lianghua_risk.lianghua_risk_action",
            "project_id",
            create=self.env["lianghua.risk"]._lianghua_is_it(),
        )

    def action_lianghua_view_warnings(self):
        return self._get_lianghua_records_action(
            "lianghua_risk.lianghua_risk_warning_action", "project_id", create=False
        )

    def action_lianghua_view_risk_reviews(self):
        return self._get_lianghua_records_action(
            "lianghua_risk.lianghua_risk_review_action", "project_id", create=False
        )

    def action_lianghua_heat_map(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.client",
            "tag": "lianghua_risk.heat_map",
            "name": _("Risk Heat Map: %(project)s", project=self.name),
            "params": {"project_id": self.id},
        }

    def action_lianghua_start_risk_review(self):
        """The project's risk review in progress, or a new one with its open
        risks to go through."""
        self.ensure_one()
        Review = self.env["lianghua.risk.review"]
        Review._check_it()
        self.check_access("read")
        review = Review.search(
            [("project_id", "=", self.id), ("state", "=", "draft")], limit=1
        ) or Review.create({"project_id": self.id})
        return review._get_lianghua_form_action()

    # Business

    def _lianghua_schedule_risk_reviews(self):
        """The first review of projects without a cycle date yet."""
        for project in self.filtered(lambda p: not p.lianghua_risk_review_next):
            project.lianghua_risk_review_next = fields.Date.context_today(self) + relativedelta(
                days=project.lianghua_risk_review_days or 30
            )

    @api.model
    def _cron_lianghua_risk_reviews(self):
        """A to-do for the manager of each project whose risk review is
        overdue (once: not while one is open)."""
        activity_type = self.env.ref("lianghua_risk.mail_activity_risk_review")
        overdue = self.search(
            [
                ("lianghua_risk_review_overdue", "=", True),
                ("lianghua_request_id", "!=", False),
                ("lianghua_delivered", "=", False),
                ("user_id", "!=", False),
            ]
        )
        pending = set(
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", "project.project"),
                    ("res_id", "in", overdue.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        for project in overdue.filtered(lambda p: p.id not in pending):
            project.activity_schedule(
                "lianghua_risk.mail_activity_risk_review",
                date_deadline=fields.Date.context_today(self),
                user_id=project.user_id.id,
                summary=_(
                    "Risk review overdue since %(date)s", date=project.lianghua_risk_review_next
                ),
            )
