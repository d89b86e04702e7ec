from odoo import _, models
from odoo.exceptions import UserError


class LianghuaLineMixin(models.AbstractModel):
    """A line of a Lianghua document (items, members, issues...) stays in the
    document it was created in: moved, it would skip the checks of the
    document it lands in (filed, approved, recorded)."""

    _name = "lianghua.line.mixin"
    _description = "Lianghua Document Line"
    _inherit = ["lianghua.document.mixin"]
    # The many2one to the document, set by each line model.
    _document_field = None

    def write(self, vals):
        field = self._document_field
        if (
            not self.env.su
            and field in vals
            and any(line[field].id != vals[field] for line in self)
        ):
            raise UserError(
                _(
                    "A line of %(document)s stays in it: create a new line where it belongs.",
                    document=self[:1][field].display_name,
                )
            )
        return super().write(vals)
