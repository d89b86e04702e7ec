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

The budget against actual costs has data of its own (``--analytic-lines``,
1M by default, made once too): one project whose approved budget has the 18
cells of 3 phases x 6 categories, 200 confirmed purchase order lines charged
to it, and its analytic account carrying the lines, spread over phases,
categories and two years of dates (one in four a timesheet). The lines are
written in bulk SQL from two template lines made by the ORM (a cost and a
timesheet), our stored cell columns (``lianghua_phase``,
``lianghua_cost_category_id``) filled in the same statement.

    ours: as a finance officer, from a cold cache, what the budget's form
          reads (``web_read``: the budget's totals and each cell's budget,
          committed, actual and remaining), and the list of budgets with
          their totals (``web_search_read``)
    core: the actual cost of the same project the core way, as the same
          user: one grouped sum of the account's analytic lines
          (``account.analytic.line._read_group`` by account, under the
          user's record rules). Whatever the code around it, our figures
          cannot avoid one such pass over the account's lines (ours groups
          it finer, account x phase x category, and adds the purchase
          lines' small one): a ratio near 1 is the floor, each further pass
          over the 1M lines adds about 1.
"""

import argparse
import datetime
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tools import SQL, config

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


def _bench_user(env, login, name, groups):
    user = env["res.users"].search([("login", "=", login)])
    if not user:
        user = env["res.users"].create(
            {
                "name": name,
                "login": login,
                "groups_id": [Command.set([env.ref(group).id for group in groups])],
            }
        )
        env["hr.employee"].create({"name": name, "user_id": user.id, "hourly_cost": 200.0})
    return user


def _decide(document, user, comment):
    """``user`` approves ``document`` with a comment, as the tier banner does."""
    action = document.with_user(user).validate_tier()
    if action:  # a tier asking for a comment
        Wizard = document.env[action["res_model"]].with_user(user)
        Wizard.with_context(**action["context"]).create({"comment": comment}).add_comment()


def ensure_budget_project(env):
    """The project, its approved budget and its confirmed purchases."""
    finance = _bench_user(
        env, "bench_finance", "Bench Finance", ["lianghua_cost.group_lianghua_finance"]
    )
    leader = _bench_user(
        env, "bench_leader", "Bench Leader", ["lianghua_service.group_lianghua_leader"]
    )
    it_user = _bench_user(env, "bench_it", "Bench IT", ["lianghua_service.group_lianghua_it_user"])
    company = env.company
    if not company.chart_template:  # the products' expense accounts
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    project = env["project.project"].search([("name", "=", f"{MARK} budget project")])
    if not project:
        project = env["project.project"].create(
            {"name": f"{MARK} budget project", "company_id": company.id}
        )
    Budget = env["lianghua.cost.budget"].with_context(tracking_disable=True)
    budget = Budget.search([("project_id", "=", project.id), ("state", "=", "approved")])
    if not budget:
        budget = Budget.search([("project_id", "=", project.id)]) or Budget.create(
            {"project_id": project.id}
        )
        for cell in budget.line_ids:
            cell.amount = 5_000_000 if cell.category_id.is_contingency else 20_000_000
        budget.action_submit()
        _decide(budget, finance, "Bench budget")
        if budget.state == "review":  # above the company's amount: a leader too
            _decide(budget, leader, "Bench budget")
        assert budget.state == "approved", budget.state
        env.cr.commit()
    if env["purchase.order"].search_count([("project_id", "=", project.id)]):
        return finance, it_user, budget
    products = [
        env["product.product"].create(
            {"name": f"{MARK} {xmlid}", "type": "consu", "purchase_method": "purchase",
             "categ_id": env.ref(f"lianghua_cost.{xmlid}").id}
        )
        for xmlid in ("product_category_it_equipment", "product_category_software",
                      "product_category_it_services")
    ]  # fmt: skip
    # Not "BENCH <n>": the partners of the core rows are counted by that name.
    vendor = env["res.partner"].create({"name": f"{MARK}-vendor", "is_company": True})
    phases = [phase for phase, __ in budget.line_ids._fields["phase"].selection]
    orders = env["purchase.order"].with_context(tracking_disable=True, mail_create_nolog=True)
    orders = orders.create(
        [
            {
                "partner_id": vendor.id,
                "project_id": project.id,
                "lianghua_phase": phases[index % len(phases)],
                "order_line": [
                    Command.create(
                        {"product_id": products[(index + line) % len(products)].id,
                         "product_qty": 1 + line % 5, "price_unit": 1000.0 + 10 * line,
                         "taxes_id": [Command.clear()]}
                    )
                    for line in range(10)
                ],
            }
            for index in range(20)
        ]
    )  # fmt: skip
    buyer = _bench_user(env, "bench_buyer", "Bench Buyer", ["lianghua_cost.group_lianghua_finance"])
    for order in orders:  # finance's tier on purchases charged to a budget: one asks
        order.with_user(buyer).request_validation()
        order.invalidate_recordset()
        _decide(order, finance, "Bench purchase")
    orders.button_confirm()
    env.cr.commit()
    return finance, it_user, budget


def ensure_analytic_lines(env, budget, it_user, target):
    """``target`` analytic lines on the budget's account, inserted in bulk
    from two template lines the ORM made (so every column a module adds is
    filled as the ORM fills it), spread over phases, categories and dates."""
    account = budget.analytic_account_id
    Line = env["account.analytic.line"]
    templates = Line.search(
        [("account_id", "=", account.id), ("name", "=like", f"{MARK} template%")]
    )
    if len(templates) < 2:
        expense = env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", env.company.ids)], limit=1
        )
        templates = Line.create(
            {"name": f"{MARK} template cost", "account_id": account.id, "amount": -1.0,
             "general_account_id": expense.id, "company_id": env.company.id}
        ) | Line.create(
            {"name": f"{MARK} template timesheet", "project_id": budget.project_id.id,
             "employee_id": it_user.employee_ids[:1].id, "unit_amount": 1.0}
        )  # fmt: skip
        env.cr.commit()
    cost, timesheet = templates.sorted(lambda t: not t.general_account_id.id)[:2]
    assert timesheet.project_id and timesheet.account_id == account, "timesheet template"
    categories = budget.line_ids.category_id.sorted("sequence")
    personnel = categories.filtered("is_personnel")[:1]
    others = (categories - personnel).ids
    env.cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'account_analytic_line' AND column_name != 'id' "
            "ORDER BY ordinal_position"
        )
    )
    columns = [name for (name,) in env.cr.fetchall()]
    phases = [phase for phase, __ in Line._fields["lianghua_phase"].selection]
    start = datetime.date(fields.Date.today().year - 1, 1, 1)
    values = {
        "name": SQL("%s || g", f"{MARK} line "),
        "date": SQL("%s::date + mod(g, 730)::int", start),
        "amount": SQL("-(1 + mod(g, 100))::numeric"),
        "lianghua_phase": SQL("(%s::varchar[])[1 + mod(g, %s)]", phases, len(phases)),
        "lianghua_cost_category_id": SQL(
            "CASE WHEN mod(g, 4) = 0 THEN %s ELSE (%s::int[])[1 + mod(g / 4, %s)] END",
            personnel.id, others, len(others),
        ),
    }  # fmt: skip
    select = SQL(", ").join(values.get(name, SQL("t.%s", SQL.identifier(name))) for name in columns)
    env.cr.execute(
        SQL("SELECT count(*) FROM account_analytic_line WHERE account_id = %s", account.id)
    )
    done = env.cr.fetchone()[0]
    chunk = 250_000
    while done < target:
        size = min(chunk, target - done)
        env.cr.execute(
            SQL(
                "INSERT INTO account_analytic_line (%s) SELECT %s "
                "FROM generate_series(%s, %s) g "
                "JOIN account_analytic_line t "
                "ON t.id = CASE WHEN mod(g, 4) = 0 THEN %s ELSE %s END",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                select, done + 1, done + size, timesheet.id, cost.id,
            )
        )  # fmt: skip
        done += size
        env.cr.commit()
        print(f"  analytic lines: {done}/{target}", flush=True)
        if done >= target:  # the planner's statistics, for the new size
            env.cr.execute(SQL("ANALYZE account_analytic_line"))
            env.invalidate_all()
    return done


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


def budget_operations(env, budget):
    """Budget against actual costs, at the size of ``--analytic-lines``."""
    Budget = env["lianghua.cost.budget"]
    Line = env["account.analytic.line"]
    cell_figures = {
        name: {}
        for name in ("phase", "category_id", "amount", "adjustment_amount", "committed_amount",
                     "actual_amount", "remaining_amount", "consumption", "currency_id")
    }  # fmt: skip
    budget_figures = {
        "name": {}, "amount_total": {}, "available_total": {}, "committed_total": {},
        "actual_total": {}, "remaining_total": {}, "consumption": {},
        "line_ids": {"fields": cell_figures},
    }  # fmt: skip
    budget_list = {
        name: {}
        for name in ("name", "project_id", "amount_total", "committed_total", "actual_total",
                     "remaining_total", "consumption", "state")
    }  # fmt: skip
    account = budget.analytic_account_id
    return [
        (
            "budget list with figures",
            lambda: Budget.web_search_read([], budget_list, limit=80),
            lambda: Line._read_group(
                [("account_id", "in", account.ids)], ["account_id"], ["amount:sum"]
            ),
        ),
        (
            "budget vs actual figures",
            lambda: Budget.browse(budget.id).web_read(budget_figures),
            lambda: Line._read_group(
                [("account_id", "in", account.ids)], ["account_id"], ["amount:sum"]
            ),
        ),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--analytic-lines", type=int, default=1_000_000)
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
        print(f"Data: a budget of {args.analytic_lines} analytic lines", flush=True)
        finance, it_user, budget = ensure_budget_project(env)
        lines = ensure_analytic_lines(env, budget, it_user, args.analytic_lines)
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
            print_rows(name, "partner", ops(user_env), user_env)
        finance_env = env(user=finance.id, su=False)
        print(
            f"\nAs {finance.login} (finance; sees "
            f"{finance_env['account.analytic.line'].search_count([])} analytic lines, "
            f"{lines} on the budget's account), median of {REPEAT} runs, cold cache:"
        )
        print_rows(
            "budget", "analytic", budget_operations(finance_env, budget.with_env(finance_env)),
            finance_env,
        )  # fmt: skip
        cr.rollback()


def print_rows(ours_name, core_name, rows, env):
    print(f"\n{'operation':<32}{ours_name + ' ms':>12}{core_name + ' ms':>12}{'ratio':>8}")
    for label, ours, core in rows:
        ours_ms, core_ms = timed(env, ours), timed(env, core)
        print(f"{label:<32}{ours_ms:>12.1f}{core_ms:>12.1f}{ours_ms / core_ms:>8.2f}")


if __name__ == "__main__":
    main()
