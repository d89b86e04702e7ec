"""Two users at the same moment: a contract is renewed once, a payment billed once.

As in lianghua_service's race tests, each scenario commits its records in
real cursors and removes them afterwards; cursor B takes its snapshot before
cursor A commits, so B's own checks cannot see A's work.
"""

import psycopg2

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from .common import ensure_chart

CONTEXT = {"lang": "en_US", "tracking_disable": True, "mail_notrack": True}


@tagged("post_install", "-at_install")
class TestContractRaces(TransactionCase):
    def _cursor_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _signed_contract(self):
        """A signed contract with a payment due today, committed."""
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
                    "lianghua_milestone_ids": [
                        Command.create(
                            {"name": "Advance", "amount_type": "fixed", "amount": 1000,
                             "condition": "date", "date_planned": "2026-01-01",
                             "state": "due"}
                        )
                    ],
                }
            )  # fmt: skip
            ids = {"vendor": vendor.id, "contract": contract.id}
        self.addCleanup(self._remove, ids)
        return ids

    def _remove(self, ids):
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT id FROM account_move WHERE agreement_id IN "
                    "(SELECT id FROM agreement WHERE id = %(id)s OR lianghua_previous_id = %(id)s)",
                    id=ids["contract"],
                )
            )
            moves = [row[0] for row in cr.fetchall()]
            if moves:
                cr.execute(
                    SQL("DELETE FROM lianghua_contract_milestone WHERE move_id = ANY(%s)", moves)
                )
                cr.execute(SQL("DELETE FROM account_move WHERE id = ANY(%s)", moves))
            cr.execute(
                SQL("DELETE FROM agreement WHERE lianghua_previous_id = %s", ids["contract"])
            )
            cr.execute(SQL("DELETE FROM agreement WHERE id = %s", ids["contract"]))
            cr.execute(SQL("DELETE FROM res_partner WHERE id = %s", ids["vendor"]))

    def _count(self, query):
        with self.registry.cursor() as cr:
            cr.execute(query)
            return cr.fetchone()[0]

    def test_a_contract_is_renewed_once(self):
        """Two IT users press Renew at once: one renewal."""
        ids = self._signed_contract()
        cr_b = self.registry.cursor()
        self.addCleanup(cr_b.close)
        cr_b.execute("SELECT 1")  # B's snapshot: before A commits
        with self.registry.cursor() as cr_a:
            self._cursor_env(cr_a)["agreement"].browse(ids["contract"]).action_renew()
        env_b = self._cursor_env(cr_b)
        with self.assertRaisesRegex(ValidationError, "renewed once"):
            env_b["agreement"].browse(ids["contract"]).action_renew()
        cr_b.rollback()
        self.assertEqual(
            self._count(
                SQL(
                    "SELECT count(*) FROM agreement WHERE lianghua_previous_id = %s",
                    ids["contract"],
                )
            ),
            1,
        )

    def test_a_payment_is_billed_once(self):
        """IT and finance press Bill at once: one bill, the other refused."""
        ids = self._signed_contract()

        def bill(env):
            env["agreement"].browse(ids["contract"]).lianghua_milestone_ids.action_bill()
            env.flush_all()

        cr_b = self.registry.cursor()
        self.addCleanup(cr_b.close)
        cr_b.execute("SELECT 1")
        with self.registry.cursor() as cr_a:
            bill(self._cursor_env(cr_a))
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.SerializationFailure),
        ):
            bill(self._cursor_env(cr_b))
        cr_b.rollback()
        self.assertEqual(
            self._count(
                SQL("SELECT count(*) FROM account_move WHERE agreement_id = %s", ids["contract"])
            ),
            1,
        )
