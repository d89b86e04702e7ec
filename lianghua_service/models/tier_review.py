from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

OPEN = ("waiting", "pending")


def _ours(env, model_name):
    """Whether ``model_name`` is a Lianghua document: a model approved
    through ``lianghua.tier.mixin`` (``lianghua.request``, ``lianghua.plan``
    and the documents of the addons built on it)."""
    return bool(model_name) and model_name in lianghua_document_models(env)


def lianghua_document_models(env):
    """The models that inherit ``lianghua.tier.mixin``, read from the registry
    (kept on it until models are added to it, as an install does)."""
    registry = env.registry
    cached = getattr(registry, "_lianghua_document_models", None)
    if cached and cached[0] == len(registry.models):
        return cached[1]
    mixin = registry.get("lianghua.tier.mixin")
    names = frozenset(
        name
        for name, model in registry.items()
        if mixin is not None
        and name != mixin._name
        and not model._abstract
        and issubclass(model, mixin)
    )
    registry._lianghua_document_models = (len(registry.models), names)
    return names


class TierReview(models.Model):
    """Reviews of Lianghua documents are written by their workflow only.

    base_tier_validation lets every internal user create, write and delete
    reviews. On our documents the decisions are made by the request's
    validate/reject methods, which check the reviewer and then write as
    superuser; a user may only leave the comment of a review that waits for
    them (the comment wizard does so just before deciding), and let a tier
    become pending.

    Who reads them: whoever may read their document, no one else (record
    rules of security/ir_rule.xml on the two fields below). Reviews of other
    models keep base_tier_validation's rules.
    """

    _inherit = "tier.review"
    _check_company_auto = True

    # Declared again (same values and labels) so that the decisions shown on
    # our forms are terms of this addon, translated by its i18n files.
    status = fields.Selection(
        selection_add=[
            ("waiting", "Waiting"),
            ("pending", "Pending"),
            ("rejected", "Rejected"),
            ("approved", "Approved"),
            ("cancel", "Cancel"),
        ]
    )

    # base_tier_validation takes the company from the tier; the default tiers
    # are shared between companies. A review of ours belongs to the company of
    # its document, and is decided by people of that company only (see
    # _get_reviewers): base_tier_validation's multi-company rule and reports
    # by company hold for our reviews too. Other models keep their tier's.
    company_id = fields.Many2one(
        "res.company", related=False, compute="_compute_company_id", store=True, index=True
    )
    # Its tier and people are of its company (checked on our reviews only,
    # see _check_company).
    definition_id = fields.Many2one(check_company=True)
    reviewer_ids = fields.Many2many(check_company=True)
    done_by = fields.Many2one(check_company=True)
    requested_by = fields.Many2one(check_company=True)

    # A record rule cannot follow res_id to the document, so the rules use
    # these two searchable fields. The second one hands the question to the
    # document's model itself: its ir.model.access and its record rules, for
    # the current user, as a sub-query (``res_id IN (SELECT id FROM document
    # WHERE <its rules>)``). Stored copies of the document's department,
    # requester and company were the alternative; they would repeat each
    # document's read rules a second time (department members and managers,
    # acceptance groups, multi-company...), drift whenever one changes, and
    # need every document to push its changes to its reviews (a
    # Many2oneReference has no inverse to depend on). Here there is one
    # source of truth, and the documents of the next addons (any model of
    # lianghua.tier.mixin in _get_tier_validation_model_names) are covered as they come.
    lianghua_document = fields.Boolean(
        string="Review of a Lianghua Document",
        compute="_compute_lianghua_document",
        search="_search_lianghua_document",
    )
    lianghua_document_readable = fields.Boolean(
        string="Document Readable",
        compute="_compute_lianghua_document_readable",
        search="_search_lianghua_document_readable",
        help="The current user may read the Lianghua document of the review.",
    )

    @api.model
    def _get_company_scoped_models(self):
        """Models whose reviews belong to their document's company and are
        decided by people of that company: our documents, and the models an
        addon approves with company-wide tiers (a purchase order charged to a
        budget, say). Extend with ``super() | {...}``."""
        return lianghua_document_models(self.env)

    @api.depends("definition_id.company_id", "model", "res_id")
    def _compute_company_id(self):
        scoped = self._get_company_scoped_models()
        for model_name, reviews in self.grouped("model").items():
            if model_name not in scoped:
                for review in reviews:
                    review.company_id = review.definition_id.company_id
                continue
            documents = self.env[model_name].browse(reviews.mapped("res_id")).exists()
            companies = {document.id: document._get_company() for document in documents}
            for review in reviews:
                review.company_id = companies.get(review.res_id, review.definition_id.company_id)

    @api.depends("model")
    def _compute_lianghua_document(self):
        for review in self:
            review.lianghua_document = _ours(self.env, review.model)

    @api.model
    def _search_lianghua_document(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(
                f"Unsupported search on lianghua_document: {operator} {value}"
            )
        # The same test as _ours(): a model of lianghua.tier.mixin.
        ours = [("model", "in", sorted(lianghua_document_models(self.env)))]
        if (operator == "=") == value:
            return ours
        return ["|", ("model", "=", False), "!", *ours]

    @api.depends_context("uid")
    @api.depends("model", "res_id")
    def _compute_lianghua_document_readable(self):
        # Record rules are checked on records through this compute (in
        # sudo mode, for the same uid): answer with the search, so that
        # checking a record and searching agree by construction.
        readable = (
            self.sudo()
            .search([("id", "in", self.ids), ("lianghua_document_readable", "=", True)])
            .ids
        )
        for review in self:
            review.lianghua_document_readable = review.id in readable

    @api.model
    def _search_lianghua_document_readable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(
                f"Unsupported search on lianghua_document_readable: {operator} {value}"
            )
        # Rule domains are evaluated on sudo()ed models, for the user whose
        # rights they check: ask the documents as that user, not as superuser.
        user = self.env.user
        readable = []
        for model_name in self._lianghua_document_models():
            documents = self.env[model_name].with_user(user).with_context(active_test=False)
            if documents.has_access("read"):
                readable.append(
                    [("model", "=", model_name), ("res_id", "in", documents._search([]))]
                )
        domain = expression.OR(readable) if readable else expression.FALSE_DOMAIN
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.model
    def _get_reviewer_fields(self):
        # Reviewers are people of the review's company: who they are changes
        # with the users' companies as well.
        return [
            *super()._get_reviewer_fields(),
            "company_id",
            "reviewer_id.company_ids",
            "reviewer_group_id.users.company_ids",
        ]

    def _get_reviewers(self):
        reviewers = super()._get_reviewers()
        if self.model not in self._get_company_scoped_models():
            return reviewers
        # The tiers name a group or a field for every company: of those
        # users, the ones allowed in the document's company (the rule of
        # check_company for users).
        return reviewers.filtered_domain(reviewers._check_company_domain(self.company_id))

    @api.model
    def _lianghua_document_models(self):
        """The Lianghua models whose documents have reviews."""
        names = self.env["tier.definition"]._get_tier_validation_model_names()
        return [name for name in names if _ours(self.env, name)]

    def init(self):
        res = super().init()
        # Reviews of our documents written when their company and reviewers
        # came from the tier alone (before an upgrade): they take their
        # document's company, and the open ones its people.
        reviews_sudo = self.sudo().search(
            [("lianghua_document", "=", True), ("company_id", "=", False)]
        )
        self.env.add_to_compute(self._fields["company_id"], reviews_sudo)
        open_sudo = reviews_sudo.filtered(lambda review: review.status in OPEN)
        for fname in ("reviewer_ids", "todo_by"):
            self.env.add_to_compute(self._fields[fname], open_sudo)
        reviews_sudo.flush_recordset(["company_id", "reviewer_ids", "todo_by"])
        return res

    def _check_company(self, fnames=None):
        # Reviews of other models keep base_tier_validation's behaviour.
        ours = self.filtered(lambda review: _ours(self.env, review.model))
        return super(TierReview, ours)._check_company(fnames)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(_ours(self.env, vals.get("model")) for vals in vals_list):
            raise AccessError(_("Reviews of Lianghua documents are created by their workflow."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            ours = self.filtered(lambda review: _ours(self.env, review.model))
            if ours or _ours(self.env, vals.get("model")):
                ours._check_hand_written(vals)
        return super().write(vals)

    def _check_hand_written(self, vals):
        # The same as the write rule of security/ir_rule.xml: the reviewers
        # of an open review, on a document they read.
        user = self.env.user
        theirs = all(review.status in OPEN and user in review.reviewer_ids for review in self)
        comment_only = set(vals) == {"comment"}
        turn_only = vals == {"status": "pending"}
        if not (self and theirs and (comment_only or turn_only)):
            raise AccessError(_("Only the approval buttons of the document change its reviews."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_lianghua(self):
        if not self.env.su and any(_ours(self.env, review.model) for review in self):
            raise AccessError(_("Reviews of Lianghua documents are removed by their workflow."))
