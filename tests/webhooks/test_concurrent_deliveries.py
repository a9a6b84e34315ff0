"""Ten identical deliveries at once against a real server (gunicorn, several
processes and threads) on SQLite and on PostgreSQL: every response is 2xx,
exactly one lead and one booking are made, and the original event is
processed (the nine repeats are counted on it)."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import load

ROOT = Path(__file__).resolve().parents[2]
DELIVERIES = 10

SETUP = """
import json
from tests.factories import UserFactory, make_business
business = make_business(UserFactory(username="owner"))
print(json.dumps({"secret": business.credentials.webhook_secret}))
"""

RESULT = """
import json
from booking.models import Booking
from leads.models import Lead
from webhooks.models import WebhookEvent
print(json.dumps({
    "leads": Lead.objects.count(),
    "bookings": Booking.objects.count(),
    "events": list(WebhookEvent.objects.values("status", "duplicate_count", "error")),
}))
"""


def _env(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDBOOK_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        FIELDBOOK_TASKS_BACKEND="immediate",
        FIELDBOOK_AXES_ENABLED="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def _manage(env, *args, code=None):
    command = [sys.executable, "manage.py", *args]
    if code is not None:
        command += ["-c", code]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _server(env, log):
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "5",
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/account/login/", timeout=30)  # noqa: S310
                break
            except OSError:  # refused while booting, or slow on a busy machine
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("the server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _post_at_once(url, body, count):
    barrier = threading.Barrier(count)
    statuses = []

    def post():
        request = urllib.request.Request(  # noqa: S310
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        barrier.wait(timeout=60)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                statuses.append(response.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
        except OSError as exc:
            statuses.append(repr(exc))

    threads = [threading.Thread(target=post) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _ten_identical_deliveries(database_url, log_path):
    env = _env(database_url)
    _manage(env, "migrate", "--noinput", "-v", "0")
    secret = json.loads(_manage(env, "shell", code=SETUP).strip().splitlines()[-1])["secret"]
    payload = load("retell/call_analyzed_booking.json")
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 86400))
    payload["call"]["call_analysis"]["custom_analysis_data"]["appointment_datetime"] = (
        f"{day}T09:00:00"
    )
    body = json.dumps(payload).encode()
    with open(log_path, "w") as log, _server(env, log) as base:
        statuses = _post_at_once(f"{base}/webhook/{secret}/", body, DELIVERIES)
    result = json.loads(_manage(env, "shell", code=RESULT).strip().splitlines()[-1])
    server_log = Path(log_path).read_text()[-3000:]
    assert sorted(map(str, statuses)) == ["200"] * (DELIVERIES - 1) + ["202"], (
        statuses,
        server_log,
    )
    assert result["leads"] == 1
    assert result["bookings"] == 1
    assert result["events"] == [
        {"status": "processed", "duplicate_count": DELIVERIES - 1, "error": ""}
    ]


def test_ten_identical_deliveries_on_sqlite(tmp_path):
    _ten_identical_deliveries(
        f"sqlite:///{tmp_path / 'concurrent.sqlite3'}", tmp_path / "server.log"
    )


@pytest.mark.postgres_only
def test_ten_identical_deliveries_on_postgresql(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(url)
    name = f"{settings['NAME']}_concurrent_{uuid.uuid4().hex[:8]}"
    connect = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**connect) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        throwaway = url.rsplit("/", 1)[0] + "/" + name
        _ten_identical_deliveries(throwaway, tmp_path / "server.log")
    finally:
        with psycopg.connect(**connect) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
