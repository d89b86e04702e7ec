from odoo import _, api, fields, models
from odoo.exceptions import UserError

IT_GROUP = "lianghua_service.group_lianghua_it_user"


class LianghuaRectification(models.Model):
    """What a failed acceptance asks IT to put right (整改) before the next round."""

    _name = "lianghua.rectification"
    _description = "Rectification"
    _inherit = ["mail.thread", "lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "acceptance_id"
    _order = "acceptance_id, state desc, deadline, id"

    acceptance_id = fields.Many2one(
        "lianghua.acceptance", required=True, index=True, ondelete="cascade", check_company=True
    )
    project_id = fields.Many2one(related="acceptance_id.project_id", store=True)
    company_id = fields.Many2one(related="acceptance_id.company_id", store=True)
    department_id = fields.Many2one(related="acceptance_id.department_id", store=True)
    name = fields.Char(string="To Rectify", required=True)
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        check_company=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(IT_GROUP).ids)],
    )
    deadline = fields.Date(required=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")],
        string="Status",
        required=True,
        readonly=True,
        default="open",
        tracking=True,
    )
    done_note = fields.Text(string="What Was Done")
    date_done = fields.Date(string="Done On", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        acceptances = self._lianghua_vals_records(vals_list, "acceptance_id")
        if not self.env.su:
            acceptances._check_writable({"rectification_ids"})
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if {"state", "date_done"} & set(vals):
                raise UserError(_("A rectification is closed with its Done button."))
            if set(vals) - {"done_note"}:
                self.acceptance_id._check_writable({"rectification_ids"})
            else:
                self._check_owner()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_concluded(self):
        if not self.env.su:
            self.acceptance_id._check_writable({"rectification_ids"})

    def action_done(self):
        self._check_can_done()
        items_sudo = self.sudo()  # the status is written by the workflow only
        items_sudo.write({"state": "done", "date_done": fields.Date.context_today(self)})
        for item_sudo in items_sudo:
            item_sudo.acceptance_id.activity_feedback(
                ["lianghua_service.mail_activity_rectification"],
                user_id=item_sudo.owner_id.id,
            )
        return True

    def _check_can_done(self):
        self._check_owner()
        for item in self:
            if item.state != "open" or item.acceptance_id.state != "failed":
                raise UserError(_("Only an open rectification of a failed acceptance is done."))
            if not item.done_note:
                raise UserError(_("Say what was done to rectify %(name)s.", name=item.name))

    def _check_owner(self):
        is_it = self._lianghua_is_it()
        for item in self:
            if not (is_it or item.owner_id == self.env.user):
                raise UserError(_("Its owner, or IT, closes a rectification."))
