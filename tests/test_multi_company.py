"""One database, several companies: each company sees nothing of the others.

An enterprise group runs one database for its companies. This suite-level
test builds, once, the records of two companies through the workflow of every
installed ``lianghua_*`` addon: company A (the main company) and company B (a
subsidiary, with its own departments, people of each role, service desk and
information system). Then, for every model in scope, it checks:

1. Records: the model has records of both companies (else the addon's
   fixtures must give it some, see below).
2. Visibility: every user of one company (requester, department manager, IT
   user, IT manager, leader, auditor, and a portal user, contact of the
   company) finds none of the other company's records with ``search([])``
   or ``name_search()``, and ``read()`` of them raises AccessError; records
   without a company (shared) are fine.
3. A user of both companies sees the companies of the context
   (``allowed_company_ids``): A only, B only, or both.
4. Links: every stored many2one and many2many field (not related) to a
   company-bound model (with ``company_id`` or ``company_ids``: users are the
   people of the document's company) has ``check_company=True``, its model
   ``_check_company_auto = True``, and a record of A linked (in SQL) to a
   record of B fails ``_check_company()``; ``CROSS_COMPANY_LINKS`` lists the
   reviewed exceptions.
5. People: the followers (internal users), the activities' users and the
   reviewers of a document are allowed in its company, and its reviews
   belong to it.

The models in scope: every model with a class of a ``lianghua_*`` addon (the
models our addons define and the core and OCA models they extend, such as
``helpdesk.ticket``, ``project.project`` or ``tier.review``) that has a stored
``company_id``, except the ones of ``SHARED_MODELS``. They are found in the
registry: new addons are covered as they are installed.

The fixtures' convention: every installed ``lianghua_*`` addon may ship
``tests/fixtures.py`` with a function ``populate(site)``. The suite calls it
addon by addon in dependency order (``lianghua_service`` first), for company
A and then for company B. ``site`` is a ``lianghua_service.tests.
fixtures.Site``: ``site.company``, ``site.env`` (superuser, working in the
site's company), the people of each role (``site.requester``,
``site.dept_manager``, ``site.it_user``, ``site.it_manager``,
``site.leader``, ``site.auditor``, ``site.portal``), ``site.department``,
``site.team`` (its service desk), ``site.system``, the helpers of
``lianghua_service/tests/common.py`` acting as these people
(``site._approved_plan()``...), and ``site.records``, a dict where each addon
leaves what the next ones may build on. ``populate`` makes, through the
addon's workflow and as the site's people, at least one record of every model
of the addon that has a stored ``company_id``; it may add people to the site.
"""

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.osv import expression
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.lianghua_service.tests import common, fixtures

# Reviewed: models with a company that are not documents of one company.
SHARED_MODELS = {
    # People, not documents: Odoo shows internal users to every company (core
    # rule res_users_rule) and a user may work for several companies. Who may
    # be linked to a document is checked on the documents' fields (users of
    # the document's company), and people in point 5.
    "res.users",
    # Contacts and vendors, extended by lianghua_contract (the vendor's
    # evaluations): Odoo shows the partners of internal users to every company
    # (core rule res_partner_rule) and a vendor serves several companies, each
    # measuring and evaluating it on its own records (its evaluations carry the
    # company). Its core fields are Odoo's, without the company check.
    "res.partner",
}

# Reviewed: (model, field) links that may point to another company's record.
CROSS_COMPANY_LINKS = {
    # An attachment's company is the company its uploader was working in, not
    # a boundary: Odoo checks access to an attachment through the document it
    # is attached to (res_model, res_id), whatever its company_id.
    ("lianghua.acceptance.deliverable", "attachment_ids"),
    ("lianghua.contract.breach", "attachment_ids"),
    ("lianghua.indicator.value", "attachment_ids"),
    # Bookmarks: each user stars the projects they read (is_favorite, written
    # by the user), which names nobody to the project's company.
    ("project.project", "favorite_user_ids"),
}

# The people of each company whose view is checked.
VIEWERS = (*fixtures.ROLES, "portal")
# At most this many records named in a line.
SHOWN = 5


def _ours(module):
    return (module or "").startswith("lianghua_")


def _names(records):
    names = records[:SHOWN].mapped("display_name")
    more = len(records) - SHOWN
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


class Failures:
    """Failure lines by section, each line once, in the order found."""

    def __init__(self, *sections):
        self.sections = {section: {} for section in sections}

    def add(self, section, line):
        self.sections[section][line] = None

    def report(self, test):
        if any(self.sections.values()):
            test.fail(
                "\n".join(
                    line
                    for section, lines in self.sections.items()
                    if lines
                    for line in (f"{len(lines)} {section}:", *lines)
                )
            )


@tagged("post_install", "-at_install")
class TestMultiCompany(common.LianghuaOperationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The workflow as it runs for real, for point 5: creators and assigned
        # users follow their documents (common.py turns mail off); the mails
        # are queued, not sent.
        context = {k: v for k, v in cls.env.context.items() if k not in DISABLED_MAIL_CONTEXT}
        cls.env = cls.env(context=dict(context, mail_notify_force_send=False))
        cls.company_a = cls.env.company
        site_a = fixtures.main_site(
            cls, fixtures.portal_user(cls.env, "lh_portal_a", cls.company_a)
        )
        site_b = fixtures.company_site(cls, "Lianghua Subsidiary", "b")
        cls.company_b = site_b.company.with_env(cls.env)
        cls.sites = (site_a, site_b)
        cls.letters = {cls.company_a: "A", cls.company_b: "B"}
        for module in fixtures.fixture_modules(cls.env):
            for site in cls.sites:
                module.populate(site)
        cls.env.flush_all()

        # A user of both companies: an auditor (who reads every record) of A,
        # allowed in B too.
        cls.group_auditor = cls._user("lh_group_auditor", "auditor", cls.dept_board)
        cls.group_auditor.company_ids = [Command.link(cls.company_b.id)]

        cls.scope = cls._scope(cls.env)
        companies = (cls.company_a, cls.company_b)
        cls.records = {
            name: {
                company: cls.env[name]
                .sudo()
                .with_context(active_test=False)
                .search([("company_id", "=", company.id)])
                for company in companies
            }
            for name in cls.scope
        }

    @classmethod
    def _scope(cls, env):
        """Every model with a class of ours and a stored company_id."""
        scope = []
        for name in sorted(env.registry):
            model = env[name]
            field = model._fields.get("company_id")
            if (
                model._abstract
                or model._transient
                or name in SHARED_MODELS
                or not (field and field.store)
                or not any(_ours(vars(cls_).get("_module")) for cls_ in type(model).__mro__)
            ):
                continue
            scope.append(name)
        return scope

    # Helpers

    def _pairs(self):
        """(the viewers' site, the other company, its own company) both ways."""
        site_a, site_b = self.sites
        return (
            (site_a, self.company_b, self.company_a),
            (site_b, self.company_a, self.company_b),
        )

    def _viewers(self, site):
        return [getattr(site, role).with_env(self.env) for role in VIEWERS]

    def _theirs(self, name, company):
        """The records whose company is ``company`` (shared ones have none)."""
        return self.records[name][company]

    def _company(self, company):
        return f"{self.letters[company]} ({company.name})"

    # 1. Records

    def test_every_model_has_records_of_both_companies(self):
        self.assertIn("lianghua.request", self.scope)
        self.assertIn("helpdesk.ticket", self.scope)
        failures = Failures("models without records of a company")
        for name in self.scope:
            for company in (self.company_a, self.company_b):
                if not self.records[name][company]:
                    failures.add(
                        "models without records of a company",
                        f"no records of {name} in company {self._company(company)}: "
                        "give the addon's fixtures some",
                    )
        failures.report(self)

    # 2. Visibility

    def test_users_see_nothing_of_the_other_company(self):
        section = "leaks to the other company's users (company rules missing?)"
        failures = Failures(section)
        for site, other, own in self._pairs():
            leaks = {}  # (model, how): logins
            for user in self._viewers(site):
                for name in self.scope:
                    theirs = self._theirs(name, other)
                    if not theirs:
                        continue
                    for how in self._leaks(user, name, theirs):
                        leaks.setdefault((name, how), []).append(user.login)
            for (name, how), logins in leaks.items():
                failures.add(
                    section,
                    f"{name}: {how} records of company {self._company(other)} as "
                    f"{', '.join(logins)} (company {self._company(own)})",
                )
        failures.report(self)

    def _leaks(self, user, name, theirs):
        """How ``user`` reaches some of ``theirs``: the calls that let them."""
        Model = self.env[name].with_user(user).with_context(active_test=False)
        try:
            found = Model.search([])
        except AccessError:  # not even the model
            found = Model.browse()
        found &= theirs
        if found:
            yield f"search([]) finds {len(found)} ({_names(found.sudo())}) of the"
        try:
            with mute_logger("odoo.models"):
                read = Model.browse(theirs.ids).read(["company_id"])
        except AccessError:
            read = []
        if read:
            yield f"read() of the {len(theirs)}"
        try:
            # Line models without a name warn that they cannot search on it.
            with mute_logger("odoo.models"):
                named = {record_id for record_id, __ in Model.name_search("", limit=None)}
        except AccessError:
            named = set()
        named &= set(theirs.ids)
        if named:
            yield f"name_search() finds {len(named)} of the"

    # 3. A user of both companies

    def test_a_user_of_both_companies_sees_the_companies_allowed(self):
        section = "records outside the allowed companies (user of A and B)"
        failures = Failures(section)
        user = self.group_auditor
        a, b = self.company_a, self.company_b
        for name in self.scope:
            Model = self.env[name].with_user(user).with_context(active_test=False)
            mine = {company: self._theirs(name, company) for company in (a, b)}
            for allowed, hidden in (((a,), b), ((b,), a), ((a, b), None)):
                found = Model.with_context(allowed_company_ids=[c.id for c in allowed]).search([])
                label = "+".join(self.letters[c] for c in allowed)
                if hidden and found & mine[hidden]:
                    failures.add(
                        section,
                        f"{name}: {user.login} working in {label} finds "
                        f"{len(found & mine[hidden])} records of company {self._company(hidden)}",
                    )
                for company in allowed:
                    if mine[company] and not found & mine[company]:
                        failures.add(
                            section,
                            f"{name}: {user.login} working in {label} finds none of the "
                            f"{len(mine[company])} records of company {self._company(company)}",
                        )
        failures.report(self)

    # 4. Links

    def test_links_stay_in_the_company(self):
        static = "links without the company check"
        behaviour = "links whose company check lets another company's record through"
        missing = "links that could not be checked"
        failures = Failures(static, behaviour, missing)
        for name in self.scope:
            model = self.env[name]
            if not model._auto:
                continue  # a report (SQL view): nobody writes its links
            links = self._company_links(model)
            if links and not model._check_company_auto:
                failures.add(
                    static,
                    f"{name}: _check_company_auto is not set (links: {', '.join(links)})",
                )
            for fname in links:
                field = model._fields[fname]
                if not field.check_company:
                    failures.add(
                        static,
                        f"{name}.{fname} (to {field.comodel_name}): no check_company=True",
                    )
                    continue
                wrong = self._check_link(name, fname)
                if wrong:
                    kind, line = wrong
                    failures.add(behaviour if kind == "behaviour" else missing, line)
        failures.report(self)

    def _company_links(self, model):
        """The stored relational fields of ``model`` to company-bound models."""
        links = []
        for fname, field in model._fields.items():
            if (
                field.type not in ("many2one", "many2many")
                or not field.store
                or field.related
                or fname in LOG_ACCESS_COLUMNS
                or (model._name, fname) in CROSS_COMPANY_LINKS
            ):
                continue
            comodel = self.env[field.comodel_name]
            if "company_id" in comodel._fields or "company_ids" in comodel._fields:
                links.append(fname)
        return links

    def _check_link(self, name, fname):
        """A record of A linked to a record of B, in SQL and in a savepoint:
        its company check must refuse it. Returns (section, line) when it
        does not, or when no such link can be made."""
        a, b = self.company_a, self.company_b
        field = self.env[name]._fields[fname]
        comodel = self.env[field.comodel_name].sudo().with_context(active_test=False)
        # A record allowed in B and not in A: a record of B only.
        in_a = expression.normalize_domain(comodel._check_company_domain(a))
        b_only = expression.AND([comodel._check_company_domain(b), ["!", *in_a]])
        target = comodel.search(b_only, limit=1)
        cr = self.env.cr
        for record in self._theirs(name, a)[:3]:
            # Linked to B's record, else (none, or a unique index objects)
            # its linked record moved to B.
            for move in (False, True):
                savepoint = cr.savepoint()
                try:
                    linked = self._link_in_sql(record, field, target, move)
                    self.env.invalidate_all()
                    if not (linked and linked.filtered_domain(b_only)):
                        continue
                    try:
                        record.with_company(a)._check_company([fname])
                    except UserError:
                        return None
                    return (
                        "behaviour",
                        f"{name}.{fname}: {record.display_name} (company {self._company(a)}) "
                        f"linked to {linked.display_name} ({comodel._name}, "
                        f"{'moved to' if move else 'of'} company {self._company(b)}) "
                        "passes _check_company()",
                    )
                finally:
                    savepoint.close(rollback=True)
                    self.env.invalidate_all()
        if not comodel.search_count([], limit=1):
            return None  # no record to link to in this database
        return (
            "missing",
            f"{name}.{fname}: no record of company {self._company(a)} could be linked to "
            f"a {comodel._name} of company {self._company(b)}: give the fixtures one",
        )

    def _link_in_sql(self, record, field, target, move):
        """Link ``record`` to ``target`` (a record of B) in SQL, or with
        ``move``, move the record it links to (or the first of the comodel)
        to B. Returns the record linked, or None when it cannot be done."""
        b = self.company_b
        comodel = self.env[field.comodel_name].sudo().with_context(active_test=False)
        if move:
            company = comodel._fields.get("company_id")
            if "company_ids" in comodel._fields or not (company and company.store):
                return None  # users: companies are not a column
            linked = record.sudo().with_company(self.company_a)[field.name][:1]
            moved = linked or comodel.search([], limit=1)
            if not moved or not comodel._auto:
                return None
            queries = [
                SQL(
                    "UPDATE %s SET company_id = %s WHERE id = %s",
                    SQL.identifier(comodel._table),
                    b.id,
                    moved.id,
                )
            ]
            if linked:
                return self._execute(queries) and moved
            target = moved
        elif not target:
            return None
        else:
            queries = []
        table, column = SQL.identifier(record._table), SQL.identifier(field.name)
        if field.company_dependent:  # its value in A
            link = SQL(
                "UPDATE %s SET %s = COALESCE(%s, '{}'::jsonb) || jsonb_build_object(%s, %s)"
                " WHERE id = %s",
                table,
                column,
                column,
                str(self.company_a.id),
                target.id,
                record.id,
            )
        elif field.type == "many2one":
            link = SQL("UPDATE %s SET %s = %s WHERE id = %s", table, column, target.id, record.id)
        else:
            link = SQL(
                "INSERT INTO %s (%s, %s) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                SQL.identifier(field.relation),
                SQL.identifier(field.column1),
                SQL.identifier(field.column2),
                record.id,
                target.id,
            )
        return self._execute([*queries, link]) and target

    def _execute(self, queries):
        """Run ``queries``; False if a constraint (a unique index) refuses them."""
        try:
            with mute_logger("odoo.sql_db"):
                for query in queries:
                    self.env.cr.execute(query)
        except psycopg2.IntegrityError:
            return False
        return True

    # 5. People

    def test_people_belong_to_the_company(self):
        followers = "followers who work for another company"
        activities = "activities of people of another company"
        reviews = "reviews of another company, or by its people"
        failures = Failures(followers, activities, reviews)
        Followers = self.env["mail.followers"].sudo()
        Activity = self.env["mail.activity"].sudo()
        Review = self.env["tier.review"].sudo()
        for name in self.scope:
            model = self.env[name]
            for company in (self.company_a, self.company_b):
                documents = self._theirs(name, company)
                if not documents:
                    continue
                where = f"{name} of company {self._company(company)}"
                if "message_follower_ids" in model._fields:
                    found = Followers.search(
                        [("res_model", "=", name), ("res_id", "in", documents.ids)]
                    )
                    for partner, their in found.grouped("partner_id").items():
                        users = partner.with_context(active_test=False).user_ids
                        internal = users.filtered(lambda u: not u.share)
                        if internal and not any(company in u.company_ids for u in internal):
                            failures.add(
                                followers,
                                f"{where}: {internal[:1].login} follows "
                                f"{self._documents(name, their.mapped('res_id'))}",
                            )
                if "activity_ids" in model._fields:
                    found = Activity.with_context(active_test=False).search(
                        [("res_model", "=", name), ("res_id", "in", documents.ids)]
                    )
                    for user, their in found.grouped("user_id").items():
                        if user and company not in user.company_ids:
                            failures.add(
                                activities,
                                f"{where}: {user.login} has activities on "
                                f"{self._documents(name, their.mapped('res_id'))}",
                            )
                if "review_ids" in model._fields:
                    found = Review.search([("model", "=", name), ("res_id", "in", documents.ids)])
                    wrong = found.filtered(lambda r, c=company: r.company_id != c)
                    for review_company, their in wrong.grouped("company_id").items():
                        failures.add(
                            reviews,
                            f"{where}: {len(their)} reviews belong to "
                            f"{review_company.name or 'no company'} "
                            f"({', '.join(sorted(set(their.mapped('definition_id.name'))))})",
                        )
                    outsiders = found.reviewer_ids.filtered(
                        lambda u, c=company: c not in u.company_ids
                    )
                    for user in outsiders:
                        their = found.filtered(lambda r, u=user: u in r.reviewer_ids)
                        failures.add(
                            reviews,
                            f"{where}: {user.login} reviews "
                            f"{self._documents(name, their.mapped('res_id'))}",
                        )
        failures.report(self)

    def _documents(self, name, ids):
        return _names(self.env[name].sudo().browse(sorted(set(ids))))
