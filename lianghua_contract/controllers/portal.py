from collections import OrderedDict
from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class LianghuaContractPortal(CustomerPortal):
    """A vendor's contacts follow the service contracts of their company:
    terms, sections and clauses, payments, notified breaches, evaluations;
    nothing of another vendor, nothing before signature."""

    _lianghua_contract_report = "agreement_legal.partner_agreement_contract_document"

    # Values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lianghua_contract_count" in counters:
            Contract = request.env["agreement"]
            values["lianghua_contract_count"] = (
                Contract.search_count(self._lianghua_contract_domain())
                if Contract.has_access("read")
                else 0
            )
        return values

    def _lianghua_contract_domain(self):
        """The contracts of the user's company as a vendor, once signed (the
        record rules say the same for portal users; this says it for everyone)."""
        return [
            ("lianghua_kind", "!=", False),
            ("lianghua_state", "in", list(request.env["agreement"]._lianghua_portal_states)),
            ("partner_id.commercial_partner_id", "=", request.env.user.commercial_partner_id.id),
        ]

    def _lianghua_contract_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "start_date desc, id desc"},
            "name": {"label": request.env._("Title"), "order": "name, id desc"},
            "state": {"label": request.env._("Status"), "order": "lianghua_state, id desc"},
        }

    def _lianghua_contract_searchbar_filters(self):
        return OrderedDict(
            [
                ("all", {"label": request.env._("All"), "domain": []}),
                (
                    "in_force",
                    {
                        "label": request.env._("In Force"),
                        "domain": [("lianghua_state", "=", "signed")],
                    },
                ),
                (
                    "expired",
                    {
                        "label": request.env._("Expired or Closed"),
                        "domain": [("lianghua_state", "in", ("expired", "closed"))],
                    },
                ),
            ]
        )

    # Routes

    @http.route(
        ["/my/contracts", "/my/contracts/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_lianghua_contracts(self, page=1, sortby=None, filterby=None, **kw):
        Contract = request.env["agreement"]
        if not Contract.has_access("read"):
            return request.redirect("/my")
        sortings = self._lianghua_contract_searchbar_sortings()
        filters = self._lianghua_contract_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = expression.AND([self._lianghua_contract_domain(), filters[filterby]["domain"]])
        pager = portal_pager(
            url="/my/contracts",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Contract.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        contracts = Contract.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_lianghua_contracts_history"] = contracts.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "contracts": contracts,
                "page_name": "lianghua_contract",
                "default_url": "/my/contracts",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("lianghua_contract.portal_my_contracts", values)

    @http.route(["/my/contracts/<int:contract_id>"], type="http", auth="public", website=True)
    def portal_my_lianghua_contract(self, contract_id, access_token=None, report_type=None, **kw):
        try:
            contract_sudo = self._lianghua_contract_check_access(contract_id, access_token)
        except AccessError as error:
            raise Forbidden() from error
        except MissingError as error:
            raise NotFound() from error
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=contract_sudo,
                report_type=report_type,
                report_ref=self._lianghua_contract_report,
                download=kw.get("download"),
            )
        values = self._lianghua_contract_page_values(contract_sudo, access_token, **kw)
        return request.render("lianghua_contract.portal_my_contract", values)

    # Business

    def _lianghua_contract_check_access(self, contract_id, access_token=None):
        """The contract, as superuser, once the user may read it (or holds its
        token): a service contract in a state its vendor sees. AccessError
        or MissingError otherwise, before anything of it is read."""
        contract_sudo = self._document_check_access(
            "agreement", contract_id, access_token=access_token
        )
        if (
            not contract_sudo.lianghua_kind
            or contract_sudo.lianghua_state not in contract_sudo._lianghua_portal_states
        ):
            raise MissingError(request.env._("This document does not exist."))
        return contract_sudo

    def _lianghua_contract_page_values(self, contract_sudo, access_token, **kwargs):
        """What the vendor sees of a contract whose access is checked: the
        same for its contacts and for a token holder, whatever rights the
        reader has otherwise."""
        # Read as superuser after the access check: portal users cannot read
        # sections and clauses; breaches as the vendor sees them (notified).
        clauses_sudo = contract_sudo.clauses_ids
        breaches_sudo = contract_sudo.lianghua_breach_ids.filtered(lambda b: b.state != "draft")
        evaluations_sudo = (
            request.env["lianghua.vendor.evaluation"]
            .sudo()
            .search(
                [("agreement_id", "=", contract_sudo.id), ("state", "=", "done")],
                order="date_end desc, id desc",
            )
        )
        values = {
            "contract": contract_sudo,
            "page_name": "lianghua_contract",
            "sections": contract_sudo.sections_ids.sorted(lambda s: (s.sequence, s.id)),
            "loose_clauses": clauses_sudo.filtered(lambda c: not c.section_id).sorted(
                lambda c: (c.sequence, c.id)
            ),
            "milestones": contract_sudo.lianghua_milestone_ids,
            "breaches": breaches_sudo,
            "evaluations": evaluations_sudo,
            # No token is written on the contract for its reader: the link
            # carries the visitor's own, if any.
            "report_url": "{}?{}".format(
                contract_sudo.access_url,
                urlencode(
                    {"report_type": "pdf", "download": "true"}
                    | ({"access_token": access_token} if access_token else {})
                ),
            ),
            # The vendor reads the contract's history; what binds is exchanged
            # through its workflow (see agreement._get_thread_with_access).
            "disable_composer": True,
        }
        return self._get_page_view_values(
            contract_sudo, access_token, values, "my_lianghua_contracts_history", False, **kwargs
        )
