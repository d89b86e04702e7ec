from odoo import fields, models
from odoo.tools import SQL

from .indicator import measures

# The column naming each scope, per table measured.
TICKET_SCOPES = {"team": "team_id", "system": "lianghua_system_id"}
ACCEPTANCE_SCOPES = {"project": "project_id", "department": "department_id"}
REQUEST_SCOPES = {"company": "company_id", "department": "department_id"}


class LianghuaIndicator(models.Model):
    """The computations of lianghua_service: O&M from tickets, incidents and
    ratings; delivery from milestones, defects and acceptances; requests from
    their evaluations. Each is one query for every scope record of a period."""

    _inherit = "lianghua.indicator"

    def _figures(self, query):
        """{scope id: (value, sample)} from a query returning rows of
        (scope id, value, sample)."""
        self.env.cr.execute(query)
        return {
            scope: (value or 0.0, sample or 0) for scope, value, sample in self.env.cr.fetchall()
        }

    def _grouped_figures(self, query, scopes, period, column=None, **params):
        """``_figures`` of ``query``, an SQL text given the scope records
        (``%(ids)s``), the period (``%(start)s``/``%(end)s`` in UTC,
        ``%(first)s``/``%(last)s``/``%(today)s`` as dates) and the column
        naming the scope (``%(column)s``)."""
        if column:
            params["column"] = SQL.identifier(column)
        return self._figures(
            SQL(
                query,
                ids=tuple(scopes.ids),
                start=period.start,
                end=period.end,
                first=period.first,
                last=period.last,
                today=period.today,
                **params,
            )
        )

    @measures("system")
    def _measure_system_availability(self, scopes, period):
        """Availability (%) of each system over the period, from the downtime
        of its incidents (see lianghua.system.availability); measured on the
        hours it was in service."""
        return self._figures(
            self.env["lianghua.system.availability"]._availability_query(
                scopes.ids, period.start, period.end, self._company_tz(self.env.company).zone
            )
        )

    @measures("team", "system")
    def _measure_sla_attainment(self, scopes, period):
        """Share (%) of the SLA targets due in the period (response and
        resolution) that were met; a target still running past its deadline
        counts as missed."""
        column = TICKET_SCOPES[self.scope]
        return self._grouped_figures(
            """
            SELECT t.%(column)s,
                   100.0 * count(*) FILTER (WHERE l.state = 'accomplished') / count(*),
                   count(*)
              FROM helpdesk_ticket_sla l
              JOIN helpdesk_ticket t ON t.id = l.ticket_id
             WHERE t.%(column)s IN %(ids)s
               AND l.deadline >= %(start)s AND l.deadline < %(end)s
               AND (l.state IN ('accomplished', 'expired')
                    OR (l.state = 'in_progress' AND l.deadline < %(now)s))
             GROUP BY t.%(column)s
            """,
            scopes,
            period,
            column=column,
            now=fields.Datetime.now(),
        )

    @measures("team", "system")
    def _measure_resolution_hours(self, scopes, period):
        """Mean time (hours, around the clock) from opening to closing of the
        tickets closed in the period."""
        column = TICKET_SCOPES[self.scope]
        return self._grouped_figures(
            """
            SELECT t.%(column)s,
                   avg(extract(epoch FROM t.closed_date - t.create_date)) / 3600.0,
                   count(*)
              FROM helpdesk_ticket t
              JOIN helpdesk_ticket_stage s ON s.id = t.stage_id AND s.closed
             WHERE t.%(column)s IN %(ids)s
               AND t.closed_date >= %(start)s AND t.closed_date < %(end)s
             GROUP BY t.%(column)s
            """,
            scopes,
            period,
            column=column,
        )

    @measures("team", "system")
    def _measure_satisfaction(self, scopes, period):
        """Average rating (1 to 5) the requesters gave their tickets in the
        period."""
        column = TICKET_SCOPES[self.scope]
        return self._grouped_figures(
            """
            SELECT t.%(column)s, avg(r.rating), count(*)
              FROM rating_rating r
              JOIN helpdesk_ticket t ON t.id = r.res_id
             WHERE r.res_model = 'helpdesk.ticket' AND r.consumed AND r.rating > 0
               AND t.%(column)s IN %(ids)s
               AND r.write_date >= %(start)s AND r.write_date < %(end)s
             GROUP BY t.%(column)s
            """,
            scopes,
            period,
            column=column,
        )

    @measures("project", "department")
    def _measure_first_pass_acceptance(self, scopes, period):
        """Share (%) of the acceptances concluded in the period at their first
        round that passed."""
        column = ACCEPTANCE_SCOPES[self.scope]
        return self._grouped_figures(
            """
            SELECT %(column)s,
                   100.0 * count(*) FILTER (WHERE state = 'passed') / count(*),
                   count(*)
              FROM lianghua_acceptance
             WHERE %(column)s IN %(ids)s AND round = 1
               AND state IN ('passed', 'failed')
               AND date_concluded >= %(start)s AND date_concluded < %(end)s
             GROUP BY %(column)s
            """,
            scopes,
            period,
            column=column,
        )

    @measures("project")
    def _measure_milestones_on_time(self, scopes, period):
        """Share (%) of the milestones due in the period that were reached by
        their deadline (a milestone not reached yet counts as late once its
        deadline has passed)."""
        return self._grouped_figures(
            """
            SELECT project_id,
                   100.0 * count(*) FILTER (WHERE is_reached AND reached_date <= deadline)
                         / count(*),
                   count(*)
              FROM project_milestone
             WHERE project_id IN %(ids)s
               AND deadline >= %(first)s AND deadline <= %(last)s
               AND (is_reached OR deadline < %(today)s)
             GROUP BY project_id
            """,
            scopes,
            period,
        )

    @measures("project")
    def _measure_open_critical_defects(self, scopes, period):
        """Critical defects still open at the end of the period (or now, for
        the current period); measured on the defects recorded by then."""
        return self._grouped_figures(
            """
            SELECT project_id,
                   count(*) FILTER (
                       WHERE severity = 'critical'
                         AND (date_closed IS NULL OR date_closed > %(last)s)),
                   count(*)
              FROM lianghua_defect
             WHERE project_id IN %(ids)s AND create_date < %(end)s
             GROUP BY project_id
            """,
            scopes,
            period,
        )

    @measures("company", "department")
    def _measure_requests_evaluated_on_time(self, scopes, period):
        """Share (%) of the requests whose evaluation was concluded in the
        period within the lead time (the indicator's parameter, in days) from
        their submission."""
        column = REQUEST_SCOPES[self.scope]
        return self._grouped_figures(
            """
            SELECT r.%(column)s,
                   100.0 * count(*) FILTER (
                       WHERE e.date_concluded - r.date_submitted
                             <= make_interval(secs => %(lead)s * 86400))
                         / count(*),
                   count(*)
              FROM lianghua_evaluation e
              JOIN lianghua_request r ON r.id = e.request_id
             WHERE r.%(column)s IN %(ids)s AND r.date_submitted IS NOT NULL
               AND e.date_concluded >= %(start)s AND e.date_concluded < %(end)s
             GROUP BY r.%(column)s
            """,
            scopes,
            period,
            column=column,
            lead=self.parameter,
        )
