#!/usr/bin/env python3
"""Set up, run and test the Lianghua addons: the commands behind the Makefile.

Everything lives under the repository: the Python environment in ``.venv/`` and
the PostgreSQL cluster, Odoo's data directory, logs and configuration in
``.local/``. The only thing taken from the machine is an importable Odoo 18
(found on the PATH's python, or ``$LIANGHUA_PYTHON``); without one, the official
18.0 source is cloned from GitHub.

    python3 tools/lh.py run      # database ``lianghua`` with demo data, served on :8069
    python3 tools/lh.py test     # throwaway database, every test and tour
    python3 tools/lh.py bench    # benchmark against core models at 100k records
"""

import argparse
import hashlib
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"
LOG_DIR = LOCAL / "log"
CONF = LOCAL / "odoo.conf"

DB_NAME = os.environ.get("LIANGHUA_DB", "lianghua")
HTTP_PORT = int(os.environ.get("LIANGHUA_HTTP_PORT", "8069"))
PG_PORT = int(os.environ.get("LIANGHUA_PG_PORT", "5432"))
PG_ROLE = "lianghua"
LANGUAGES = "en_US,zh_CN,zh_TW"  # the first is the default of a new database
ODOO_GIT = "https://github.com/odoo/odoo.git"
REQUIREMENTS = ("requirements.txt", "requirements-test.txt")

# Debian package names of what the suite needs outside Python.
PDF_PACKAGES = {"wkhtmltopdf": "wkhtmltopdf", "CJK fonts": "fonts-noto-cjk"}
BROWSER_PACKAGES = {"chromium": "chromium"}
BROWSERS = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")

# Install-log lines that are not about our addons and that Odoo core prints on
# every fresh database; anything else at WARNING or above fails `make test`.
INSTALL_LOG_ALLOWED = ()


class SetupError(Exception):
    """A step of the set-up that cannot go on; the message says what to do."""


def say(msg):
    print(f"\033[1m==> {msg}\033[0m", flush=True)


def warn(msg):
    print(f"\033[33mwarning: {msg}\033[0m", file=sys.stderr, flush=True)


def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, **kw)


def addons():
    """Every lianghua_* addon of the repository, in name order."""
    return sorted(p.name for p in ROOT.glob("lianghua_*") if (p / "__manifest__.py").is_file())


TEST_ADDONS = ROOT / "tests" / "addons"


def test_addons():
    """Addons that exist for the tests only (an addon of the future, say,
    extending ours through their hooks): `make test` installs them beside
    ours, `make run` never does."""
    return sorted(p.name for p in TEST_ADDONS.glob("*") if (p / "__manifest__.py").is_file())


# ---------------------------------------------------------------------------
# Python: an Odoo 18 to build on, and our own virtual environment
# ---------------------------------------------------------------------------

PROBE = (
    "import sys, site, json, odoo.release as r;"
    "print(json.dumps({'odoo': list(r.version_info[:2]),"
    " 'py': list(sys.version_info[:2]),"
    " 'sites': site.getsitepackages() + [site.getusersitepackages()]}))"
)


def _probe(python):
    try:
        out = run([python, "-c", PROBE], capture_output=True, text=True, cwd="/", check=False)
    except OSError:
        return None
    if out.returncode:
        return None
    info = json.loads(out.stdout.strip().splitlines()[-1])
    if info["odoo"] != [18, 0] or not (3, 10) <= tuple(info["py"]) <= (3, 12):
        return None
    return info


def find_odoo_python():
    """A python that imports Odoo 18.0, with the site directories it uses."""
    names = (
        [os.environ.get("LIANGHUA_PYTHON")]
        if os.environ.get("LIANGHUA_PYTHON")
        else [
            "python3",
            "python3.12",
            "python3.11",
            "python3.10",
            "python",
        ]
    )
    for name in names:
        path = shutil.which(name) or (name if os.path.isfile(name) else None)
        if path and (info := _probe(path)):
            return path, info
    return None, None


def _plain_python():
    for name in ("python3.12", "python3.11", "python3.10", "python3"):
        path = shutil.which(name)
        if not path:
            continue
        out = run(
            [
                path,
                "-c",
                "import sys; print((3, 10) <= sys.version_info[:2] <= (3, 12))",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.stdout.strip() == "True":
            return path
    raise SetupError("Odoo 18 needs Python 3.10, 3.11 or 3.12; none is on the PATH.")


def _install_official_odoo():
    """No importable Odoo: clone the official 18.0 source into .local/."""
    src = Path(os.environ.get("LIANGHUA_ODOO_SRC", LOCAL / "odoo-src"))
    if not (src / "odoo" / "release.py").is_file():
        say(f"No importable Odoo 18 found: cloning the official 18.0 branch into {src}")
        src.parent.mkdir(parents=True, exist_ok=True)
        run(["git", "clone", "--depth", "1", "--branch", "18.0", ODOO_GIT, str(src)])
    base = _plain_python()
    _make_venv(base, sites=[])
    say("Installing Odoo 18.0 and its requirements into .venv")
    _pip("install", "-r", str(src / "requirements.txt"))
    _pip("install", "--config-settings", "editable_mode=compat", "-e", str(src))
    (VENV / ".lianghua-odoo").write_text(str(src))


def _make_venv(base, sites):
    if VENV.exists():
        shutil.rmtree(VENV)
    say(f"Creating .venv from {base}")
    run([base, "-m", "venv", str(VENV)])
    if sites:
        # Like --system-site-packages, but for whatever environment holds Odoo
        # (a virtualenv included): its site directories, .pth files and all.
        purelib = run(
            [str(VENV_PY), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        lines = [f"import site; site.addsitedir({d!r})" for d in sites if os.path.isdir(d)]
        Path(purelib, "_lianghua_odoo.pth").write_text("\n".join(lines) + "\n")
    (VENV / ".lianghua-base").write_text(base)


def _pip(*args):
    run([str(VENV_PY), "-m", "pip", "--disable-pip-version-check", *args])


def ensure_python():
    """.venv importing Odoo 18, with our requirements installed."""
    stamp = VENV / ".lianghua-base"
    own_odoo = (VENV / ".lianghua-odoo").is_file()
    if not own_odoo:
        base, info = find_odoo_python()
        if base is None:
            if VENV_PY.exists() and _probe(str(VENV_PY)):
                base = None  # the venv already carries the official source we cloned
            else:
                _install_official_odoo()
        elif not stamp.is_file() or stamp.read_text() != base or not _probe(str(VENV_PY)):
            _make_venv(base, info["sites"])
    digest = hashlib.sha256()
    for name in REQUIREMENTS:
        digest.update((ROOT / name).read_bytes())
    req_stamp = VENV / ".lianghua-requirements"
    if not req_stamp.is_file() or req_stamp.read_text() != digest.hexdigest():
        say("Installing Python requirements (OCA addons, test tools) into .venv")
        args = []
        for name in REQUIREMENTS:
            args += ["-r", str(ROOT / name)]
        _pip("install", *args)
        req_stamp.write_text(digest.hexdigest())
    if not _probe(str(VENV_PY)):
        raise SetupError(".venv does not import Odoo 18; remove .venv and try again.")


# ---------------------------------------------------------------------------
# Programs outside Python: wkhtmltopdf, CJK fonts, a browser for the tours
# ---------------------------------------------------------------------------


def _have(what):
    if what == "wkhtmltopdf":
        return bool(shutil.which("wkhtmltopdf"))
    if what == "CJK fonts":
        if not shutil.which("fc-list"):
            return False
        out = run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
        return bool(out.stdout.strip())
    if what == "chromium":
        return any(shutil.which(b) for b in BROWSERS)
    raise ValueError(what)


def _apt_install(packages):
    """Install Debian packages if this user may; return whether it worked."""
    if not shutil.which("apt-get"):
        return False
    if os.geteuid() == 0:
        prefix = []
    elif (
        shutil.which("sudo")
        and run(["sudo", "-n", "true"], check=False, capture_output=True).returncode == 0
    ):
        prefix = ["sudo", "-n"]
    else:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say(f"Installing {' '.join(packages)} with apt-get")
    cmd = [*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    if run(cmd, check=False, env=env).returncode == 0:
        return True
    run([*prefix, "apt-get", "update", "-q"], check=False, env=env)
    return run(cmd, check=False, env=env).returncode == 0


def ensure_programs(wanted, required):
    missing = {what: pkg for what, pkg in wanted.items() if not _have(what)}
    if missing:
        _apt_install(sorted(set(missing.values())))
        missing = {what: pkg for what, pkg in missing.items() if not _have(what)}
    if missing:
        msg = (
            f"missing {', '.join(missing)}; install them with: "
            f"sudo apt-get install {' '.join(sorted(set(missing.values())))}"
        )
        if required:
            raise SetupError(msg)
        warn(msg)


# ---------------------------------------------------------------------------
# PostgreSQL: a cluster of our own under .local/pg, reached by its socket only
# ---------------------------------------------------------------------------


class Cluster:
    def __init__(self):
        self.dir = LOCAL / "pg"
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.socket = self.dir / "run"
        if len(str(self.socket)) > 90:  # unix socket paths are limited to 107 bytes
            tag = hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]
            self.socket = Path(tempfile.gettempdir()) / f"lianghua-pg-{tag}"
        self.bindir = self._bindir()
        self.started_here = False
        # PostgreSQL refuses to run as root: as root, run it as an unprivileged user.
        self.user = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                break
            if not self.user:
                raise SetupError("Running as root, and no 'postgres' user to run PostgreSQL.")

    @staticmethod
    def _bindir():
        if os.environ.get("LIANGHUA_PG_BIN"):
            return Path(os.environ["LIANGHUA_PG_BIN"])
        found = shutil.which("pg_ctl")
        if found and shutil.which("initdb"):
            return Path(found).resolve().parent
        candidates = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
            key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        )
        if candidates:
            return candidates[-1].parent
        raise SetupError(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
            "sudo apt-get install postgresql"
        )

    def _as_owner(self, cmd):
        if not self.user:
            return cmd
        if shutil.which("runuser"):
            return ["runuser", "-u", self.user, "--", *cmd]
        return ["su", "-s", "/bin/sh", self.user, "-c", shlex.join(cmd)]

    def _own(self, path):
        path.mkdir(parents=True, exist_ok=True)
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def init(self):
        if (self.data / "PG_VERSION").is_file():
            return
        say(f"Creating a PostgreSQL cluster in {self.data}")
        LOCAL.mkdir(parents=True, exist_ok=True)
        self._own(self.dir)
        self._own(self.data)
        os.chmod(self.data, 0o700)
        if self.user:
            probe = run(self._as_owner(["test", "-w", str(self.data)]), check=False)
            if probe.returncode:
                raise SetupError(
                    f"User {self.user!r} cannot reach {self.data}: make the repository "
                    "readable by it, or run as an unprivileged user."
                )
        run(
            self._as_owner(
                [
                    str(self.bindir / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    PG_ROLE,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                    "--no-instructions",
                ]
            ),
            stdout=subprocess.DEVNULL,
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# Lianghua: local socket only, no TCP port to collide with.\n"
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{self.socket}'\n"
                "synchronous_commit = off\n"
            )

    def running(self):
        if not (self.data / "PG_VERSION").is_file():
            return False
        res = run(
            self._as_owner([str(self.bindir / "pg_ctl"), "status", "-D", str(self.data)]),
            check=False,
            capture_output=True,
        )
        return res.returncode == 0

    def start(self):
        self.init()
        self._own(self.socket)
        if self.running():
            return
        say("Starting PostgreSQL")
        res = run(
            self._as_owner(
                [
                    str(self.bindir / "pg_ctl"),
                    "start",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {PG_PORT}",
                ]
            ),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if res.returncode:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise SetupError(f"PostgreSQL did not start; its log ends with:\n{tail}")
        self.started_here = True

    def stop(self):
        if self.running():
            say("Stopping PostgreSQL")
            run(
                self._as_owner(
                    [str(self.bindir / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast", "-w"]
                ),
                check=False,
                stdout=subprocess.DEVNULL,
            )

    def psql(self, sql, db="postgres"):
        psql = self.bindir / "psql"
        psql = str(psql) if psql.exists() else "psql"
        res = run(
            [psql, "-h", str(self.socket), "-p", str(PG_PORT), "-U", PG_ROLE, "-d", db,
             "-v", "ON_ERROR_STOP=1", "-tAc", sql],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if res.returncode:
            raise SetupError(f"psql on {db!r} failed: {res.stderr.strip()}")
        return [line for line in res.stdout.splitlines() if line]

    def has_db(self, name):
        return bool(self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))

    def drop_db(self, name):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------------------
# Odoo
# ---------------------------------------------------------------------------


def write_config(cluster, http_port=HTTP_PORT, test_addons_path=False):
    """Odoo's configuration for this checkout, written anew each time (with
    the addons of tests/addons/ for `make test`)."""
    core = run(
        [
            str(VENV_PY),
            "-c",
            "import os, odoo; print('\\n'.join(os.path.realpath(os.path.join(p, d))"
            " for p in odoo.__path__ for d in ('addons', '../addons')"
            " if os.path.isdir(os.path.join(p, d))))",
        ],
        capture_output=True,
        text=True,
        cwd="/",
    ).stdout.split()
    paths = [str(ROOT), *([str(TEST_ADDONS)] if test_addons_path else []), *dict.fromkeys(core)]
    secret = LOCAL / "admin_passwd"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(24))
        secret.chmod(0o600)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    CONF.write_text(
        "[options]\n"
        f"addons_path = {','.join(paths)}\n"
        f"data_dir = {LOCAL / 'data'}\n"
        f"db_host = {cluster.socket}\n"
        f"db_port = {PG_PORT}\n"
        f"db_user = {PG_ROLE}\n"
        "db_password = False\n"
        f"http_port = {http_port}\n"
        "list_db = False\n"
        f"admin_passwd = {secret.read_text().strip()}\n"
        "max_cron_threads = 1\n"
    )


def odoo_cmd(*args):
    return [str(VENV_PY), "-m", "odoo", "-c", str(CONF), *args]


def install(cluster, db, modules, demo, logfile):
    """Create ``db`` with ``modules`` (and our languages); return the log's path."""
    cmd = odoo_cmd(
        "-d",
        db,
        "-i",
        ",".join(modules),
        "--load-language",
        LANGUAGES,
        "--stop-after-init",
        "--log-level=info",
        f"--logfile={logfile}",
        "--no-http",
    )
    if not demo:
        cmd.append("--without-demo=all")
    logfile.unlink(missing_ok=True)
    res = run(cmd, check=False)
    if res.returncode:
        raise SetupError(f"Installing {', '.join(modules)} failed; see {logfile}")
    return logfile


def create_chinese_db(cluster, db, logfile):
    """A new demo database ``db`` whose company is in China, in CNY, with
    the Chinese chart of accounts (see tools/chinese_company.sql and
    tools/chinese_company_after.sql)."""
    install(cluster, db, ["base"], demo=True, logfile=logfile)
    cluster.psql((ROOT / "tools" / "chinese_company.sql").read_text(), db=db)
    install(cluster, db, ["l10n_cn"], demo=True, logfile=logfile)
    cluster.psql((ROOT / "tools" / "chinese_company_after.sql").read_text(), db=db)


def install_log_problems(logfile):
    """Lines at WARNING or above in an install log (tracebacks included)."""
    problems, keep = [], False
    entry = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
    for line in Path(logfile).read_text(errors="replace").splitlines():
        match = entry.match(line)
        if match:
            keep = match.group(1) in ("WARNING", "ERROR", "CRITICAL") and not any(
                allowed in line for allowed in INSTALL_LOG_ALLOWED
            )
        if keep:
            problems.append(line)
    return problems


def demo_logins(cluster):
    """(login, roles) of the demo users our addons create; password = login.

    A role is shown unless another role of the user implies it.
    """
    rows = cluster.psql(
        """
        WITH ours AS (
            SELECT r.uid, g.id AS gid, COALESCE(g.name->>'en_US', g.name::text) AS name
              FROM res_groups_users_rel r
              JOIN res_groups g ON g.id = r.gid
              JOIN ir_model_data gd ON gd.model = 'res.groups' AND gd.res_id = g.id
                                   AND gd.module LIKE 'lianghua%'
        )
        SELECT u.login, string_agg(o.name, ', ' ORDER BY o.gid)
          FROM ir_model_data d
          JOIN res_users u ON u.id = d.res_id
          JOIN ours o ON o.uid = u.id
         WHERE d.model = 'res.users' AND d.module LIKE 'lianghua%' AND u.active
           AND NOT EXISTS (SELECT 1 FROM ours other
                             JOIN res_groups_implied_rel i ON i.gid = other.gid AND i.hid = o.gid
                            WHERE other.uid = u.id)
         GROUP BY u.id, u.login ORDER BY u.id
        """,
        db=DB_NAME,
    )
    portal = cluster.psql(
        """
        SELECT u.login
          FROM ir_model_data d
          JOIN res_users u ON u.id = d.res_id
          JOIN res_groups_users_rel r ON r.uid = u.id
          JOIN ir_model_data gd ON gd.model = 'res.groups' AND gd.res_id = r.gid
                               AND gd.module = 'base' AND gd.name = 'group_portal'
         WHERE d.model = 'res.users' AND d.module LIKE 'lianghua%' AND u.active
         ORDER BY u.id
        """,
        db=DB_NAME,
    )
    return [row.split("|", 1) for row in rows] + [
        [login, "Portal (external partner)"] for login in portal
    ]


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


def setup(browser=False, pdf_required=False):
    ensure_python()
    ensure_programs(PDF_PACKAGES, required=pdf_required)
    if browser:
        ensure_programs(BROWSER_PACKAGES, required=True)
    cluster = Cluster()
    cluster.start()
    return cluster


def cmd_run(args):
    cluster = setup()
    try:
        write_config(cluster)
        mods = addons()
        if not cluster.has_db(DB_NAME):
            say(f"Creating database {DB_NAME!r} with {', '.join(mods)} and demo data")
            create_chinese_db(cluster, DB_NAME, logfile=LOG_DIR / "install-base.log")
            install(cluster, DB_NAME, mods, demo=True, logfile=LOG_DIR / "install.log")
        else:
            installed = set(
                cluster.psql(
                    "SELECT name FROM ir_module_module WHERE state = 'installed'", db=DB_NAME
                )
            )
            missing = [m for m in mods if m not in installed]
            if missing:
                say(f"Installing {', '.join(missing)} into {DB_NAME!r}")
                install(cluster, DB_NAME, missing, demo=True, logfile=LOG_DIR / "install.log")
            elif args.update:
                say(f"Updating {', '.join(mods)} in {DB_NAME!r}")
                res = run(
                    odoo_cmd("-d", DB_NAME, "-u", ",".join(mods), "--stop-after-init", "--no-http"),
                    check=False,
                )
                if res.returncode:
                    raise SetupError("Updating the addons failed.")
        url = f"http://localhost:{HTTP_PORT}"
        print()
        say(f"Lianghua is starting on {url}  (Ctrl-C stops it; the data stays in .local/)")
        print("    login            password         role")
        print(f"    {'admin':<16} {'admin':<16} Administrator")
        for login, roles in demo_logins(cluster):
            print(f"    {login:<16} {login:<16} {roles}")
        print(flush=True)
        proc = subprocess.Popen(odoo_cmd("-d", DB_NAME, f"--db-filter=^{DB_NAME}$"))
        try:
            return proc.wait()
        except KeyboardInterrupt:
            # Ctrl-C reached Odoo too (same process group); a second SIGINT
            # would force its shutdown, so send one only if it did not stop.
            for action in (None, signal.SIGINT, signal.SIGKILL):
                if action:
                    proc.send_signal(action)
                try:
                    proc.wait(timeout=15)
                    break
                except subprocess.TimeoutExpired:
                    continue
            return 0
    finally:
        if cluster.started_here:
            cluster.stop()


def test_paths(selected):
    if selected:
        return selected
    paths = [f"{a}/tests" for a in addons() if (ROOT / a / "tests").is_dir()]
    if (ROOT / "tests").is_dir():
        paths.append("tests")
    return paths


def cmd_test(args):
    global CONF  # a configuration of its own: `make run` may be serving meanwhile
    cluster = setup(browser=True, pdf_required=True)
    db = f"lianghua_test_{os.getpid()}"
    CONF = LOCAL / f"odoo-{db}.conf"
    try:
        write_config(cluster, http_port=HTTP_PORT + 100, test_addons_path=True)
        mods = addons() + test_addons()
        say(f"Installing {', '.join(mods)} into throwaway database {db!r} (no demo data)")
        started = time.time()
        logfile = install(cluster, db, mods, demo=False, logfile=LOG_DIR / "test-install.log")
        problems = install_log_problems(logfile)
        say(f"Installed in {time.time() - started:.0f}s; log: {logfile.relative_to(ROOT)}")
        if problems:
            print("\n".join(problems))
            print(
                f"\nThe install log has {len(problems)} warning/error line(s); "
                "fix them (or explain them in INSTALL_LOG_ALLOWED)."
            )
        env = dict(os.environ, LIANGHUA_INSTALL_LOG=str(logfile))
        cmd = [
            str(VENV_PY),
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"--odoo-config={CONF}",
            f"--odoo-database={db}",
            "--odoo-http",
            "--odoo-log-level=warn",
            "-ra",
            f"--junitxml={LOCAL / 'test-results.xml'}",
            *args.pytest_args,
            *test_paths(args.paths),
        ]
        say("Running the tests and tours")
        code = run(cmd, check=False, cwd=ROOT, env=env).returncode
        return code or (1 if problems else 0)
    finally:
        if os.environ.get("LIANGHUA_KEEP_DB"):
            say(f"Keeping database {db!r} (LIANGHUA_KEEP_DB is set; configuration {CONF})")
        else:
            cluster.drop_db(db)
            shutil.rmtree(LOCAL / "data" / "filestore" / db, ignore_errors=True)
            CONF.unlink(missing_ok=True)
        if cluster.started_here:
            cluster.stop()


def cmd_bench(args):
    cluster = setup()
    db = "lianghua_bench"
    try:
        write_config(cluster, http_port=HTTP_PORT + 200)
        if not cluster.has_db(db) or args.fresh:
            cluster.drop_db(db)
            say(f"Installing {', '.join(addons())} into {db!r} (no demo data)")
            install(cluster, db, addons(), demo=False, logfile=LOG_DIR / "bench-install.log")
        else:
            say(f"Updating {', '.join(addons())} in {db!r} (its records are kept)")
            res = run(
                odoo_cmd("-d", db, "-u", ",".join(addons()), "--stop-after-init", "--no-http",
                         f"--logfile={LOG_DIR / 'bench-update.log'}"),
                check=False,
            )  # fmt: skip
            if res.returncode:
                raise SetupError(f"Updating {db!r} failed; see {LOG_DIR / 'bench-update.log'}")
        cmd = [
            str(VENV_PY),
            str(ROOT / "tests" / "bench" / "run_bench.py"),
            "--config",
            str(CONF),
            "--database",
            db,
            "--records",
            str(args.records),
            "--analytic-lines",
            str(args.analytic_lines),
        ]
        return run(cmd, check=False, cwd=ROOT).returncode
    finally:
        if cluster.started_here:
            cluster.stop()


def cmd_setup(args):
    if args.python_only:
        ensure_python()
        return
    cluster = setup(browser=args.browser)
    write_config(cluster)
    say(f"Ready: {VENV_PY} imports Odoo; PostgreSQL socket in {cluster.socket}")
    if cluster.started_here:
        cluster.stop()


def cmd_odoo(args):
    """Odoo itself with this checkout's configuration (for i18n export, shells...)."""
    cluster = setup()
    try:
        write_config(cluster)
        return run(odoo_cmd(*args.odoo_args), check=False).returncode
    finally:
        if cluster.started_here:
            cluster.stop()


def cmd_db_stop(args):
    Cluster().stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="serve the demo database on http://localhost:8069")
    p.add_argument("--update", action="store_true", help="update our addons first")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("test", help="run every test and tour on a throwaway database")
    p.add_argument("paths", nargs="*", help="test files or folders (default: all)")
    p.add_argument("--pytest-args", dest="pytest_args", default=[], type=shlex.split)
    p.set_defaults(func=cmd_test)
    p = sub.add_parser("bench", help="benchmark against core models")
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument(
        "--analytic-lines", type=int, default=1_000_000, help="analytic lines of the budget"
    )
    p.add_argument("--fresh", action="store_true", help="rebuild the benchmark database")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("setup", help="only prepare .venv and PostgreSQL")
    p.add_argument("--browser", action="store_true", help="also a browser for the tours")
    p.add_argument("--python-only", action="store_true", help="only .venv (for the linters)")
    p.set_defaults(func=cmd_setup)
    p = sub.add_parser("odoo", help="odoo with this checkout's configuration")
    p.add_argument("odoo_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_odoo)
    p = sub.add_parser("db-stop", help="stop the PostgreSQL cluster")
    p.set_defaults(func=cmd_db_stop)
    argv = sys.argv[1:]
    if argv[:1] == ["odoo"]:  # everything after it is Odoo's
        args = parser.parse_args(["odoo"])
        args.odoo_args = argv[1:]
    else:
        args = parser.parse_args(argv)
    try:
        sys.exit(args.func(args) or 0)
    except SetupError as err:
        print(f"\033[31merror: {err}\033[0m", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
