from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    # agreement_project's link, checked against the project's company.
    agreement_id = fields.Many2one(check_company=True)
    lianghua_contract_ids = fields.One2many(
        "agreement", "lianghua_project_id", string="Service Contracts"
    )
    lianghua_contract_count = fields.Integer(
        compute="_compute_lianghua_contract_count", string="Contracts"
    )

    def _compute_lianghua_contract_count(self):
        counts = dict(
            self.env["agreement"]._read_group(
                [("lianghua_project_id", "in", self.ids)], ["lianghua_project_id"], ["__count"]
            )
        )
        for project in self:
            project.lianghua_contract_count = counts.get(project, 0)

    def action_view_lianghua_contracts(self):
        return self._get_lianghua_records_action(
            "lianghua_contract.lianghua_contract_action", "lianghua_project_id", create=False
        )
