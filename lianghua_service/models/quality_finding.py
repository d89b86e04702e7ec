from odoo import _, fields, models
from odoo.exceptions import UserError

SEVERITIES = [("minor", "Minor"), ("major", "Major"), ("critical", "Critical")]


class LianghuaQualityFinding(models.Model):
    _name = "lianghua.quality.finding"
    _description = "Review Finding"
    _inherit = ["lianghua.line.mixin"]
    _check_company_auto = True
    _document_field = "check_id"
    _order = "state desc, deadline, id"

    check_id = fields.Many2one(
        "lianghua.quality.check",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    project_id = fields.Many2one(related="check_id.project_id", store=True)
    company_id = fields.Many2one(related="check_id.company_id", store=True)
    name = fields.Char(string="Finding", required=True)
    severity = fields.Selection(SEVERITIES, required=True, default="minor")
    owner_id = fields.Many2one("res.users", check_company=True)
    deadline = fields.Date()
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        string="Status",
        required=True,
        default="open",
        readonly=True,
    )

    def write(self, vals):
        if not self.env.su and "state" in vals:
            raise UserError(_("A finding is closed with its button."))
        return super().write(vals)

    def action_close(self):
        self._check_can_close()
        findings_sudo = self.sudo()  # the status is written by the workflow only
        findings_sudo.write({"state": "closed"})
        return True

    def _check_can_close(self):
        self.env["lianghua.quality.check"]._check_it()
        closed = self.filtered(lambda finding: finding.state != "open")
        if closed:
            raise UserError(_("Finding %(name)s is closed already.", name=closed[0].name))
