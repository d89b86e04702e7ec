"""Benchmark of the Lianghua models against core Odoo models (``make bench``).

Each operation runs on one of our models and, in the same run and database, on
a core model, as the same non-admin user; the figure that matters is the
ratio. The database holds ``--records`` rows of each (100k by default), made
once and kept between runs (``make bench`` with ``--fresh`` rebuilds it).

    ours: lianghua.request and helpdesk.ticket (OCA's, with our SLA, escalation
          and department rules), as a department manager; the daily measure
          of each computed indicator (one period, every scope record), as
          the cron does it
    core: res.partner, as the same user (company record rules); for the
          indicators, a grouped count of every partner (one aggregate over
          100k rows, what each computation is at heart)
"""

import argparse
import datetime
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

BATCH = 2000
DEPARTMENTS = 20
REPEAT = 7
MARK = "BENCH"


def ensure_data(env, records):
    """100k requests spread over 20 departments, and as many partners."""
    departments = env["hr.department"].search([("name", "=like", f"{MARK} %")], order="id")
    for index in range(len(departments), DEPARTMENTS):
        departments |= env["hr.department"].create({"name": f"{MARK} {index:02d}"})
    user = env["res.users"].search([("login", "=", "bench_manager")])
    user.groups_id |= env.ref("base.group_partner_manager")
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Manager",
                "login": "bench_manager",
                "groups_id": [
                    Command.set(
                        [
                            env.ref("lianghua_service.group_lianghua_dept_manager").id,
                            env.ref("base.group_partner_manager").id,  # to create contacts too
                        ]
                    )
                ],
            }
        )
        env["hr.employee"].create(
            {"name": user.name, "user_id": user.id, "department_id": departments[0].id}
        )
    service_types = env["lianghua.service.type"].search([])
    quiet = env["lianghua.request"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    done = quiet.search_count([("title", "=like", f"{MARK} %")])
    while done < records:
        size = min(BATCH, records - done)
        quiet.create(
            [
                {
                    "title": f"{MARK} request {done + i}",
                    "requester_id": user.id if (done + i) % DEPARTMENTS == 0 else SUPERUSER_ID,
                    "department_id": departments[(done + i) % DEPARTMENTS].id,
                    "service_type_id": service_types[(done + i) % len(service_types)].id,
                    "background": "Benchmark",
                }
                for i in range(size)
            ]
        )
        done += size
        env.cr.commit()
        print(f"  requests: {done}/{records}", flush=True)
    departments[0].manager_id = user.employee_ids[:1]  # sees the department's tickets
    tickets = env["helpdesk.ticket"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    team = env.ref("lianghua_service.helpdesk_team_service_desk")
    done = tickets.search_count([("name", "=like", f"{MARK} %")])
    while done < records:
        size = min(BATCH, records - done)
        tickets.create(
            [
                {
                    "name": f"{MARK} ticket {done + i}",
                    "description": "<p>Benchmark</p>",
                    "team_id": team.id,
                    "partner_id": user.partner_id.id if (done + i) % 50 == 0 else False,
                    "lianghua_department_id": departments[(done + i) % DEPARTMENTS].id,
                }
                for i in range(size)
            ]
        )
        done += size
        env.cr.commit()
        print(f"  tickets: {done}/{records}", flush=True)
    partners = env["res.partner"].with_context(tracking_disable=True)
    done = partners.search_count([("name", "=like", f"{MARK} %")])
    while done < records:
        size = min(BATCH, records - done)
        partners.create(
            [
                {"name": f"{MARK} partner {done + i}", "email": f"p{done + i}@example.com"}
                for i in range(size)
            ]
        )
        done += size
        env.cr.commit()
        print(f"  partners: {done}/{records}", flush=True)
    return user


class _Rollback(Exception):
    """Undoes what a measured operation wrote."""


def timed(env, operation):
    """Median wall time of ``operation`` (ms), from a cold ORM cache each time."""
    samples = []
    for __ in range(REPEAT):
        env.invalidate_all()
        try:
            with env.cr.savepoint():
                start = time.perf_counter()
                operation()
                env.flush_all()
                samples.append((time.perf_counter() - start) * 1000)
                raise _Rollback
        except _Rollback:
            pass
    return statistics.median(samples)


def ticket_operations(env):
    Ticket = env["helpdesk.ticket"]
    Partner = env["res.partner"]
    ticket_list = {
        name: {}
        for name in (
            "number",
            "name",
            "priority",
            "lianghua_kind",
            "lianghua_system_id",
            "user_id",
            "stage_id",
            "sla_deadline",
        )
    }
    partner_list = {
        name: {} for name in ("display_name", "email", "phone", "city", "country_id", "company_id")
    }
    team = env.ref("lianghua_service.helpdesk_team_service_desk")
    return [
        (
            "list view, first 80 rows",
            lambda: Ticket.web_search_read([], ticket_list, limit=80),
            lambda: Partner.web_search_read([], partner_list, limit=80),
        ),
        (
            "count of visible records",
            lambda: Ticket.search_count([]),
            lambda: Partner.search_count([]),
        ),
        (
            "grouped count (pivot/kanban)",
            lambda: Ticket.read_group([], ["stage_id"], ["stage_id"]),
            lambda: Partner.read_group([], ["company_id"], ["company_id"]),
        ),
        (
            "name search",
            lambda: Ticket.name_search("ticket 4242"),
            lambda: Partner.name_search("partner 4242"),
        ),
        (
            "create 200 (with SLA targets)",
            lambda: Ticket.create(
                [
                    {"name": f"new {i}", "description": "<p>new</p>", "team_id": team.id}
                    for i in range(200)
                ]
            ),
            lambda: Partner.create([{"name": f"new {i}"} for i in range(200)]),
        ),
    ]


def operations(env):
    Request = env["lianghua.request"]
    Partner = env["res.partner"]
    request_list = {
        name: {}
        for name in (
            "priority",
            "name",
            "title",
            "department_id",
            "service_type_id",
            "urgency",
            "date_required",
            "state",
        )
    }
    partner_list = {
        name: {} for name in ("display_name", "email", "phone", "city", "country_id", "company_id")
    }
    service_type = env["lianghua.service.type"].search([], limit=1)
    return [
        (
            "list view, first 80 rows",
            lambda: Request.web_search_read([], request_list, limit=80),
            lambda: Partner.web_search_read([], partner_list, limit=80),
        ),
        (
            "count of visible records",
            lambda: Request.search_count([]),
            lambda: Partner.search_count([]),
        ),
        (
            "grouped count (pivot/kanban)",
            lambda: Request.read_group([], ["state"], ["state"]),
            lambda: Partner.read_group([], ["company_id"], ["company_id"]),
        ),
        (
            "name search",
            lambda: Request.name_search("request 4242"),
            lambda: Partner.name_search("partner 4242"),
        ),
        (
            "create 200 records",
            lambda: Request.create(
                [{"title": f"new {i}", "service_type_id": service_type.id} for i in range(200)]
            ),
            lambda: Partner.create([{"name": f"new {i}"} for i in range(200)]),
        ),
    ]


def indicator_operations(env):
    """The daily measure of each computed indicator, the current period."""
    today = datetime.date.today()
    indicators = env["lianghua.indicator"].sudo().search([("computation", "!=", False)])
    Partner = env["res.partner"]
    return [
        (
            f"measure {indicator.code}"[:31],
            lambda indicator=indicator: indicator._measure(today),
            lambda: Partner._read_group([], ["company_id"], ["__count"]),
        )
        for indicator in indicators
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        print(
            f"Data: {args.records} requests, {args.records} tickets and {args.records} partners",
            flush=True,
        )
        user = ensure_data(env, args.records)
        cr.commit()
        user_env = env(user=user.id, su=False)
        print(
            f"\nAs {user.login} (department manager; sees "
            f"{user_env['lianghua.request'].search_count([])} requests, "
            f"{user_env['helpdesk.ticket'].search_count([])} tickets, "
            f"{user_env['res.partner'].search_count([])} partners), "
            f"median of {REPEAT} runs, cold cache:"
        )
        for name, ops in (
            ("request", operations),
            ("ticket", ticket_operations),
            ("indicator", indicator_operations),
        ):
            print(f"\n{'operation':<32}{name + ' ms':>12}{'partner ms':>12}{'ratio':>8}")
            for label, ours, core in ops(user_env):
                ours_ms, core_ms = timed(user_env, ours), timed(user_env, core)
                print(f"{label:<32}{ours_ms:>12.1f}{core_ms:>12.1f}{ours_ms / core_ms:>8.2f}")
        cr.rollback()


if __name__ == "__main__":
    main()
