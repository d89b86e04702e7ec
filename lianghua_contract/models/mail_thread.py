from odoo import _, models
from odoo.exceptions import AccessError


class LianghuaContractChatterMixin(models.AbstractModel):
    """Who speaks in the chatter of a contract's records.

    Odoo lets whoever follows a document post on it, and anyone who reads it
    may follow it, in their own name or in another's (``author_id``). On the
    records of a service contract, which many read and few may change (legal,
    leaders, finance, auditors, the department served, the vendor), a message
    is part of the record: those who may change it post, in their own name.
    The workflow (as superuser) posts for the others: review decisions,
    notices to the vendor.

    Listed before ``mail.thread`` in ``_inherit`` (its ``message_post`` comes
    first); ``agreement``, whose chatter comes with OCA's model, calls
    ``_lianghua_check_chatter`` from its own ``message_post``.
    """

    _name = "lianghua.contract.chatter.mixin"
    _description = "Contract Chatter"

    def _lianghua_chatter_records(self):
        """The records of ``self`` whose chatter only their writers use."""
        return self

    def _lianghua_check_chatter(self, author_id):
        records = self._lianghua_chatter_records()
        if not records or self.env.su:
            return
        records.check_access("write")
        if author_id and author_id != self.env.user.partner_id.id:
            raise AccessError(_("You post in your own name only."))

    def message_post(self, *, author_id=None, **kwargs):
        self._lianghua_check_chatter(author_id)
        return super().message_post(author_id=author_id, **kwargs)
