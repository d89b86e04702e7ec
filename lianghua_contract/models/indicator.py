from odoo import fields, models

from odoo.addons.lianghua_service.models.indicator import measures

# The vendor's service contracts: signed once, so in force, expired, closed,
# or a signed version kept by an amendment (the contract itself is a draft
# again until the amendment is signed).
VENDOR_CONTRACTS = """
    a.lianghua_kind IS NOT NULL
    AND a.lianghua_state IN ('signed', 'expired', 'closed', 'superseded')
    AND a.company_id = %(company)s
"""

# (vendor, ticket) of the company's tickets: on a system of a contract of the
# vendor in force during the period, on a system the vendor supplies, filed
# under an agreement of the vendor, or assigned to one of the vendor's staff.
# A ticket that is the vendor's several ways counts once (UNION).
VENDOR_TICKETS = (
    """
    WITH vendor_ticket AS (
        SELECT p.commercial_partner_id AS vendor, t.id AS ticket
          FROM helpdesk_ticket t
          JOIN agreement_lianghua_system_rel r ON r.system_id = t.lianghua_system_id
          JOIN agreement a ON a.id = r.agreement_id
          JOIN res_partner p ON p.id = a.partner_id
         WHERE p.commercial_partner_id IN %(ids)s AND t.company_id = %(company)s
           AND """
    + VENDOR_CONTRACTS
    + """
           AND (a.start_date IS NULL OR a.start_date <= %(last)s)
           AND (a.end_date IS NULL OR a.end_date >= %(first)s)
        UNION
        SELECT p.commercial_partner_id, t.id
          FROM helpdesk_ticket t
          JOIN lianghua_system s ON s.id = t.lianghua_system_id
          JOIN res_partner p ON p.id = s.vendor_id
         WHERE p.commercial_partner_id IN %(ids)s AND t.company_id = %(company)s
        UNION
        SELECT p.commercial_partner_id, t.id
          FROM helpdesk_ticket t
          JOIN agreement a ON a.id = t.agreement_id
          JOIN res_partner p ON p.id = a.partner_id
         WHERE p.commercial_partner_id IN %(ids)s AND t.company_id = %(company)s
        UNION
        SELECT p.commercial_partner_id, t.id
          FROM helpdesk_ticket t
          JOIN res_users u ON u.id = t.user_id
          JOIN res_partner p ON p.id = u.partner_id
         WHERE p.commercial_partner_id IN %(ids)s AND t.company_id = %(company)s
    )
    """
)

# (vendor, project): the projects the vendor's contracts serve.
VENDOR_PROJECTS = (
    """
    WITH vendor_project AS (
        SELECT DISTINCT p.commercial_partner_id AS vendor, a.lianghua_project_id AS project
          FROM agreement a
          JOIN res_partner p ON p.id = a.partner_id
         WHERE p.commercial_partner_id IN %(ids)s AND a.lianghua_project_id IS NOT NULL
           AND """
    + VENDOR_CONTRACTS
    + """
    )
    """
)


class LianghuaIndicator(models.Model):
    """The vendor evaluation's computations (policy 7.2.2), measured per
    vendor (scope ``partner``: a vendor is its commercial partner) on the
    records of the company measured: its tickets (SLA, satisfaction) and its
    projects (acceptance, milestones, defects after go-live). Each is one
    query for every vendor of a period. ``_vendor_score`` turns a value into
    the 0-100 score of a vendor evaluation."""

    _inherit = "lianghua.indicator"

    computation = fields.Selection(
        selection_add=[
            ("vendor_sla_attainment", "Vendor: SLA targets met"),
            ("vendor_first_pass_acceptance", "Vendor: acceptances passed at the first round"),
            ("vendor_milestones_on_time", "Vendor: milestones reached on time"),
            ("vendor_defects_after_go_live", "Vendor: defects after go-live"),
            ("vendor_satisfaction", "Vendor: satisfaction (average rating)"),
        ],
        ondelete={
            "vendor_sla_attainment": "set null",
            "vendor_first_pass_acceptance": "set null",
            "vendor_milestones_on_time": "set null",
            "vendor_defects_after_go_live": "set null",
            "vendor_satisfaction": "set null",
        },
    )

    # Computations

    def _vendor_figures(self, query, scopes, period, **params):
        return self._grouped_figures(query, scopes, period, company=self.env.company.id, **params)

    @measures("partner")
    def _measure_vendor_sla_attainment(self, scopes, period):
        """Share (%) of the SLA targets of the vendor's tickets due in the
        period that were met (as ``_measure_sla_attainment``)."""
        return self._vendor_figures(
            VENDOR_TICKETS
            + """
            SELECT vt.vendor,
                   100.0 * count(*) FILTER (WHERE l.state = 'accomplished') / count(*),
                   count(*)
              FROM vendor_ticket vt
              JOIN helpdesk_ticket_sla l ON l.ticket_id = vt.ticket
             WHERE l.deadline >= %(start)s AND l.deadline < %(end)s
               AND (l.state IN ('accomplished', 'expired')
                    OR (l.state = 'in_progress' AND l.deadline < %(now)s))
             GROUP BY vt.vendor
            """,
            scopes,
            period,
            now=fields.Datetime.now(),
        )

    @measures("partner")
    def _measure_vendor_satisfaction(self, scopes, period):
        """Average rating (1 to 5) the requesters gave the vendor's tickets in
        the period (as ``_measure_satisfaction``)."""
        return self._vendor_figures(
            VENDOR_TICKETS
            + """
            SELECT vt.vendor, avg(r.rating), count(*)
              FROM vendor_ticket vt
              JOIN rating_rating r ON r.res_id = vt.ticket AND r.res_model = 'helpdesk.ticket'
             WHERE r.consumed AND r.rating > 0
               AND r.write_date >= %(start)s AND r.write_date < %(end)s
             GROUP BY vt.vendor
            """,
            scopes,
            period,
        )

    @measures("partner")
    def _measure_vendor_first_pass_acceptance(self, scopes, period):
        """Share (%) of the acceptances of the vendor's projects concluded in
        the period at their first round that passed."""
        return self._vendor_figures(
            VENDOR_PROJECTS
            + """
            SELECT vp.vendor,
                   100.0 * count(*) FILTER (WHERE x.state = 'passed') / count(*),
                   count(*)
              FROM vendor_project vp
              JOIN lianghua_acceptance x ON x.project_id = vp.project
             WHERE x.round = 1 AND x.state IN ('passed', 'failed')
               AND x.date_concluded >= %(start)s AND x.date_concluded < %(end)s
             GROUP BY vp.vendor
            """,
            scopes,
            period,
        )

    @measures("partner")
    def _measure_vendor_milestones_on_time(self, scopes, period):
        """Share (%) of the milestones of the vendor's projects due in the
        period that were reached by their deadline (a milestone not reached
        yet counts as late once its deadline has passed)."""
        return self._vendor_figures(
            VENDOR_PROJECTS
            + """
            SELECT vp.vendor,
                   100.0 * count(*) FILTER (WHERE m.is_reached AND m.reached_date <= m.deadline)
                         / count(*),
                   count(*)
              FROM vendor_project vp
              JOIN project_milestone m ON m.project_id = vp.project
             WHERE m.deadline >= %(first)s AND m.deadline <= %(last)s
               AND (m.is_reached OR m.deadline < %(today)s)
             GROUP BY vp.vendor
            """,
            scopes,
            period,
        )

    @measures("partner")
    def _measure_vendor_defects_after_go_live(self, scopes, period):
        """Defects of the vendor's projects recorded in the period after the
        project went live; measured on the vendor's projects live by the end
        of the period (a vendor without one reads "no data", not 0 defects).

        A project goes live when its go-live checklist (quality check of kind
        ``go_live``) is done: its day is the checklist's date, counted from
        midnight in the company's time zone. That is the project's own record
        of its go-live; the system's go-live date is written later, at the
        acceptance, and an upgrade's system went live years before."""
        return self._vendor_figures(
            VENDOR_PROJECTS
            + """
            , go_live AS (
                SELECT project_id AS project,
                       (min(date)::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC' AS moment,
                       min(date) AS day
                  FROM lianghua_quality_check
                 WHERE kind = 'go_live' AND state = 'done'
                 GROUP BY project_id
            )
            SELECT vp.vendor, count(d.id), count(DISTINCT vp.project)
              FROM vendor_project vp
              JOIN go_live g ON g.project = vp.project AND g.day <= %(last)s
              LEFT JOIN lianghua_defect d
                     ON d.project_id = vp.project AND d.create_date >= g.moment
                    AND d.create_date >= %(start)s AND d.create_date < %(end)s
             GROUP BY vp.vendor
            """,
            scopes,
            period,
            tz=self._company_tz(self.env.company).zone,
        )

    # Scores of a vendor evaluation

    def _get_vendor_evaluation_computations(self):
        """The computations a vendor evaluation scores: each has a
        ``_vendor_score_<computation>(value)`` hook. Extend the list and add
        the hook to score another one."""
        return [
            "vendor_sla_attainment",
            "vendor_first_pass_acceptance",
            "vendor_milestones_on_time",
            "vendor_defects_after_go_live",
            "vendor_satisfaction",
        ]

    def _vendor_score(self, value):
        """The 0-100 score of a vendor whose value on this indicator is
        ``value`` (a value measured on at least one record)."""
        self.ensure_one()
        score = getattr(self, f"_vendor_score_{self.computation}")(value)
        return min(100.0, max(0.0, score))

    def _vendor_score_vendor_sla_attainment(self, value):
        return value  # a percentage scores as it is

    def _vendor_score_vendor_first_pass_acceptance(self, value):
        return value

    def _vendor_score_vendor_milestones_on_time(self, value):
        return value

    def _vendor_score_vendor_defects_after_go_live(self, value):
        return 100.0 - 20.0 * value  # each defect after go-live costs 20 points

    def _vendor_score_vendor_satisfaction(self, value):
        return value * 20.0  # a rating out of 5
