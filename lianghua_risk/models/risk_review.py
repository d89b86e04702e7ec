from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext


class LianghuaRiskReview(models.Model):
    """A periodic risk identification of a project (policy 6.1): the team
    goes through its open risks, records what changed, re-scores them, adds
    the new ones to the register, and sets the date of the next review. The
    project's review cycle (its interval in days) proposes that date; an
    overdue review shows on the project and gives its manager a to-do."""

    _name = "lianghua.risk.review"
    _description = "Risk Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    project_id = fields.Many2one(
        "project.project", required=True, index=True, tracking=True, check_company=True,
        domain="[('lianghua_request_id', '!=', False)]",
    )  # fmt: skip
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    department_id = fields.Many2one(related="project_id.lianghua_department_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    reviewer_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, check_company=True,
        domain=[("share", "=", False)], tracking=True,
    )  # fmt: skip
    summary = fields.Html(string="What Changed")
    line_ids = fields.One2many("lianghua.risk.review.line", "review_id", string="Risks Reviewed")
    new_risk_ids = fields.One2many(
        "lianghua.risk", compute="_compute_new_risk_ids", string="Risks Identified"
    )
    next_date = fields.Date(
        string="Next Review", compute="_compute_next_date", store=True, readonly=False,
        precompute=True, tracking=True,
    )  # fmt: skip
    state = fields.Selection(
        [("draft", "In Progress"), ("done", "Done")], string="Status", required=True,
        readonly=True, default="draft", copy=False, tracking=True, index=True,
    )  # fmt: skip

    # Computes

    @api.depends("project_id", "date")
    def _compute_display_name(self):
        for review in self:
            review.display_name = _(
                "Risk review of %(project)s on %(date)s",
                project=review.project_id.name or "",
                date=review.date or "",
            )

    @api.depends("date", "project_id.lianghua_risk_review_days")
    def _compute_next_date(self):
        for review in self:
            if review.state == "draft" and review.date:
                days = review.project_id.lianghua_risk_review_days or 30
                review.next_date = review.date + relativedelta(days=days)

    @api.depends("line_ids")
    def _compute_new_risk_ids(self):
        groups = dict(
            self.env["lianghua.risk"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["id:array_agg"]
            )
        )
        for review in self:
            review.new_risk_ids = [Command.set(groups.get(review, []))]

    # Constraints

    @api.constrains("date", "next_date")
    def _check_next_date(self):
        for review in self:
            if not review.next_date or review.next_date <= review.date:
                raise ValidationError(_("The next review comes after this one."))

    def _get_lianghua_unique_indexes(self):
        return {
            **super()._get_lianghua_unique_indexes(),
            "lianghua_risk_review_one_draft": (
                ("project_id",),
                "state = 'draft'",
                lambda: self.env._("A project has one risk review in progress at a time."),
            ),
        }

    # CRUD

    def _get_workflow_fields(self):
        return super()._get_workflow_fields() | {"state"}

    @api.model_create_multi
    def create(self, vals_list):
        self._check_it()
        self._lianghua_check_workflow_fields(
            vals_list, _("A review starts in progress: it is concluded with its button.")
        )
        projects = self._lianghua_vals_records(vals_list, "project_id")
        for vals, project in zip(vals_list, projects, strict=True):
            if "line_ids" not in vals:
                # The project's open risks, as they stand, to go through.
                vals["line_ids"] = [
                    Command.create({"risk_id": risk.id})
                    for risk in project.lianghua_risk_ids.filtered(lambda r: r.state != "closed")
                ]
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._lianghua_user_fields(vals):
            self._check_it()
            self._lianghua_check_workflow_fields(
                [vals], _("A review is concluded with its button.")
            )
            self._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(review.state == "done" for review in self):
            raise UserError(_("A concluded review is the project's history: it stays."))

    def _check_draft(self):
        done = self.filtered(lambda review: review.state != "draft")
        if done:
            raise UserError(_("%(review)s is concluded.", review=done[0].display_name))

    # Actions

    def action_done(self):
        """Conclude the review: the risks take their new scores, the project
        its next review date, and the review to-do is done."""
        self._check_it()
        self.check_access("write")
        self._check_draft()
        for review in self:
            if not html2plaintext(review.summary or "").strip():
                raise UserError(
                    _(
                        "Write what changed since the last review in %(review)s.",
                        review=review.display_name,
                    )
                )
        self._do_done()
        return True

    def _do_done(self):
        for review in self:
            review.line_ids._apply()
        reviews_sudo = self.sudo()  # the status and the project's cycle are the workflow's
        reviews_sudo.write({"state": "done"})
        for review in reviews_sudo:
            review.project_id.lianghua_risk_review_next = review.next_date
            review.project_id.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id == self.env.ref("lianghua_risk.mail_activity_risk_review")
                )
            ).action_feedback(feedback=_("Reviewed: %(review)s", review=review.display_name))

    def action_identify_risk(self):
        """A new risk of the project, identified in this review."""
        self.ensure_one()
        self._check_it()
        self._check_draft()
        return {
            "type": "ir.actions.act_window",
            "res_model": "lianghua.risk",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_project_id": self.project_id.id,
                "default_review_id": self.id,
            },
        }

    def action_view_project(self):
        self.ensure_one()
        return self.project_id._get_lianghua_form_action()
