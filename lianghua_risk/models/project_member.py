from odoo import fields, models


class LianghuaProjectMember(models.Model):
    """Who leaves a team is recorded as a departure (removed, or replaced by
    someone else in the same line)."""

    _inherit = "lianghua.project.member"

    def write(self, vals):
        before = {}
        if {"user_id", "partner_id"} & set(vals):
            before = {m: (m.project_id, m.partner_id, m.role) for m in self if m.partner_id}
        res = super().write(vals)
        self._lianghua_record_departures(
            [
                (project, partner, role)
                for member, (project, partner, role) in before.items()
                if member.partner_id != partner
            ]
        )
        return res

    def unlink(self):
        self._lianghua_record_departures([(m.project_id, m.partner_id, m.role) for m in self])
        return super().unlink()

    def _lianghua_record_departures(self, leaving):
        if not leaving:
            return
        today = fields.Date.context_today(self)
        # Recorded by the team's change itself, whoever made it.
        self.env["lianghua.project.departure"].sudo().create(
            [
                {"project_id": project.id, "partner_id": partner.id, "role": role, "date": today}
                for project, partner, role in leaving
                if project.exists()
            ]
        )
