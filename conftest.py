"""pytest hooks for the whole suite (run through ``make test``).

A skipped test is a failure here: Odoo skips browser tours silently when
Chrome or websocket-client is missing, and a test that did not run proved
nothing. The run ends with one line: ``N passed, N failed``.
"""

import pytest

from odoo.tools import config

# Import Odoo's test framework in test mode, before pytest-odoo does it outside
# of it (which logs a scary "Importing test framework" error and traceback).
# pytest-odoo then keeps test mode off while the registry loads, as it must.
config["test_enable"] = True
import odoo.tests  # noqa: E402, F401

config["test_enable"] = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, which counts as a failure: {reason}"


def pytest_terminal_summary(terminalreporter):
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    failed = sum(len(stats.get(key, [])) for key in ("failed", "error", "skipped", "xpassed"))
    terminalreporter.write_line(
        f"{passed} passed, {failed} failed", bold=True, red=bool(failed), green=not failed
    )
