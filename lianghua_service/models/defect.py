from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .quality_finding import SEVERITIES
from .test_plan_line import TEST_TYPES


class LianghuaDefect(models.Model):
    _name = "lianghua.defect"
    _description = "Defect"
    _inherit = ["mail.thread", "mail.activity.mixin", "lianghua.document.mixin"]
    _order = "state, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        check_company=True,
        domain="[('lianghua_request_id', '!=', False)]",
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    department_id = fields.Many2one(related="project_id.lianghua_department_id", store=True)
    test_plan_id = fields.Many2one(
        "lianghua.test.plan",
        domain="[('project_id', '=', project_id)]",
        index="btree_not_null",
        check_company=True,
    )
    test_type = fields.Selection(TEST_TYPES, required=True, default="functional")
    severity = fields.Selection(SEVERITIES, required=True, default="major", tracking=True)
    description = fields.Html()
    owner_id = fields.Many2one("res.users", tracking=True, check_company=True)
    state = fields.Selection(
        [("open", "Open"), ("fixed", "Fixed"), ("closed", "Closed"), ("rejected", "Not a Defect")],
        string="Status",
        required=True,
        readonly=True,
        default="open",
        tracking=True,
    )
    date_closed = fields.Date(string="Closed On", readonly=True)

    def write(self, vals):
        if not self.env.su:
            if {"state", "date_closed"} & set(vals):
                raise UserError(_("A defect moves on with its buttons."))
            if self._lianghua_user_fields(vals):
                self.env["lianghua.test.plan"]._check_it()
            if vals.get("severity", "critical") != "critical" or "project_id" in vals:
                self._check_critical_it_manager(
                    _("Only an IT manager lowers the severity of a critical defect, or moves it.")
                )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["lianghua.test.plan"]._check_it()
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_critical(self):
        self._check_critical_it_manager(_("Only an IT manager deletes a critical defect."))

    def _check_critical_it_manager(self, message):
        """A critical defect blocks the go-live: only an IT manager lifts it
        otherwise than by fixing it."""
        if self._lianghua_is_it_manager():
            return
        if self.filtered(lambda d: d.severity == "critical"):
            raise UserError(message)

    def action_fix(self):
        self._move("open", "fixed")
        return True

    def action_close(self):
        self._move("fixed", "closed", date_closed=fields.Date.context_today(self))
        return True

    def action_reopen(self):
        self._move(("fixed", "closed"), "open", date_closed=False)
        return True

    def action_reject(self):
        self._check_can_move("open")
        self._check_critical_it_manager(
            _("Only an IT manager decides that a critical defect is none.")
        )
        self._move("open", "rejected", date_closed=fields.Date.context_today(self))
        return True

    def _move(self, from_states, to_state, **extra):
        self._check_can_move(from_states)
        defects_sudo = self.sudo()  # the status is written by the workflow only
        defects_sudo.write({"state": to_state, **extra})

    def _check_can_move(self, from_states):
        """IT moves defects on, from one of ``from_states``."""
        self.env["lianghua.test.plan"]._check_it()
        from_states = (from_states,) if isinstance(from_states, str) else from_states
        for defect in self:
            if defect.state not in from_states:
                raise UserError(
                    _(
                        "Defect %(name)s cannot move from its current status.",
                        name=defect.display_name,
                    )
                )
