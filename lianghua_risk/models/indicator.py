from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.lianghua_service.models.indicator import measures

# The scopes an early warning can watch: the ones a risk is the risk of.
WARNING_SCOPES = ("project", "system")
# The computations of the risks the policy names (6.2).
COMPUTATIONS = [
    ("schedule_slip_days", "Risk: days late on milestones"),
    ("open_change_requests", "Risk: open change requests"),
    ("change_schedule_impact", "Risk: schedule moved by approved changes (days)"),
    ("change_cost_impact", "Risk: cost of approved changes (% of the plan's budget)"),
    ("sla_breach_rate", "Risk: SLA targets missed on the project's systems"),
    ("open_security_findings", "Risk: open security defects and findings"),
    ("team_departures", "Risk: members who left the project team"),
]


class LianghuaIndicator(models.Model):
    """Early-warning indicators (policy 6.3): any indicator measured per
    project or system may carry a warning and an alarm threshold; the warning
    cron (``lianghua.risk.warning``) compares its values with them. The
    computations below measure the risks the policy names (6.2) from the
    project's own records."""

    _inherit = "lianghua.indicator"

    computation = fields.Selection(
        selection_add=COMPUTATIONS,
        ondelete=dict.fromkeys((key for key, __ in COMPUTATIONS), "set null"),
    )
    lianghua_early_warning = fields.Boolean(
        string="Early Warning",
        tracking=True,
        help="Raise a warning, and a risk, when a value crosses the thresholds.",
    )
    lianghua_warning_threshold = fields.Float(
        string="Warning Threshold",
        tracking=True,
        help="A value at or beyond it (above when lower is better, below when higher is "
        "better) raises a warning.",
    )
    lianghua_alarm_threshold = fields.Float(
        string="Alarm Threshold", tracking=True, help="A value at or beyond it raises the alarm."
    )
    lianghua_risk_category_id = fields.Many2one(
        "lianghua.risk.category",
        string="Risk Category",
        help="The category of the risk a warning creates in the register.",
    )
    lianghua_warning_probability_id = fields.Many2one(
        "lianghua.risk.scale",
        string="Probability at Warning",
        domain=[("axis", "=", "probability")],
    )
    lianghua_alarm_probability_id = fields.Many2one(
        "lianghua.risk.scale",
        string="Probability at Alarm",
        domain=[("axis", "=", "probability")],
    )
    lianghua_risk_impact_id = fields.Many2one(
        "lianghua.risk.scale", string="Risk Impact", domain=[("axis", "=", "impact")]
    )
    lianghua_warned_on = fields.Date(
        string="Last Evaluated",
        readonly=True,
        copy=False,
        help="The day the warnings were last evaluated.",
    )
    lianghua_open_warning_count = fields.Integer(
        string="Open Warnings", compute="_compute_lianghua_open_warning_count"
    )

    def _compute_lianghua_open_warning_count(self):
        counts = dict(
            self.env["lianghua.risk.warning"]._read_group(
                [("indicator_id", "in", self.ids), ("state", "=", "open")],
                ["indicator_id"],
                ["__count"],
            )
        )
        for indicator in self:
            indicator.lianghua_open_warning_count = counts.get(indicator, 0)

    @api.constrains(
        "lianghua_early_warning",
        "lianghua_warning_threshold",
        "lianghua_alarm_threshold",
        "direction",
        "scope",
        "computation",
        "lianghua_risk_category_id",
        "lianghua_warning_probability_id",
        "lianghua_alarm_probability_id",
        "lianghua_risk_impact_id",
    )
    def _check_lianghua_thresholds(self):
        for indicator in self.filtered("lianghua_early_warning"):
            name = indicator.display_name
            if not indicator.computation or indicator.scope not in WARNING_SCOPES:
                raise ValidationError(
                    _(
                        "%(name)s warns of a project's or a system's risks: it is computed "
                        "per project or per system.",
                        name=name,
                    )
                )
            warning, alarm = (
                indicator.lianghua_warning_threshold,
                indicator.lianghua_alarm_threshold,
            )
            if (indicator.direction == "lower" and alarm < warning) or (
                indicator.direction == "higher" and alarm > warning
            ):
                raise ValidationError(
                    _(
                        "The alarm threshold of %(name)s lies beyond its warning threshold "
                        "(%(direction)s).",
                        name=name,
                        direction=dict(self._fields["direction"]._description_selection(self.env))[
                            indicator.direction
                        ],
                    )
                )
            if not (
                indicator.lianghua_risk_category_id
                and indicator.lianghua_warning_probability_id
                and indicator.lianghua_alarm_probability_id
                and indicator.lianghua_risk_impact_id
            ):
                raise ValidationError(
                    _(
                        "%(name)s needs the category, probabilities and impact of the risk "
                        "its warnings raise.",
                        name=name,
                    )
                )
            if (
                indicator.lianghua_alarm_probability_id.score
                < indicator.lianghua_warning_probability_id.score
            ):
                raise ValidationError(
                    _("An alarm of %(name)s is not less probable than its warning.", name=name)
                )

    def _lianghua_level_of(self, value, sample):
        """'alarm', 'warning' or False: where ``value`` stands against the
        thresholds (a value measured on no records raises nothing)."""
        self.ensure_one()
        if not sample:
            return False
        sign = 1 if self.direction == "lower" else -1
        if sign * value >= sign * self.lianghua_alarm_threshold:
            return "alarm"
        if sign * value >= sign * self.lianghua_warning_threshold:
            return "warning"
        return False

    def _lianghua_probability_at(self, level):
        self.ensure_one()
        if level == "alarm":
            return self.lianghua_alarm_probability_id
        return self.lianghua_warning_probability_id

    # Computations

    @api.model
    def _asof(self, period):
        """The day a period's state is read on: its last day, or today for
        the current one."""
        return min(period.today, period.last)

    @measures("project")
    def _measure_schedule_slip_days(self, scopes, period):
        """How many days the latest milestone not reached by its deadline is
        late, as of the period's last day (today for the current period);
        measured on the project's milestones with a deadline, while the
        project is not delivered (a delivered project no longer slips)."""
        return self._grouped_figures(
            """
            SELECT m.project_id,
                   coalesce(max(%(asof)s::date - m.deadline) FILTER (
                       WHERE m.deadline < %(asof)s
                         AND (NOT m.is_reached OR m.reached_date IS NULL
                              OR m.reached_date > %(asof)s)
                   ), 0),
                   count(*)
              FROM project_milestone m
              JOIN project_project p ON p.id = m.project_id
             WHERE m.project_id IN %(ids)s AND m.deadline IS NOT NULL
               AND (p.lianghua_date_delivered IS NULL OR p.lianghua_date_delivered > %(asof)s)
             GROUP BY m.project_id
            """,
            scopes,
            period,
            asof=self._asof(period),
        )

    @measures("project")
    def _measure_open_change_requests(self, scopes, period):
        """Change requests recorded by the period's end that are still open
        (draft or waiting approval); measured on all the project's change
        requests recorded by then."""
        return self._grouped_figures(
            """
            SELECT project_id,
                   count(*) FILTER (WHERE state IN ('draft', 'to_approve')),
                   count(*)
              FROM lianghua_change_request
             WHERE project_id IN %(ids)s AND create_date < %(end)s AND state != 'cancel'
             GROUP BY project_id
            """,
            scopes,
            period,
        )

    @measures("project")
    def _measure_change_schedule_impact(self, scopes, period):
        """The days the most moved milestone was pushed back by the change
        requests approved by the period's end (their re-baselines, summed per
        milestone); measured on those re-baselines."""
        return self._grouped_figures(
            """
            SELECT project_id, max(shift), sum(moves)
              FROM (SELECT r.project_id, r.milestone_id,
                           sum(r.deadline_after - r.deadline_before) AS shift,
                           count(*) AS moves
                      FROM lianghua_milestone_rebaseline r
                      JOIN lianghua_change_request c ON c.id = r.change_id
                     WHERE r.project_id IN %(ids)s
                       AND c.state = 'approved' AND c.date_approved < %(end)s
                     GROUP BY r.project_id, r.milestone_id) moved
             GROUP BY project_id
            """,
            scopes,
            period,
        )

    @measures("project")
    def _measure_change_cost_impact(self, scopes, period):
        """The cost impact of the change requests approved by the period's
        end, as a share (%) of the budget of the project's solution plan;
        measured on those change requests."""
        return self._grouped_figures(
            """
            SELECT p.id, 100.0 * sum(c.impact_cost) / pl.budget_total, count(*)
              FROM lianghua_change_request c
              JOIN project_project p ON p.id = c.project_id
              JOIN lianghua_plan pl ON pl.id = p.lianghua_plan_id
             WHERE p.id IN %(ids)s AND pl.budget_total > 0
               AND c.state = 'approved' AND c.date_approved < %(end)s
             GROUP BY p.id, pl.budget_total
            """,
            scopes,
            period,
        )

    @measures("project")
    def _measure_sla_breach_rate(self, scopes, period):
        """Share (%) of the SLA targets due in the period on the tickets of
        the systems the project built that were missed (a target still
        running past its deadline counts as missed)."""
        return self._grouped_figures(
            """
            SELECT s.project_id,
                   100.0 * count(*) FILTER (WHERE l.state != 'accomplished') / count(*),
                   count(*)
              FROM helpdesk_ticket_sla l
              JOIN helpdesk_ticket t ON t.id = l.ticket_id
              JOIN lianghua_system s ON s.id = t.lianghua_system_id
             WHERE s.project_id IN %(ids)s
               AND l.deadline >= %(start)s AND l.deadline < %(end)s
               AND (l.state IN ('accomplished', 'expired')
                    OR (l.state = 'in_progress' AND l.deadline < %(now)s))
             GROUP BY s.project_id
            """,
            scopes,
            period,
            now=fields.Datetime.now(),
        )

    @measures("project")
    def _measure_open_security_findings(self, scopes, period):
        """Security test defects not closed by the period's end, and security
        findings of quality checks still open; measured on all the project's
        security defects and findings recorded by then."""
        return self._grouped_figures(
            """
            SELECT project_id, sum(n_open), sum(recorded)
              FROM (SELECT project_id,
                           count(*) FILTER (
                               WHERE date_closed IS NULL OR date_closed > %(last)s) AS n_open,
                           count(*) AS recorded
                      FROM lianghua_defect
                     WHERE project_id IN %(ids)s AND test_type = 'security'
                       AND create_date < %(end)s
                     GROUP BY project_id
                     UNION ALL
                    SELECT project_id,
                           count(*) FILTER (WHERE state = 'open') AS n_open,
                           count(*) AS recorded
                      FROM lianghua_quality_finding
                     WHERE project_id IN %(ids)s AND lianghua_security
                       AND create_date < %(end)s
                     GROUP BY project_id) found
             GROUP BY project_id
            """,
            scopes,
            period,
        )

    @measures("project")
    def _measure_team_departures(self, scopes, period):
        """Members who left the project team in the period (removed from it,
        or replaced by someone else); measured on the team as it stands."""
        return self._grouped_figures(
            """
            WITH team AS (
                SELECT project_id, count(*) AS members
                  FROM lianghua_project_member
                 WHERE project_id IN %(ids)s
                 GROUP BY project_id
            ), departed AS (
                SELECT project_id, count(*) AS left_
                  FROM lianghua_project_departure
                 WHERE project_id IN %(ids)s AND date >= %(first)s AND date <= %(last)s
                 GROUP BY project_id
            )
            SELECT coalesce(t.project_id, d.project_id), coalesce(d.left_, 0),
                   coalesce(t.members, 0) + coalesce(d.left_, 0)
              FROM team t
              FULL JOIN departed d ON d.project_id = t.project_id
            """,
            scopes,
            period,
        )
