"""Checks that hold for every Lianghua addon, present and future.

Each addon is found on disk (every ``lianghua_*`` folder of the repository) and
in the database ``make test`` built, where all of them are installed.
"""

import ast
import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.name for p in ROOT.glob("lianghua_*") if (p / "__manifest__.py").is_file())
LANGUAGES = ("zh_CN", "zh_TW")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
TAG = re.compile(r"<[^>]+>")


@tagged("post_install", "-at_install")
class TestSuiteConventions(TransactionCase):
    def test_addons_are_found_and_installed(self):
        self.assertIn("lianghua_service", ADDONS)
        installed = self.env["ir.module.module"].search(
            [("name", "in", ADDONS), ("state", "=", "installed")]
        )
        self.assertEqual(sorted(installed.mapped("name")), ADDONS)

    def test_manifests(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
                self.assertRegex(manifest["version"], r"^18\.0\.\d+\.\d+\.\d+$")
                self.assertEqual(manifest["license"], "AGPL-3")
                self.assertEqual(manifest["author"], "Lianghua")
                self.assertTrue((ROOT / addon / "readme" / "DESCRIPTION.md").is_file())
                self.assertTrue((ROOT / addon / "static" / "description" / "icon.png").is_file())

    def test_every_view_of_an_action_is_designed(self):
        """A window action shows the views our addons designed for it, never
        the bare ones Odoo makes up for a missing type."""
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.actions.act_window")]
        )
        actions = self.env["ir.actions.act_window"].browse(data.mapped("res_id"))
        self.assertTrue(actions)
        View = self.env["ir.ui.view"]
        for action in actions:
            for view_type in action.view_mode.split(","):
                with self.subTest(action=action.name, view_type=view_type):
                    self.assertTrue(
                        View.search_count(
                            [("model", "=", action.res_model), ("type", "=", view_type)]
                        ),
                        f"{action.res_model} has no {view_type} view",
                    )
                    self.env[action.res_model].get_views([(False, view_type)])

    def _our_models(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(data.mapped("res_id"))
        # (extensions of other addons' models, like tier.review, are theirs)
        return models.filtered(
            lambda m: (
                m.model.startswith("lianghua.")
                and not m.transient
                and not self.env[m.model]._abstract
            )
        )

    def test_every_model_has_access_rights_and_company_rules(self):
        models = self._our_models()
        self.assertTrue(models)
        for model in models:
            with self.subTest(model=model.model):
                self.assertTrue(model.access_ids, "no ir.model.access")
                if "company_id" in self.env[model.model]._fields:
                    self.assertTrue(
                        model.rule_ids.filtered("global"), "no multi-company (global) rule"
                    )

    def test_auditors_read_everything_and_write_nothing(self):
        auditor = self.env.ref("lianghua_service.group_lianghua_auditor")
        for model in self._our_models():
            with self.subTest(model=model.model):
                access = model.access_ids.filtered(lambda a, g=auditor: a.group_id == g)
                self.assertTrue(access.perm_read, "auditors cannot read")
                self.assertFalse(
                    any(
                        access.mapped("perm_write")
                        + access.mapped("perm_create")
                        + access.mapped("perm_unlink")
                    ),
                    "auditors can change it",
                )

    def test_translations_are_complete(self):
        """Every term Odoo would export is in zh_CN.po and zh_TW.po, translated."""
        for addon in ADDONS:
            terms = {
                source
                for __, __, __, __, source, __, __ in TranslationModuleReader(
                    self.env.cr, modules=[addon]
                )
            }
            self.assertTrue(terms, addon)
            for lang in LANGUAGES:
                with self.subTest(addon=addon, lang=lang):
                    path = ROOT / addon / "i18n" / f"{lang}.po"
                    self.assertTrue(path.is_file(), f"{path} is missing")
                    catalog = {entry.msgid: entry for entry in polib.pofile(str(path))}
                    missing = sorted(terms - set(catalog))
                    self.assertFalse(missing, f"{len(missing)} terms not in {path.name}")
                    for msgid in terms:
                        entry = catalog[msgid]
                        self.assertTrue(entry.msgstr, f"untranslated: {msgid!r}")
                        self.assertNotIn("fuzzy", entry.flags, msgid)
                        self.assertEqual(
                            sorted(PLACEHOLDER.findall(entry.msgstr)),
                            sorted(PLACEHOLDER.findall(msgid)),
                            msgid,
                        )
                        self.assertEqual(
                            sorted(TAG.findall(entry.msgstr)), sorted(TAG.findall(msgid)), msgid
                        )
