import re
from contextlib import contextmanager

from psycopg2 import errors as pg_errors

from odoo import _, api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

IT_GROUP = "lianghua_service.group_lianghua_it_user"
IT_MANAGER_GROUP = "lianghua_service.group_lianghua_it_manager"


class LianghuaDocumentMixin(models.AbstractModel):
    """What every Lianghua document shares, written once.

    - ``_lianghua_sequence_code``: the ``ir.sequence`` that numbers it;
    - ``_get_workflow_fields()``: the fields its workflow writes (as superuser),
      never a user by hand; an inheriting addon adds its own;
    - ``_lianghua_free_fields()``: what anyone who may write it may still set
      (chatter, activities);
    - ``_lianghua_is_it()`` / ``_check_it()``: the IT-group checks;
    - ``_get_lianghua_unique_indexes()``: its "only one" rules, as partial
      unique indexes created in ``init()``; a concurrent duplicate ends in the
      rule's own message instead of a database error;
    - ``_lianghua_vals_records()``: the records a client names in ``create``
      values, checked before use;
    - the smart buttons' window actions.
    """

    _name = "lianghua.document.mixin"
    _description = "Lianghua Document"

    # The ir.sequence code that numbers the document in ``create`` (field ``name``).
    _lianghua_sequence_code = None

    # Hooks

    def _get_workflow_fields(self):
        """Fields written by the document's workflow only (its ``_do_*``
        methods, as superuser). Extend with ``super() | {...}``."""
        return frozenset()

    def _get_lianghua_unique_indexes(self):
        """The document's "only one" rules: ``{index name: (columns, where,
        message)}``: the indexed field names, the index's SQL condition (on
        field names too), and a callable returning the translated refusal.
        Extend with ``{**super()._get_lianghua_unique_indexes(), ...}``."""
        return {}

    def _lianghua_it_only_message(self):
        """The refusal of ``_check_it``, in the document's own words."""
        return _("Only IT staff do this.")

    # Database

    def init(self):
        res = super().init()
        for name, (columns, where, __) in self._get_lianghua_unique_indexes().items():
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (%s) WHERE %s",
                    SQL.identifier(name),
                    SQL.identifier(self._table),
                    SQL(", ").join(SQL.identifier(column) for column in columns),
                    SQL(where),
                )
            )
        return res

    @contextmanager
    def _lianghua_unique_guard(self):
        """Run the block in a savepoint; a violation of one of the document's
        unique indexes (two users at the same moment: the Python check of each
        saw no other record) becomes the rule's message."""
        indexes = self._get_lianghua_unique_indexes()
        if not indexes:
            yield
            return
        try:
            with self.env.cr.savepoint():
                yield
        except pg_errors.UniqueViolation as error:
            rule = indexes.get(error.diag.constraint_name)
            if not rule:
                raise
            raise ValidationError(rule[2]()) from None

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # What the workflow writes cannot come in through the context's
            # defaults either (``default_state`` and the like): the values
            # themselves are checked by each document.
            sneaked = {f"default_{fname}" for fname in self._get_workflow_fields()}
            if sneaked & set(self.env.context):
                context = {key: value for key, value in self.env.context.items()
                           if key not in sneaked}  # fmt: skip
                self = self.with_env(self.env(context=context))
        if not self._get_lianghua_unique_indexes():
            return super().create(vals_list)
        with self._lianghua_unique_guard():
            records = super().create(vals_list)
            # Stored computes are written at the flush: let the index speak now.
            records.flush_recordset()
        return records

    def write(self, vals):
        indexes = self._get_lianghua_unique_indexes().values()
        if not any(
            fname in columns or re.search(rf"\b{fname}\b", where)
            for columns, where, __ in indexes
            for fname in vals
        ):
            return super().write(vals)
        with self._lianghua_unique_guard():
            res = super().write(vals)
            # Updates wait for the flush: let the index speak now.
            self.flush_recordset()
        return res

    # Rights

    @api.model
    def _lianghua_is_it(self):
        """IT staff (or the workflow, as superuser)."""
        return self.env.su or self.env.user.has_group(IT_GROUP)

    @api.model
    def _lianghua_is_it_manager(self):
        """IT managers (or the workflow, as superuser)."""
        return self.env.su or self.env.user.has_group(IT_MANAGER_GROUP)

    @api.model
    def _check_it(self):
        if not self._lianghua_is_it():
            raise UserError(self._lianghua_it_only_message())

    def _lianghua_free_fields(self):
        """Fields anyone with write access may set: the chatter and activities
        (but its messages: they are posted, not written)."""
        return {
            name
            for name in self._fields
            if name.startswith(("message_", "activity_")) and name != "message_ids"
        }

    def _lianghua_user_fields(self, fnames):
        """``fnames`` less the free fields: what a write really changes."""
        return set(fnames) - self._lianghua_free_fields()

    def _lianghua_check_workflow_fields(self, vals_list, message, allowed=()):
        """Refuse ``message`` when a user (not the workflow) sets a field of
        ``_get_workflow_fields()`` (but ``allowed``) in one of ``vals_list``."""
        if self.env.su:
            return
        workflow = self._get_workflow_fields() - set(allowed)
        if any(workflow.intersection(vals) for vals in vals_list):
            raise UserError(message)

    # Attachments

    @api.model
    def _lianghua_adopt_attachments(self, attachments, holder):
        """Uploaded files belong to no record yet, and only their uploader may
        read them: those of ``attachments`` the user uploaded (any, for the
        workflow) become ``holder``'s, readable by whoever reads it."""
        loose = attachments.filtered(
            lambda a: not a.res_id and (self.env.su or a.create_uid == self.env.user)
        )
        loose_sudo = loose.sudo()  # the uploader's own files, checked above
        loose_sudo.write({"res_model": holder._name, "res_id": holder.id})

    # Companies

    def _check_company(self, fnames=None):
        """Odoo's refusal lists the other company's records by name (read as
        superuser): a user who sent their ids would read their names. The same
        check, refused with the fields' names only."""
        try:
            return super()._check_company(fnames)
        except UserError:
            record, labels = self._lianghua_company_mismatch(fnames)
            if not record:
                raise
            # Lines without a name of their own go by their model's.
            name = record.display_name if self._rec_name else self._description
            if record.company_id:
                message = _(
                    "%(record)s belongs to the company %(company)s: choose its %(fields)s "
                    "among that company's.",
                    record=name,
                    company=record.company_id.display_name,
                    fields=", ".join(labels),
                )
            else:
                message = _(
                    "%(record)s is shared by every company: choose its %(fields)s among the "
                    "shared ones.",
                    record=name,
                    fields=", ".join(labels),
                )
            raise UserError(message) from None

    def _lianghua_company_mismatch(self, fnames=None):
        """The first record whose company-checked fields name records of
        another company, and those fields' labels (as ``_check_company``
        tests them)."""
        if "company_id" not in self._fields:
            return self.browse(), []
        if fnames is None or "company_id" in fnames:
            fnames = self._fields
        checked = [
            field
            for field in (self._fields[name] for name in fnames)
            if field.relational and field.check_company and not field.company_dependent
        ]
        for record in self:
            labels = []
            for field in checked:
                corecords = record.sudo()[field.name]  # their companies, not their names
                domain = corecords._check_company_domain(record.company_id)
                if (
                    corecords
                    and domain
                    and corecords
                    != corecords.with_context(active_test=False).filtered_domain(domain)
                ):
                    labels.append(field.get_description(self.env)["string"])
            if labels:
                return record, labels
        return self.browse(), []

    # Values from clients

    @api.model
    def _lianghua_vals_records(self, vals_list, fname):
        """The record ``fname`` names in each of ``vals_list``, one per values
        (in order, as a recordset), after checking that each is the id of an
        existing record: a client may send anything over RPC."""
        field = self._fields[fname]
        label = field.get_description(self.env)["string"]
        ids = []
        for vals in vals_list:
            value = vals.get(fname)
            if not value:
                raise ValidationError(
                    _("%(document)s needs its %(field)s.", document=self._description, field=label)
                )
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(
                    _(
                        "%(field)s of %(document)s must name one record, not %(value)r.",
                        field=label,
                        document=self._description,
                        value=value,
                    )
                )
            ids.append(value)
        records = self.env[field.comodel_name].browse(ids)
        missing = set(ids) - set(records.exists().ids)
        if missing:
            raise ValidationError(
                _(
                    "%(field)s of %(document)s names a record that does not exist.",
                    field=label,
                    document=self._description,
                )
            )
        return records

    # Numbering

    @api.model
    def _lianghua_assign_numbers(self, vals_list, companies):
        """Number new documents from ``_lianghua_sequence_code``, each in the
        sequence of its company (``companies``, one per values)."""
        for vals, company in zip(vals_list, companies, strict=True):
            if not vals.get("name") or vals["name"] == _("New"):
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    self._lianghua_sequence_code
                ) or _("New")

    # Smart buttons

    def _get_lianghua_form_action(self):
        """Open this record in its form (smart buttons between Lianghua documents)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
        }

    def _get_lianghua_records_action(self, xmlid, field, domain=(), create=True):
        """The window action ``xmlid`` on the records whose ``field`` is this
        record (a smart button's list), creating them for it or not at all."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        action["domain"] = [(field, "=", self.id), *domain]
        action["context"] = {f"default_{field}": self.id} if create else {"create": False}
        return action
