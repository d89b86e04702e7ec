import werkzeug

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class LianghuaTicketPortal(CustomerPortalHelpdesk):
    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        # Somebody else's ticket (or none): not found, rather than a redirect.
        try:
            self._document_check_access("helpdesk.ticket", ticket_id, access_token=access_token)
        except (AccessError, MissingError) as error:
            raise werkzeug.exceptions.NotFound() from error
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)


class LianghuaTicketController(HelpdeskTicketController):
    @http.route(methods=["POST"])
    def support_ticket_close(self, **kw):
        # A change, so a POST with the CSRF token (the ticket page's form; see
        # lianghua_operations_views.xml): a link followed by GET gets a 405.
        # helpdesk_mgmt closes by id as superuser: only a ticket of the user's
        # own side (their company's, for a portal user) or one they may change.
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id") or 0))
            ticket.ensure_one()
            ticket.check_access("read")
            stage = request.env["helpdesk.ticket.stage"].browse(int(kw.get("stage_id") or 0))
        except (AccessError, MissingError, ValueError) as error:
            raise werkzeug.exceptions.NotFound() from error
        user = request.env.user
        own = ticket.sudo().partner_id.commercial_partner_id == user.commercial_partner_id
        if not own or not user._is_portal():
            try:
                ticket.check_access("write")
            except AccessError as error:
                raise werkzeug.exceptions.Forbidden() from error
            if not own and not user.has_group("lianghua_service.group_lianghua_it_user"):
                raise werkzeug.exceptions.Forbidden()
        if stage not in ticket.sudo().team_id._get_applicable_stages():
            raise werkzeug.exceptions.NotFound()
        return super().support_ticket_close(**kw)

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        values["lianghua_systems"] = self._lianghua_portal_systems()
        return values

    def _lianghua_portal_systems(self):
        # Portal users cannot read the register: the systems offered in the portal.
        return (
            request.env["lianghua.system"]
            .sudo()
            .search(
                [
                    ("portal_visible", "=", True),
                    ("state", "in", ("live", "maintenance")),
                    ("company_id", "=", request.env.company.id),
                ]
            )
        )

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        system_id = kw.get("lianghua_system")
        if system_id and str(system_id).isdigit():
            system = self._lianghua_portal_systems().filtered(lambda s: s.id == int(system_id))
            vals["lianghua_system_id"] = system.id
            if system:
                vals["company_id"] = system.company_id.id
        return vals
