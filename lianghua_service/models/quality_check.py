from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .checklist_template import CHECK_KINDS

IT_GROUP = "lianghua_service.group_lianghua_it_user"
CONCLUSIONS = [
    ("passed", "Passed"),
    ("passed_with_findings", "Passed with Findings"),
    ("failed", "Failed"),
]


class LianghuaQualityCheck(models.Model):
    """A requirement review, a design review or the go-live checklist of a
    project: configurable check items, participants, a conclusion, findings."""

    _name = "lianghua.quality.check"
    _description = "Quality Check"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, precompute=True, required=True
    )
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        check_company=True,
        domain="[('lianghua_request_id', '!=', False)]",
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    department_id = fields.Many2one(related="project_id.lianghua_department_id", store=True)
    kind = fields.Selection(CHECK_KINDS, required=True, default="requirement_review")
    template_id = fields.Many2one(
        "lianghua.checklist.template",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('kind', '=', kind)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    participant_ids = fields.Many2many("res.users", string="Participants", check_company=True)
    line_ids = fields.One2many("lianghua.quality.check.line", "check_id", string="Check Items")
    finding_ids = fields.One2many("lianghua.quality.finding", "check_id", string="Findings")
    conclusion = fields.Selection(CONCLUSIONS, tracking=True)
    summary = fields.Html()
    complete = fields.Boolean(
        compute="_compute_complete", help="Every required item has passed (or does not apply)."
    )
    state = fields.Selection(
        [("draft", "In Progress"), ("done", "Done")],
        string="Status",
        required=True,
        readonly=True,
        copy=False,
        default="draft",
        tracking=True,
    )

    @api.constrains("kind", "template_id")
    def _check_template_kind(self):
        for check in self:
            if check.template_id and check.template_id.kind != check.kind:
                raise ValidationError(
                    _(
                        "Template %(template)s is not for this kind of check.",
                        template=check.template_id.name,
                    )
                )

    @api.depends("kind", "project_id")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for check in self:
            if not check.name and check.kind:
                check.name = labels[check.kind]

    @api.depends("kind")
    def _compute_template_id(self):
        templates = self.env["lianghua.checklist.template"].search(
            [("kind", "in", list(set(self.mapped("kind"))))]
        )
        for check in self:
            if check.template_id.kind != check.kind:
                check.template_id = templates.filtered(lambda t, c=check: t.kind == c.kind)[:1]

    @api.depends("line_ids.result", "line_ids.required")
    def _compute_complete(self):
        for check in self:
            check.complete = all(
                line.result in ("pass", "na") for line in check.line_ids if line.required
            )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._check_it()
        checks = super().create(vals_list)
        # The template's items, required ones included, come with the check
        # (items added by hand are extra, see the check line).
        for check in checks.sudo().filtered("template_id"):
            check.line_ids = [
                Command.create(
                    {
                        "sequence": item.sequence,
                        "name": item.name,
                        "description": item.description,
                        "required": item.required,
                    }
                )
                for item in check.template_id.line_ids
            ]
        return checks

    def write(self, vals):
        if not self.env.su:
            if "state" in vals:
                raise UserError(_("A check is closed with its Done button."))
            if {"kind", "template_id", "project_id"} & set(vals):
                raise UserError(
                    _("A check keeps its kind, template and project: create a new check.")
                )
            if self._lianghua_user_fields(vals):
                self._check_editable()
        return super().write(vals)

    # Actions

    def action_done(self):
        self._check_can_close()
        checks_sudo = self.sudo()  # the status is written by the workflow only
        checks_sudo.write({"state": "done"})
        return True

    # Business

    def _lianghua_it_only_message(self):
        return _("Quality checks are kept by the project team (IT).")

    def _check_editable(self):
        self._check_it()
        done = self.filtered(lambda check: check.state == "done")
        if done:
            raise UserError(_("Check %(name)s is done.", name=done[0].display_name))

    def _check_can_close(self):
        self._check_editable()
        for check in self:
            pending = check.line_ids.filtered(lambda line: line.result == "pending")
            if pending:
                raise ValidationError(
                    _(
                        "%(name)s: decide every item first (%(items)s).",
                        name=check.display_name,
                        items=", ".join(pending.mapped("name")),
                    )
                )
            if check.kind == "go_live":
                expected = set(check.template_id.line_ids.filtered("required").mapped("name"))
                present = set(check.line_ids.filtered("required").mapped("name"))
                if not check.template_id or expected - present:
                    raise ValidationError(_("A go-live checklist needs the items of its template."))
                failed = check.line_ids.filtered(
                    lambda line: line.required and line.result not in ("pass", "na")
                )
                if failed:
                    raise ValidationError(
                        _(
                            "The go-live checklist is not complete: %(items)s.",
                            items=", ".join(failed.mapped("name")),
                        )
                    )
                blocking = check.project_id.lianghua_defect_ids.filtered(
                    lambda d: d.severity == "critical" and d.state in ("open", "fixed")
                )
                if blocking:
                    raise ValidationError(
                        _(
                            "The project still has critical defects open: %(defects)s.",
                            defects=", ".join(blocking.mapped("name")),
                        )
                    )
            elif not check.conclusion:
                raise ValidationError(
                    _("Give the conclusion of %(name)s.", name=check.display_name)
                )
