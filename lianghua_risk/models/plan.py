from datetime import timedelta

from odoo import Command, _, fields, models


class LianghuaPlan(models.Model):
    """The plan's risk assessment as structured lines, carried into the
    project's register on approval (policy 3.2: the plan states the risks
    and their responses)."""

    _inherit = "lianghua.plan"

    lianghua_risk_line_ids = fields.One2many(
        "lianghua.plan.risk", "plan_id", string="Risks", copy=True
    )

    def _do_approve(self):
        res = super()._do_approve()
        self._lianghua_carry_risks()
        return res

    def _lianghua_carry_risks(self):
        """Each risk line not carried yet becomes a risk of the project,
        owned by its manager, with its planned response due in a fortnight."""
        Risk = self.env["lianghua.risk"].sudo()  # the approval files them for IT
        for plan in self.sudo():
            project = plan.project_id
            carried = Risk.with_context(active_test=False).search(
                [("project_id", "=", project.id), ("plan_risk_id", "!=", False)]
            )
            origins = {line.origin_id or line for line in carried.plan_risk_id}
            lines = plan.lianghua_risk_line_ids.filtered(
                lambda line, origins=origins: (line.origin_id or line) not in origins
            )
            owner = project.user_id or plan.author_id
            deadline = fields.Date.context_today(self) + timedelta(days=14)
            Risk.create(
                [
                    {
                        "title": line.name,
                        "project_id": project.id,
                        "category_id": line.category_id.id,
                        "probability_id": line.probability_id.id,
                        "impact_id": line.impact_id.id,
                        "owner_id": owner.id,
                        "source": "plan",
                        "plan_risk_id": line.id,
                        "description": line.response
                        and _("Planned response: %(response)s", response=line.response),
                        "response_ids": [
                            Command.create(
                                {
                                    "strategy": line.strategy,
                                    "name": line.response or line.name,
                                    "owner_id": owner.id,
                                    "deadline": deadline,
                                }
                            )
                        ]
                        if line.response
                        else [],
                    }
                    for line in lines
                ]
            )
            project._lianghua_schedule_risk_reviews()
