from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LianghuaTierMixin(models.AbstractModel):
    """Approvals of Lianghua documents, on top of OCA base_tier_validation.

    A document submits itself (``_request_approval``): the tiers that apply
    create their reviews at once; when there is none it moves on straight
    away. Reviewers decide with the banner's Approve / Reject buttons (or the
    comment wizard): the decision is checked here (a reviewer whose turn it
    is, not the submitter), written as superuser (reviews are written by the
    workflow only, see tier.review) and logged in the chatter, where it
    outlives the reviews of a later round. The document reacts in
    ``_on_approved`` and ``_on_rejected``.
    """

    _name = "lianghua.tier.mixin"
    _description = "Lianghua Approvals"
    _inherit = ["tier.validation"]
    _tier_validation_manual_config = False

    # Hooks

    def _approval_submitter(self):
        """Whose document it is: like the user who submits it, they may not
        decide its approval, except a tier that names them."""
        self.ensure_one()
        return self.create_uid

    def _on_approved(self):
        """Every tier approved (or none applies): move the documents on."""
        raise NotImplementedError

    def _on_rejected(self, reason):
        """A reviewer rejected the documents, with ``reason``."""
        raise NotImplementedError

    # Workflow

    def _request_approval(self):
        """Create the reviews of the tiers that apply, or approve at once.

        The documents are in their ``_state_from`` state already.
        """
        documents_sudo = self.sudo()  # reviews are written by the workflow only
        documents_sudo.invalidate_recordset(["need_validation"])
        to_review_sudo = documents_sudo.filtered("need_validation")
        if to_review_sudo:
            reviews_sudo = to_review_sudo.request_validation()
            to_review_sudo._check_reviewers(reviews_sudo)
            # The reviews exist now: "needs validation" no longer holds.
            to_review_sudo.invalidate_recordset(["need_validation", "review_ids"])
            to_review_sudo._approve_own_role_reviews(reviews_sudo)
            # base_tier_validation leaves new reviews "waiting" until their turn
            # is computed: make the first tier pending right away.
            reviews_sudo._compute_can_review()
        (self - to_review_sudo)._on_approved()
        approved = to_review_sudo.filtered(lambda d: d.validation_status == "validated")
        approved.with_env(self.env)._on_approved()

    def _check_reviewers(self, reviews_sudo):
        """Each review has someone to decide it: reviewers come from the
        document's company only (see tier.review), and a company may lack the
        people a shared tier names."""
        for review in reviews_sudo.filtered(lambda r: not r.reviewer_ids):
            document = self.filtered(lambda d, rev=review: d.id == rev.res_id)
            raise UserError(
                _(
                    "Nobody of %(company)s can approve %(document)s (%(tier)s): an "
                    "administrator names this company's approvers first.",
                    company=review.company_id.name,
                    document=document.display_name,
                    tier=review.name,
                )
            )

    def _approve_own_role_reviews(self, reviews_sudo):
        """A tier that names the user submitting the document through one of
        its fields (the department's manager submitting the department's
        change, say) is their agreement already: it is approved with the
        submission. A tier naming someone else waits for them, and tiers of a
        group still need another member of the group."""
        now = fields.Datetime.now()
        submitter = self.env.user
        for document in self:
            own_sudo = reviews_sudo.filtered(
                lambda r, d=document: (
                    r.res_id == d.id and r.review_type == "field" and r.reviewer_ids == submitter
                )
            )
            if own_sudo:
                own_sudo.write(
                    {"status": "approved", "done_by": submitter.id, "reviewed_date": now}
                )
                document._log_decisions(own_sudo)

    def _check_can_review(self):
        user = self.env.user
        for document in self:
            if document[self._state_field] not in self._state_from or not document.can_review:
                raise UserError(
                    _(
                        "%(document)s is not waiting for your approval.",
                        document=document.display_name,
                    )
                )
            reviews_sudo = document.sudo().review_ids  # whose turn it is: the workflow's data
            mine_sudo = reviews_sudo.filtered(
                lambda r: r.status == "pending" and user in r.reviewer_ids
            )
            # Who submitted may not decide; the document's owner may still
            # give the agreement a tier asks of them by name.
            if user in reviews_sudo.requested_by or (
                document._approval_submitter() == user
                and any(review.review_type != "field" for review in mine_sudo)
            ):
                raise UserError(
                    _(
                        "You submitted %(document)s: another approver must decide it.",
                        document=document.display_name,
                    )
                )

    def validate_tier(self):
        self._check_can_review()
        # The reviewer's identity (uid) stays the current user's.
        return super(LianghuaTierMixin, self.sudo()).validate_tier()

    def reject_tier(self):
        self._check_can_review()
        return super(LianghuaTierMixin, self.sudo()).reject_tier()

    def request_validation(self):
        # The workflow requests the approvals when the document is submitted
        # (_request_approval, as superuser); nobody asks for them by hand.
        if not self.env.su:
            raise UserError(_("Approvals are requested by submitting the document."))
        return super().request_validation()

    def restart_validation(self):
        if not self.env.su:
            raise UserError(
                _("Approvals restart when the document is submitted again after a change.")
            )
        return super().restart_validation()

    def _validate_tier(self, tiers=False):
        # Reached from validate_tier() and from the comment wizard: check here.
        self._check_can_review()
        reviews = self.review_ids & (tiers or self.review_ids)
        before = {review: review.status for review in reviews}
        res = super(LianghuaTierMixin, self.sudo())._validate_tier(reviews.sudo())
        self._log_decisions(reviews.filtered(lambda r: r.status != before[r]))
        self.filtered(
            lambda d: (
                d[self._state_field] in self._state_from and d.validation_status == "validated"
            )
        )._on_approved()
        return res

    def _rejected_tier(self, tiers=False):
        self._check_can_review()
        reviews = self.review_ids & (tiers or self.review_ids)
        before = {review: review.status for review in reviews}
        res = super(LianghuaTierMixin, self.sudo())._rejected_tier(reviews.sudo())
        decided = reviews.filtered(lambda r: r.status != before[r])
        self._log_decisions(decided)
        for document in self.filtered(
            lambda d: d[self._state_field] in self._state_from and d.validation_status == "rejected"
        ):
            comment = decided.filtered(lambda r: r.status == "rejected")[-1:].comment
            document._on_rejected(
                comment or _("Not approved by %(user)s.", user=self.env.user.name)
            )
        return res

    @api.model
    def _update_counter(self, review_counter):
        # Recomputes whose turn it is on the reviews, which only the workflow
        # writes (see tier.review); the counter goes to the current user.
        return super(LianghuaTierMixin, self.sudo())._update_counter(review_counter)

    def _log_decisions(self, reviews):
        """Decisions go to the chatter, where they outlive the reviews (a new
        round of approval replaces them)."""
        status_labels = dict(reviews._fields["status"]._description_selection(self.env))
        for review in reviews.filtered(lambda r: r.status in ("approved", "rejected")):
            document = self.filtered(lambda d, rev=review: d.id == rev.res_id)
            body = _(
                "%(tier)s: %(decision)s by %(user)s.",
                tier=review.name,
                decision=status_labels[review.status],
                user=self.env.user.name,
            )
            if review.comment:
                body = f"{body} {review.comment}"
            document_sudo = document.sudo()  # reviewers may only read the document
            document_sudo.message_post(body=body, subtype_xmlid="mail.mt_note")

    # base_tier_validation hooks

    def _compute_need_validation(self):
        # base_tier_validation searches the tiers once per record; documents
        # are often submitted in batches: one search here.
        tiers = self.env["tier.definition"].search([("model", "=", self._name)])
        no_company = self.env["res.company"]
        for document in self:
            if isinstance(document.id, models.NewId) or document.review_ids:
                document.need_validation = False
                continue
            company = document._get_company()
            applicable = tiers.filtered(lambda tier, c=company: tier.company_id in (c, no_company))
            document.need_validation = document._check_state_from_condition() and any(
                document.evaluate_tier(tier) for tier in applicable
            )

    def _tier_validation_check_write_allowed(self, vals):
        # The workflow's own writes (as superuser) are not edits under
        # validation; users' edits are checked by the documents and this hook.
        if self.env.su:
            return
        return super()._tier_validation_check_write_allowed(vals)

    def _get_tier_validation_readonly_domain(self):
        # Locked while the approval is open; afterwards the status decides.
        return (
            f"{self._state_field} in {tuple(self._state_from)!r} "
            "and validation_status not in ('no', False)"
        )

    def _add_tier_validation_buttons(self, node, params):
        # Submitting requests the approvals; they restart when the document is
        # submitted again: no "Request/Restart Validation" buttons.
        return etree.fromstring("<div/>")

    def _add_tier_validation_label(self, node, params):
        return self._render_tier_validation_part("tier_validation_label", params)

    def _add_tier_validation_reviews(self, node, params):
        return self._render_tier_validation_part("tier_validation_reviews", params)

    def _render_tier_validation_part(self, template, params):
        # Our own banner and history, translated with the form.
        arch = self.env["ir.qweb"]._render(f"lianghua_service.{template}", params)
        return etree.fromstring(arch)
