#!/usr/bin/env python3
"""Take the README's screenshots from the running demo (``make run``).

Drives a headless Chromium through the DevTools protocol (websocket-client is a
test requirement), logged in as the demo users, and writes PNG files into
docs/screenshots/. The request form PDF is printed by Odoo and its first page
turned into a PNG with pdftoppm (poppler-utils), when available.

    make run            # in another shell
    make screenshots
"""

import argparse
import base64
import http.cookiejar
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# (file, login, action, record): an action of our addons, opened on the demo
# record of that xml id (or on its default view when there is none); ids
# without a module are lianghua_service's.
SHOTS = [
    ("requests-kanban.png", "admin", "lianghua_request_action", None),
    ("request-approval.png", "leader", "lianghua_request_action_to_approve", "request_trade_fair"),
    ("evaluation.png", "itmanager", "lianghua_evaluation_action", "evaluation_equipment_data"),
    ("demand-consolidation.png", "admin", "lianghua_demand_item_action_consolidation", None),
    ("demand-list.png", "manager", "lianghua_demand_list_action", "demand_list_sales"),
    ("plan.png", "admin", "lianghua_plan_action", "plan_oa_mobile"),
    ("projects.png", "it", "lianghua_project_action", None),
    ("meeting.png", "it", "lianghua_meeting_action", "meeting_crm_1"),
    ("change-request.png", "admin", "lianghua_change_request_action", "change_crm_photos"),
    ("acceptance.png", "manager2", "lianghua_acceptance_action", "acceptance_oa_1"),
    ("systems.png", "itmanager", "lianghua_system_action", None),
    ("system.png", "itmanager", "lianghua_system_action", "system_erp"),
    ("tickets.png", "it", "lianghua_ticket_action", None),
    ("ticket-complex.png", "it", "lianghua_ticket_action", "ticket_erp_mrp_shortage"),
    ("availability.png", "leader", "lianghua_system_availability_action", None),
    ("maintenance-ticket.png", "it", "lianghua_ticket_action", "ticket_maintenance_erp_restore"),
    ("contracts.png", "itmanager", "lianghua_contract.lianghua_contract_action", None),
    (
        "contract-review.png",
        "legal",
        "lianghua_contract.lianghua_contract_action_to_review",
        "lianghua_contract.contract_network_om",
    ),
    (
        "contract.png",
        "itmanager",
        "lianghua_contract.lianghua_contract_action",
        "lianghua_contract.contract_erp_om",
    ),
    (
        "contract-breach.png",
        "itmanager",
        "lianghua_contract.lianghua_contract_breach_action",
        "lianghua_contract.breach_erp_storage",
    ),
    (
        "contract-payments.png",
        "finance",
        "lianghua_contract.lianghua_contract_milestone_action",
        None,
    ),
    (
        "cost-budget.png",
        "finmanager",
        "lianghua_cost.lianghua_cost_budget_action",
        "lianghua_cost.budget_erp_upgrade",
    ),
    ("cost-report.png", "finmanager", "lianghua_cost.lianghua_cost_report_action", None),
    (
        "cost-overrun.png",
        "itmanager",
        "lianghua_cost.lianghua_cost_overrun_action",
        "lianghua_cost.overrun_erp_servers",
    ),
    ("risk-register.png", "itmanager", "lianghua_risk.lianghua_risk_action", None),
    ("risk.png", "it", "lianghua_risk.lianghua_risk_action", "lianghua_risk.risk_crm_testers"),
    ("risk-heat-map.png", "leader", "lianghua_risk.lianghua_risk_heat_map_action", None),
    ("risk-warnings.png", "itmanager", "lianghua_risk.lianghua_risk_warning_action", None),
]
# (file, login, path): pages of the portal.
PAGES = [
    ("portal-contracts.png", "partner", "/my/contracts"),
]
# (file, login, report, record): printed by Odoo, first page as PNG.
REPORTS = [
    ("request-form-pdf.png", "leader", "report_lianghua_request", "request_trade_fair"),
    ("acceptance-report-pdf.png", "manager2", "report_lianghua_acceptance", "acceptance_oa_1"),
    (
        "contract-pdf.png",
        "itmanager",
        "agreement_legal.report_agreement_document",
        "lianghua_contract.contract_erp_om",
    ),
]
MODULE = "lianghua_service"


class Odoo:
    def __init__(self, url, db):
        self.url, self.db = url.rstrip("/"), db

    def session(self, login):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self._rpc(
            opener, "/web/session/authenticate", {"db": self.db, "login": login, "password": login}
        )  # demo: password = login
        return opener, next(c.value for c in jar if c.name == "session_id")

    def _rpc(self, opener, route, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        req = urllib.request.Request(self.url + route, body, {"Content-Type": "application/json"})
        reply = json.loads(opener.open(req, timeout=60).read())
        if "error" in reply:
            raise RuntimeError(f"{route}: {reply['error']['data']['message']}")
        return reply["result"]

    def xmlid(self, opener, xmlid):
        module, name = xmlid.split(".")
        rows = self._rpc(
            opener,
            "/web/dataset/call_kw/ir.model.data/search_read",
            {
                "model": "ir.model.data",
                "method": "search_read",
                "args": [[("module", "=", module), ("name", "=", name)], ["res_id"]],
                "kwargs": {},
            },
        )
        return rows[0]["res_id"]


class Browser:
    def __init__(self, width, height):
        exe = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
        if not exe:
            sys.exit("No Chromium found (apt-get install chromium).")
        self.profile = tempfile.mkdtemp(prefix="lianghua-shots-")
        self.proc = subprocess.Popen(
            [
                exe,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            self.ws = self._connect()
        except Exception:
            self.proc.kill()
            raise
        self.msg_id = 0
        self.send("Page.enable")
        self.send("Network.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _connect(self):
        for line in self.proc.stderr:
            if "DevTools listening on" in line:
                port = line.rsplit(":", 1)[1].split("/")[0]
                break
        else:
            raise RuntimeError("Chromium did not start its DevTools server.")
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json").read())
        page = next(t for t in targets if t["type"] == "page")
        return websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)

    def send(self, method, **params):
        self.msg_id += 1
        self.ws.send(json.dumps({"id": self.msg_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression):
        return (
            self.send("Runtime.evaluate", expression=expression, returnByValue=True)
            .get("result", {})
            .get("value")
        )

    def shoot(self, url, cookie, host, path, settle=2.5):
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=cookie, domain=host, path="/")
        self.send("Page.navigate", url=url)
        deadline = time.time() + 60
        ready = (
            "(document.querySelector('.o_action_manager .o_view_controller') || "
            # a client action (the risk heat map) renders its content once loaded
            "document.querySelector('.o_action_manager .o_content') || "
            "document.querySelector('.o_portal_wrap, #wrap')) && "
            "!document.querySelector('.o_loading_indicator, .o_blockUI')"
        )
        while time.time() < deadline and not self.evaluate(ready):
            time.sleep(0.3)
        time.sleep(settle)
        # Passing notifications (a page-outdated toast after an update, say)
        # are not what the picture is about.
        self.evaluate("document.querySelectorAll('.o_notification').forEach((n) => n.remove())")
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def _qualified(xmlid):
    return xmlid if "." in xmlid else f"{MODULE}.{xmlid}"


def print_reports(odoo, admin, wanted):
    """First page of each PDF of REPORTS, as printed for its user."""
    if not shutil.which("pdftoppm"):
        print("pdftoppm not found (apt-get install poppler-utils): no PDF screenshots")
        return
    for filename, login, report, record in filter(lambda report: wanted(report[0]), REPORTS):
        record_id = odoo.xmlid(admin, _qualified(record))
        opener, __ = odoo.session(login)
        url = f"{odoo.url}/report/pdf/{_qualified(report)}/{record_id}"
        pdf = opener.open(url, timeout=120).read()
        out = OUT / filename
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "doc.pdf").write_bytes(pdf)
            cmd = ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"]
            subprocess.run([*cmd, str(Path(tmp, "doc.pdf")), str(out.with_suffix(""))], check=True)
        print(f"  {out.relative_to(ROOT)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("LIANGHUA_URL", "http://localhost:8069"))
    parser.add_argument("--db", default=os.environ.get("LIANGHUA_DB", "lianghua"))
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=860)
    parser.add_argument(
        "--only", nargs="*", default=(), help="take only the files whose names contain one of these"
    )
    args = parser.parse_args()

    def wanted(filename):
        return not args.only or any(part in filename for part in args.only)

    odoo = Odoo(args.url, args.db)
    host = urllib.parse.urlparse(odoo.url).hostname
    OUT.mkdir(parents=True, exist_ok=True)
    browser = Browser(args.width, args.height)
    admin, __ = odoo.session("admin")  # ir.model.data is for administrators
    try:
        for filename, login, action, record in filter(lambda shot: wanted(shot[0]), SHOTS):
            path = f"/odoo/action-{_qualified(action)}"
            if record:
                path += f"/{odoo.xmlid(admin, _qualified(record))}"
            __, cookie = odoo.session(login)
            browser.shoot(odoo.url + path, cookie, host, OUT / filename)
            print(f"  {(OUT / filename).relative_to(ROOT)}")
        for filename, login, path in filter(lambda page: wanted(page[0]), PAGES):
            __, cookie = odoo.session(login)
            browser.shoot(odoo.url + path, cookie, host, OUT / filename)
            print(f"  {(OUT / filename).relative_to(ROOT)}")
    finally:
        browser.close()
    print_reports(odoo, admin, wanted)


if __name__ == "__main__":
    main()
