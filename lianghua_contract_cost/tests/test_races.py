"""Two IT users press Settle on the same contract at the same moment: one
settlement.

As in lianghua_contract's race tests, the scenario commits its records in
real cursors and removes them afterwards; cursor B takes its snapshot before
cursor A commits, so B's own check cannot see A's settlement.
"""

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.lianghua_contract.tests.common import ensure_chart

CONTEXT = {"lang": "en_US", "tracking_disable": True, "mail_notrack": True}


@tagged("post_install", "-at_install")
class TestSettlementRaces(TransactionCase):
    def _cursor_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _signed_contract(self):
        with self.registry.cursor() as cr:
            env = self._cursor_env(cr)
            ensure_chart(env, env.company)
            vendor = env["res.partner"].create({"name": "Race vendor", "is_company": True})
            contract = env["agreement"].create(
                {
                    "name": "Race contract",
                    "lianghua_kind": "outsourcing",
                    "lianghua_contract_type": "om",
                    "partner_id": vendor.id,
                    "lianghua_amount": 1000,
                    "start_date": "2026-01-01",
                    "end_date": "2026-12-31",
                    "lianghua_state": "signed",
                }
            )
            ids = {"vendor": vendor.id, "contract": contract.id}
        self.addCleanup(self._remove, ids)
        return ids

    def _remove(self, ids):
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "DELETE FROM lianghua_contract_settlement WHERE agreement_id = %s",
                    ids["contract"],
                )
            )
            cr.execute(SQL("DELETE FROM agreement WHERE id = %s", ids["contract"]))
            cr.execute(SQL("DELETE FROM res_partner WHERE id = %s", ids["vendor"]))

    def _count(self, query):
        with self.registry.cursor() as cr:
            cr.execute(query)
            return cr.fetchone()[0]

    def test_a_contract_is_settled_once(self):
        ids = self._signed_contract()

        def settle(env):
            env["agreement"].browse(ids["contract"]).action_lianghua_settle()

        cr_b = self.registry.cursor()
        self.addCleanup(cr_b.close)
        cr_b.execute("SELECT 1")  # B's snapshot: before A commits
        with self.registry.cursor() as cr_a:
            settle(self._cursor_env(cr_a))
        with self.assertRaisesRegex(ValidationError, "settled once"):
            settle(self._cursor_env(cr_b))
        cr_b.rollback()
        self.assertEqual(
            self._count(
                SQL(
                    "SELECT count(*) FROM lianghua_contract_settlement WHERE agreement_id = %s",
                    ids["contract"],
                )
            ),
            1,
        )
