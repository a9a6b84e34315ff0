"""`make bench`: the load benchmark.

For each data-set size (large, then small) it creates a throw-away database,
migrates it, builds the data set (bench/data.py), starts the app under
gunicorn with production settings, signs in like a browser and an API
client, counts each target's queries in-process, and measures every target
of bench/targets.py for a fixed time with wrk, after a warm-up, between two
measurements of a bare Django view on the same server. Then it drops the
database and prints one table, also written to bench/RESULTS.md and
bench/results.json.

Options (environment): BENCH_DURATION (seconds per target, 8),
BENCH_CONNECTIONS (16), BENCH_WARMUP (seconds, 2), BENCH_TIMEOUT (seconds a
request may take, 10), BENCH_SIZES ("large,small"), BENCH_TARGETS (words of
target names or kinds, comma-separated; all by default), BENCH_KEEP_DB (1:
keep the databases), BENCH_DB (sqlite: SQLite files instead of PostgreSQL),
DATABASE_URL (the PostgreSQL server and the databases' name prefix; the
default is postgres://postgres@127.0.0.1:5432/fieldbook_bench).
"""

import datetime as dt
import json
import logging
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import requests

from . import report
from .data import SIZES
from .queries import dump_requests
from .targets import BARE_TARGET, INGEST, PDF_FIRST, Client, select

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/fieldbook_bench"
DATABASE_MARK = "Fieldbook load benchmark: throw-away database"
WORKERS = 2
# How many different requests to prepare per second of run, for targets
# whose every request must differ.
POOL_PER_SECOND = {INGEST: 1000, PDF_FIRST: 60}
JWT_MAX_AGE = 5 * 60

logger = logging.getLogger("bench")


def _env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


@dataclass
class Options:
    duration: int = field(default_factory=lambda: _env_int("BENCH_DURATION", 8))
    connections: int = field(default_factory=lambda: _env_int("BENCH_CONNECTIONS", 16))
    warmup: int = field(default_factory=lambda: _env_int("BENCH_WARMUP", 2))
    timeout: int = field(default_factory=lambda: _env_int("BENCH_TIMEOUT", 10))
    sizes: list = field(
        default_factory=lambda: [
            s.strip() for s in os.environ.get("BENCH_SIZES", "large,small").split(",") if s.strip()
        ]
    )
    targets: str = field(default_factory=lambda: os.environ.get("BENCH_TARGETS", ""))
    keep_db: bool = field(
        default_factory=lambda: os.environ.get("BENCH_KEEP_DB", "") not in ("", "0")
    )
    sqlite: bool = field(default_factory=lambda: os.environ.get("BENCH_DB", "") == "sqlite")
    database_url: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )

    @property
    def threads(self):
        return max(1, min(2, self.connections))


# --- databases ----------------------------------------------------------------------


class PostgresDatabase:
    """`<name>_<size>` on the server of DATABASE_URL. Created with a comment
    that marks it as the benchmark's: only such a database is ever dropped."""

    vendor = "postgresql"

    def __init__(self, url, size):
        parts = urllib.parse.urlsplit(url)
        base = parts.path.lstrip("/") or "fieldbook_bench"
        self.name = f"{base}_{size}"
        if not re.fullmatch(r"[A-Za-z0-9_]+", self.name):
            raise SystemExit(f"Unusable benchmark database name: {self.name!r}")
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))
        self.server_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, *statements):
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            results = [connection.execute(sql, params).fetchall() for sql, params in statements]
        return results

    def server_version(self):
        return self._admin(("SHOW server_version", None))[0][0][0]

    def create(self):
        rows = self._admin(
            (
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [self.name],
            )
        )[0]
        if rows:
            if rows[0][0] != DATABASE_MARK:
                raise SystemExit(
                    f"Database {self.name} exists and was not made by the benchmark; "
                    "choose another name with DATABASE_URL."
                )
            self.drop()
        self._exec(f'CREATE DATABASE "{self.name}"')
        self._exec(f"COMMENT ON DATABASE \"{self.name}\" IS '{DATABASE_MARK}'")

    def _exec(self, sql):
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            connection.execute(sql)

    def drop(self):
        self._exec(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def describe(self):
        return f"PostgreSQL database {self.name}"


class SqliteDatabase:
    vendor = "sqlite"

    def __init__(self, directory, size):
        self.path = Path(directory) / f"bench-{size}.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def server_version(self):
        import sqlite3

        return sqlite3.sqlite_version

    def create(self):
        self.path.unlink(missing_ok=True)

    def drop(self):
        self.path.unlink(missing_ok=True)

    def describe(self):
        return f"SQLite file {self.path}"


# --- the server -----------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """The app under gunicorn (WORKERS sync workers), production settings."""

    def __init__(self, env, log_path):
        self.env = env
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 -- closed with the process
        self.process = subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                if requests.get(self.base + BARE_TARGET.path, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer within 90 s; see {self.log_path}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait_idle(self, limit=180):
        """Wait until requests left over from a run (the server still works
        through what wrk sent before it stopped) are done: two bare requests
        in a row answer quickly."""
        deadline = time.monotonic() + limit
        quick = 0
        while time.monotonic() < deadline and quick < 2:
            started = time.monotonic()
            try:
                requests.get(self.base + BARE_TARGET.path, timeout=limit)
            except requests.RequestException:
                time.sleep(0.5)
                continue
            quick = quick + 1 if time.monotonic() - started < 0.5 else 0


def sign_in(base, username, password):
    """A session cookie from the sign-in form, as a browser gets it."""
    browser = requests.Session()
    login = base + "/account/login/"
    page = browser.get(login, timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    response = browser.post(login, data=form, headers={"Referer": login}, timeout=30)
    if urllib.parse.urlsplit(response.url).path.startswith("/account/login"):
        raise SystemExit("Signing in to the benchmark server failed.")
    return f"sessionid={browser.cookies['sessionid']}"


def api_token(base, username, password):
    """An access token from /api/token/, as an API client gets it."""
    response = requests.post(
        base + "/api/token/", json={"username": username, "password": password}, timeout=30
    )
    response.raise_for_status()
    return response.json()["access"]


# --- load ------------------------------------------------------------------------------


def write_pool(path, requests, host):
    with open(path, "wb") as handle:
        for request in requests:
            raw = request.raw(host)
            handle.write(f"{len(raw)}\n".encode() + raw)


def run_wrk(options, server, requests, seconds, pool_path):
    write_pool(pool_path, requests, f"127.0.0.1:{server.port}")
    command = [
        "wrk",
        "--threads",
        str(options.threads),
        "--connections",
        str(options.connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        f"{options.timeout}s",
        "--script",
        str(HERE / "wrk.lua"),
        server.base + "/",
        "--",
        str(pool_path),
        str(options.threads),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line.removeprefix("BENCH-JSON "))
    raise SystemExit(f"wrk failed:\n{completed.stdout}\n{completed.stderr}")


def summarise(raw):
    seconds = raw["duration_us"] / 1e6 or 1
    latency = raw["latency_us"]
    answered = raw["requests"] > 0
    return {
        "rps": round(raw["requests"] / seconds, 2),
        "requests": raw["requests"],
        "p50_ms": round(latency["p50"] / 1000, 1) if answered else None,
        "p95_ms": round(latency["p95"] / 1000, 1) if answered else None,
        "p99_ms": round(latency["p99"] / 1000, 1) if answered else None,
        "non_2xx": raw["non_2xx"],
        "statuses": raw["statuses"],
        "errors": raw["errors"],
        "pool_wrapped": raw["pool_wrapped"] > 0,
    }


class Session:
    """One size's run: database, data set, server, sign-in, measurements."""

    def __init__(self, options, size, workdir, secret_key):
        self.options = options
        self.size = size
        self.workdir = workdir
        self.database = (
            SqliteDatabase(workdir, size)
            if options.sqlite
            else PostgresDatabase(options.database_url, size)
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.database.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "FIELDBOOK_TASKS_BACKEND": "database",
            "FIELDBOOK_BENCH_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "FIELDBOOK_TESTING": "0",
        }
        self.log = workdir / f"{size}.log"
        self.result = {"database": self.database.describe()}

    def manage(self, *args, module=None):
        command = [PYTHON, "-m", module] if module else [PYTHON, "manage.py"]
        with open(self.log, "ab") as log:
            completed = subprocess.run(  # noqa: S603
                [*command, *args], cwd=ROOT, env=self.env, stdout=log, stderr=log, check=False
            )
        if completed.returncode:
            raise SystemExit(f"{' '.join(command + list(args))} failed; see {self.log}")

    def prepare(self):
        logger.info("[%s] creating %s", self.size, self.database.describe())
        self.database.create()
        started = time.perf_counter()
        self.manage("migrate", "--noinput", "-v", "0")
        self.result["migrate_seconds"] = round(time.perf_counter() - started, 1)
        scale = SIZES[self.size]
        logger.info("[%s] building the data set (scale %s)", self.size, scale)
        refs_path = self.workdir / f"refs-{self.size}.json"
        started = time.perf_counter()
        self.manage("--scale", str(scale), "--refs", str(refs_path), module="bench.data")
        self.result["build_seconds"] = round(time.perf_counter() - started, 1)
        with open(refs_path) as handle:
            self.refs = json.load(handle)
        self.result["rows"] = self.refs.pop("rows")
        self.result["build_split_seconds"] = self.refs.pop("seconds")
        self.result["small_businesses"] = self.refs["small_businesses"]
        logger.info(
            "[%s] %d rows in %.1f s (writing %.1f s, VACUUM ANALYZE %.1f s; migrations %.1f s)",
            self.size,
            sum(self.result["rows"].values()),
            self.result["build_seconds"],
            self.result["build_split_seconds"]["write"],
            self.result["build_split_seconds"]["settle"],
            self.result["migrate_seconds"],
        )

    def sign_in(self):
        self.client = Client(self.refs)
        self.client.session_cookie = sign_in(
            self.server.base, self.refs["username"], self.refs["password"]
        )
        for kind, username in self.refs.get("kind_users", {}).items():
            self.client.kind_cookies[kind] = sign_in(
                self.server.base, username, self.refs["password"]
            )
        self.refresh_jwt()

    def refresh_jwt(self):
        self.client.jwt = api_token(self.server.base, self.refs["username"], self.refs["password"])
        self.jwt_at = time.monotonic()

    def count_queries(self, targets):
        named = [(t.name, t.requests(self.client, 1)[0]) for t in [BARE_TARGET, *targets]]
        path = self.workdir / f"queries-{self.size}.json"
        with open(path, "w") as handle:
            json.dump(dump_requests(named), handle)
        completed = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "bench.queries", str(path)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode:
            raise SystemExit(f"Counting queries failed:\n{completed.stderr[-3000:]}")
        return json.loads(completed.stdout)

    def measure(self, target):
        options = self.options
        if target.auth == "jwt" and time.monotonic() - self.jwt_at > JWT_MAX_AGE:
            self.refresh_jwt()
        pool = self.workdir / "pool.bin"
        per_second = POOL_PER_SECOND.get(target.kind, 0)
        if options.warmup:
            warm = target.requests(self.client, max(1, per_second * options.warmup))
            run_wrk(options, self.server, warm, options.warmup, pool)
            self.server.wait_idle()
        requests = target.requests(self.client, max(1, per_second * options.duration))
        result = summarise(run_wrk(options, self.server, requests, options.duration, pool))
        # A single prepared request is meant to repeat; distinct ones are not.
        result["pool_wrapped"] = result["pool_wrapped"] and len(requests) > 1
        self.server.wait_idle()
        return result

    def run(self, targets):
        self.prepare()
        self.server = Server(self.env, self.log)
        logger.info("[%s] starting gunicorn on %s", self.size, self.server.base)
        self.server.start()
        try:
            self.sign_in()
            logger.info("[%s] counting queries in-process", self.size)
            queries = self.count_queries(targets)
            self.result["bare_start"] = self.measure(BARE_TARGET)
            logger.info(
                "[%s] bare view: %.0f requests/s", self.size, self.result["bare_start"]["rps"]
            )
            self.result["targets"] = {}
            for target in targets:
                measured = self.measure(target)
                measured.update(
                    kind=target.kind,
                    queries=queries[target.name]["queries"],
                    in_process_status=queries[target.name]["status"],
                    in_process_ms=queries[target.name]["ms"],
                )
                self.result["targets"][target.name] = measured
                logger.info(
                    "[%s] %s: %.1f requests/s, p50 %s ms, %d non-2xx",
                    self.size,
                    target.name,
                    measured["rps"],
                    measured["p50_ms"],
                    measured["non_2xx"],
                )
            self.result["bare_end"] = self.measure(BARE_TARGET)
            self.result["bare_queries"] = queries[BARE_TARGET.name]["queries"]
            logger.info(
                "[%s] bare view: %.0f requests/s", self.size, self.result["bare_end"]["rps"]
            )
        finally:
            self.server.stop()
        self.result["server_errors"] = server_errors(self.log)
        return self.result


def server_errors(log_path, limit=20):
    """The last few error lines of the server's log, to explain non-2xx."""
    try:
        lines = Path(log_path).read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [line for line in lines if " ERROR " in line or "Traceback" in line][-limit:]


def machine(database):
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        memory_kb = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "database": f"{database.vendor} {database.server_version()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    options = Options()
    unknown = [size for size in options.sizes if size not in SIZES]
    if unknown or not options.sizes:
        raise SystemExit(f"BENCH_SIZES: choose from {', '.join(SIZES)}")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    targets = select(options.targets)
    workdir = Path(tempfile.mkdtemp(prefix="fieldbook-bench-"))
    secret_key = secrets.token_urlsafe(50)
    results = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": {
            "duration_s": options.duration,
            "warmup_s": options.warmup,
            "connections": options.connections,
            "wrk_threads": options.threads,
            "timeout_s": options.timeout,
            "gunicorn_workers": WORKERS,
        },
        "sizes": {},
    }
    sessions = []
    try:
        for size in options.sizes:
            session = Session(options, size, workdir, secret_key)
            sessions.append(session)
            if "machine" not in results:
                results["machine"] = machine(session.database)
                logger.info("collecting static files")
                session.manage("collectstatic", "--noinput", "-v", "0")
            try:
                results["sizes"][size] = session.run(targets)
            finally:
                if not options.keep_db:
                    session.database.drop()
    finally:
        if options.keep_db:
            logger.info("kept: %s", ", ".join(s.database.describe() for s in sessions))
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    table = report.build(results, targets)
    results["table"] = table
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    markdown = report.markdown(results, table)
    (HERE / "RESULTS.md").write_text(markdown)
    sys.stdout.write("\n" + report.text_table(table) + "\n")
    for size, result in results["sizes"].items():
        if result.get("server_errors"):
            sys.stdout.write(f"\nServer errors ({size}):\n" + "\n".join(result["server_errors"]))
    sys.stdout.write(f"\nWritten: {HERE / 'RESULTS.md'}, {HERE / 'results.json'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
