from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _lianghua_home_department(self):
        """The department of the user's employee file (in the current company first)."""
        self.ensure_one()
        # Employee files may be out of the user's reach; only the department leaves.
        user_sudo = self.sudo()
        department_sudo = (
            user_sudo.employee_id.department_id or user_sudo.employee_ids.department_id[:1]
        )
        return self.env["hr.department"].browse(department_sudo.ids)

    def _lianghua_departments(self):
        """Departments the user acts for: those of their employee files and those
        they manage. The record rules say the same in domain form."""
        self.ensure_one()
        # Employee files may be out of the user's reach; only ids leave here.
        employees_sudo = self.sudo().employee_ids
        managed_sudo = (
            self.env["hr.department"].sudo().search([("manager_id.user_id", "=", self.id)])
        )
        return self.env["hr.department"].browse((employees_sudo.department_id | managed_sudo).ids)
