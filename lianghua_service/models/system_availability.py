from odoo import api, fields, models, tools
from odoo.tools import SQL


class LianghuaSystemAvailability(models.Model):
    """Measured availability of each information system per month, over the
    last twelve months (systems in service, not planned ones): the time its
    incidents (not cancelled or rejected ones) kept it down (overlapping
    incidents counted once), against the
    time it was in service (from its go-live date, up to now for the current
    month). Months are UTC months."""

    _name = "lianghua.system.availability"
    _description = "Information System Availability"
    _auto = False
    _order = "month desc, system_id"
    _rec_name = "system_id"

    system_id = fields.Many2one("lianghua.system", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    category_id = fields.Many2one("lianghua.system.category", readonly=True)
    month = fields.Date(readonly=True)
    service_hours = fields.Float(string="Hours in Service", readonly=True)
    downtime_hours = fields.Float(string="Downtime (hours)", readonly=True)
    availability = fields.Float(string="Availability (%)", readonly=True, aggregator="avg")
    availability_target = fields.Float(string="Target (%)", readonly=True, aggregator="avg")
    incident_count = fields.Integer(string="Incidents", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        months = SQL(
            """
            SELECT s.id AS system_id, s.company_id, s.category_id, s.availability_target,
                   m.month_start,
                   GREATEST(m.month_start, COALESCE(s.date_go_live::timestamp, m.month_start))
                       AS period_start,
                   LEAST(m.month_start + interval '1 month', now() AT TIME ZONE 'UTC')
                       AS period_end
              FROM lianghua_system s
             CROSS JOIN generate_series(
                   date_trunc('month', now() AT TIME ZONE 'UTC') - interval '11 months',
                   date_trunc('month', now() AT TIME ZONE 'UTC'),
                   interval '1 month'
             ) AS m(month_start)
             WHERE s.active AND s.state != 'planned'
            """
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    SELECT row_number() OVER (ORDER BY system_id, month_start) AS id,
                           system_id, company_id, category_id, availability_target,
                           month_start::date AS month, service_hours, downtime_hours,
                           incident_count, availability
                      FROM (%(availability)s) a
                )
                """,
                table=SQL.identifier(self._table),
                availability=self._availability_sql(months),
            )
        )

    @api.model
    def _availability_query(self, system_ids, start, end, tz):
        """(system, availability %, hours in service) of ``system_ids`` over
        [start, end) (naive UTC), for the indicators; a system is in service
        from the midnight of its go-live day in ``tz``."""
        periods = SQL(
            """
            SELECT s.id AS system_id, s.company_id, s.category_id, s.availability_target,
                   %(start)s::timestamp AS month_start,
                   GREATEST(%(start)s::timestamp,
                            COALESCE((s.date_go_live::timestamp AT TIME ZONE %(tz)s)
                                         AT TIME ZONE 'UTC',
                                     %(start)s::timestamp))
                       AS period_start,
                   LEAST(%(end)s::timestamp, now() AT TIME ZONE 'UTC') AS period_end
              FROM lianghua_system s
             WHERE s.id IN %(ids)s
            """,
            start=start,
            end=end,
            tz=tz,
            ids=tuple(system_ids),
        )
        return SQL(
            "SELECT system_id, availability, round(service_hours) FROM (%s) a",
            self._availability_sql(periods),
        )

    @api.model
    def _availability_sql(self, periods):
        """Availability per system and period, from ``periods`` (rows of
        system_id, company_id, category_id, availability_target, month_start,
        period_start, period_end): the downtime of the system's incidents in
        the period, overlapping incidents counted once, against its time in
        service."""
        return SQL(
            """
    WITH periods AS (%(periods)s),
    clipped AS (
        SELECT p.system_id, p.month_start,
               GREATEST(t.lianghua_down_start, p.period_start) AS down_start,
               LEAST(t.down_until, p.period_end) AS down_end
          FROM periods p
          JOIN (
              -- an outage lasts until its end, or its ticket's closing, or now
              SELECT it.lianghua_system_id, it.lianghua_down_start,
                     COALESCE(it.lianghua_down_end,
                              CASE WHEN st.closed THEN it.closed_date END,
                              now() AT TIME ZONE 'UTC') AS down_until
                FROM helpdesk_ticket it
                JOIN helpdesk_ticket_stage st ON st.id = it.stage_id
               WHERE it.lianghua_kind = 'incident'
                 AND it.lianghua_down_start IS NOT NULL
                 AND it.active
                 AND it.stage_id NOT IN (
                     SELECT res_id FROM ir_model_data
                      WHERE module = 'helpdesk_mgmt' AND model = 'helpdesk.ticket.stage'
                        AND name IN ('helpdesk_ticket_stage_cancelled',
                                     'helpdesk_ticket_stage_rejected'))
          ) t
            ON t.lianghua_system_id = p.system_id
           AND t.lianghua_down_start < p.period_end
           AND t.down_until > p.period_start
    ),
    marked AS (
        SELECT c.*,
               CASE WHEN c.down_start <= max(c.down_end) OVER (
                        PARTITION BY c.system_id, c.month_start
                        ORDER BY c.down_start, c.down_end
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                    THEN 0 ELSE 1 END AS starts_island
          FROM clipped c
    ),
    islands AS (
        SELECT m.*,
               sum(m.starts_island) OVER (
                   PARTITION BY m.system_id, m.month_start
                   ORDER BY m.down_start, m.down_end) AS island
          FROM marked m
    ),
    downtime AS (
        SELECT system_id, month_start,
               sum(hours) AS hours, sum(incidents) AS incidents
          FROM (
              SELECT system_id, month_start, island,
                     extract(epoch FROM max(down_end) - min(down_start)) / 3600.0 AS hours,
                     count(*) AS incidents
                FROM islands
               GROUP BY system_id, month_start, island
          ) merged
         GROUP BY system_id, month_start
    )
    SELECT p.system_id, p.company_id, p.category_id, p.availability_target, p.month_start,
           extract(epoch FROM p.period_end - p.period_start) / 3600.0 AS service_hours,
           COALESCE(d.hours, 0) AS downtime_hours,
           COALESCE(d.incidents, 0) AS incident_count,
           100.0 * (1 - COALESCE(d.hours, 0)
                    / (extract(epoch FROM p.period_end - p.period_start) / 3600.0))
               AS availability
      FROM periods p
      LEFT JOIN downtime d
        ON d.system_id = p.system_id AND d.month_start = p.month_start
     WHERE p.period_end > p.period_start
            """,
            periods=periods,
        )
