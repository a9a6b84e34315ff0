"""`make serve` (config/serve.py): the production stack on this machine."""

import json
import logging
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from config import serve
from tests.ops.processes import ROOT, clean_env, free_port, manage, stop, throwaway_database

PG = "postgres://postgres@127.0.0.1:5432/fieldbook"


@pytest.mark.parametrize(
    "argv",
    [["--port", "0"], ["--port", "70000"], ["--web-workers", "0"], ["--task-workers", "0"]],
)
def test_bad_arguments_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        serve.parse_args(argv)
    assert stopped.value.code == 2
    assert "must be" in capsys.readouterr().err


def test_defaults():
    args = serve.parse_args([])
    assert (args.host, args.port, args.web_workers, args.task_workers) == ("127.0.0.1", 8000, 2, 1)
    (web_name, web), (worker_name, worker) = serve.process_commands(args)
    assert web[web.index("--workers") + 1] == "2"
    assert web[web.index("--bind") + 1] == "127.0.0.1:8000"
    assert worker[1:4] == ["manage.py", "db_worker", "--no-reload"]
    assert len(serve.process_commands(serve.parse_args(["--task-workers", "3"]))) == 4
    assert [c[0] for c in serve.setup_commands()] == [
        "collectstatic",
        "migrate",
        "webhooks_sweep",
        "send_reminders",
        "series_topup",
    ]


@pytest.mark.parametrize("url", ["", "sqlite:///db.sqlite3", "mysql://u@h/db"])
def test_sqlite_is_refused_with_a_clear_message(url, caplog, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(serve, "load_dotenv", lambda path: None)
    with caplog.at_level(logging.ERROR, logger="fieldbook.serve"):
        assert serve.main(["--skip-setup"]) == 2
    assert "needs PostgreSQL: set DATABASE_URL" in caplog.text


def test_production_settings_for_every_process():
    env = serve.production_env(
        {"DATABASE_URL": PG, "DJANGO_DEBUG": "1", "DJANGO_SECURE_SSL_REDIRECT": ""},
        host="0.0.0.0",  # noqa: S104
        port=8123,
    )
    assert env["DJANGO_DEBUG"] == "0"
    assert env["FIELDBOOK_TASKS_BACKEND"] == "database"
    assert len(env["DJANGO_SECRET_KEY"]) >= 50
    assert env["DJANGO_SECURE_SSL_REDIRECT"] == "0"  # plain HTTP here
    assert env["FIELDBOOK_SITE_URL"] == "http://127.0.0.1:8123"
    kept = serve.production_env(
        {"DATABASE_URL": PG, "DJANGO_SECRET_KEY": "mine", "FIELDBOOK_SITE_URL": "https://x"},
        host="127.0.0.1",
        port=8000,
    )
    assert (kept["DJANGO_SECRET_KEY"], kept["FIELDBOOK_SITE_URL"]) == ("mine", "https://x")


SETUP = """
import json
from tests.factories import UserFactory, make_business
business = make_business(UserFactory(username="owner"))
print(json.dumps({"secret": business.credentials.webhook_secret}))
"""


@pytest.mark.postgres_only
def test_serve_runs_gunicorn_and_a_worker_until_interrupted(tmp_path):
    from tests.webhooks.conftest import raw

    port = free_port()
    with throwaway_database("serve") as (url, connect):
        env = clean_env(DATABASE_URL=url, DJANGO_LOG_LEVEL="WARNING")
        log = (tmp_path / "serve.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "config.serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            # collectstatic compresses every file (about a minute of CPU).
            deadline = time.monotonic() + 600
            while True:
                try:
                    with urllib.request.urlopen(base + "/account/login/", timeout=30) as page:  # noqa: S310
                        assert page.status == 200
                    break
                except OSError:
                    assert process.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.5)
            # Production settings: static files collected and served by whitenoise.
            with urllib.request.urlopen(base + "/static/css/app.css", timeout=30) as css:  # noqa: S310
                assert css.status == 200
            # The worker processes what the web process stores.
            secret = json.loads(
                manage(clean_env(DATABASE_URL=url, DJANGO_DEBUG="1"), "shell", code=SETUP)
                .strip()
                .splitlines()[-1]
            )["secret"]
            request = urllib.request.Request(  # noqa: S310
                f"{base}/webhook/{secret}/",
                data=raw("retell/call_analyzed_booking.json"),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.status == 202
            with connect(autocommit=True) as connection:
                while True:
                    status = connection.execute(
                        "SELECT status FROM webhooks_webhookevent"
                    ).fetchone()[0]
                    if status == "processed":
                        break
                    assert time.monotonic() < deadline, f"not processed: {status}"
                    time.sleep(0.5)
                assert connection.execute("SELECT count(*) FROM booking_booking").fetchone()[0]
                # The workers' periodic sweep is scheduled.
                assert connection.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path = 'webhooks.sweep.sweep_periodically' AND status = 'READY'"
                ).fetchone()[0]
            # Ctrl-C stops everything.
            process.send_signal(signal.SIGINT)
            assert process.wait(60) == 0
            with pytest.raises(urllib.error.URLError):
                urllib.request.urlopen(base + "/account/login/", timeout=5)  # noqa: S310
            with connect(autocommit=True) as connection:
                assert (
                    connection.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid()"
                    ).fetchone()[0]
                    == 0
                )
        finally:
            stop(process)
            log.close()
