"""`make serve`: the production stack on this machine.

    python -m config.serve [--host 127.0.0.1] [--port 8000] [--web-workers 2] [--task-workers 1]

PostgreSQL from DATABASE_URL (SQLite is refused: it is for `make run`),
production settings (DJANGO_DEBUG=0; a random DJANGO_SECRET_KEY for this run
when none is set), then collectstatic, migrate (which creates the cache
table), the webhook sweep and the reminders pass (which schedule the workers'
periodic runs), and
gunicorn with `--web-workers` processes beside `--task-workers`
`manage.py db_worker` processes. Ctrl-C (or SIGTERM) stops them all; so does
any of them exiting.

Served over plain HTTP on HOST:PORT, so HTTPS redirects, secure cookies and
HSTS are off unless the environment says otherwise. Everything else (Redis,
S3, email) comes from the environment or `.env` as in production.
"""

import argparse
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger("fieldbook.serve")


class Refused(SystemExit):
    """Stop with a message and exit status 2."""

    def __init__(self, message):
        super().__init__(2)
        self.message = message


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="make serve", description="Run Fieldbook's production stack locally."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes (2)")
    parser.add_argument(
        "--task-workers", type=int, default=1, help="manage.py db_worker processes (1)"
    )
    parser.add_argument(
        "--skip-setup", action="store_true", help="no collectstatic, migrate or sweep"
    )
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error("--port must be between 1 and 65535")
    if args.web_workers < 1 or args.task_workers < 1:
        parser.error("--web-workers and --task-workers must be at least 1")
    return args


def production_env(environ, *, host, port):
    """The environment of every process: `environ` with production settings."""
    url = environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise Refused(
            "make serve runs the production stack, which needs PostgreSQL: set DATABASE_URL, "
            "e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/fieldbook make serve "
            "(SQLite is for `make run`)."
        )
    env = dict(environ)
    env["DJANGO_DEBUG"] = "0"
    env["FIELDBOOK_TASKS_BACKEND"] = "database"
    site_host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, host)  # noqa: S104
    defaults = {
        # Plain HTTP on this machine.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_ALLOWED_HOSTS": ",".join(dict.fromkeys(["localhost", "127.0.0.1", site_host])),
        "FIELDBOOK_SITE_URL": f"http://{site_host}:{port}",
    }
    for name, value in defaults.items():
        if not env.get(name):
            env[name] = value
    if not env.get("DJANGO_SECRET_KEY"):
        # For this run only: sessions end when it stops. Set one to keep them.
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
        logger.warning("DJANGO_SECRET_KEY is not set: using a random one for this run.")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    return env


def setup_commands():
    return [
        ["collectstatic", "--noinput", "-v", "0"],
        ["migrate", "--noinput"],
        ["webhooks_sweep"],
        ["send_reminders"],
        ["series_topup"],
    ]


def process_commands(args):
    """(name, argv) of every long-running process."""
    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.web_workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
        "--no-control-socket",
    ]
    commands = [("web", web)]
    for n in range(1, args.task_workers + 1):
        commands.append(
            (
                f"worker-{n}",
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--worker-id",
                    f"serve-{os.getpid()}-{n}",
                ],
            )
        )
    return commands


def run_setup(env):
    for command in setup_commands():
        logger.info("manage.py %s", " ".join(command))
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env)  # noqa: S603
        if done.returncode:
            raise Refused(f"manage.py {command[0]} failed (exit status {done.returncode}).")


class Stop(Exception):
    pass


def supervise(commands, env):
    """Start every process; stop them all on a signal or when one exits."""
    processes = {}

    def on_signal(signum, frame):
        raise Stop(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    try:
        for name, argv in commands:
            # Their own session: Ctrl-C reaches only this supervisor, which
            # then stops each process once, gracefully (SIGTERM).
            processes[name] = subprocess.Popen(  # noqa: S603
                argv, cwd=ROOT, env=env, start_new_session=True
            )
            logger.info("started %s (pid %s)", name, processes[name].pid)
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    logger.error("%s exited (status %s): stopping", name, process.returncode)
                    status = 1
                    raise Stop(name)
            time.sleep(0.5)
    except Stop as reason:
        logger.info("stopping (%s)", reason)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 20
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def main(argv=None):
    logging.basicConfig(level=logging.INFO, format="serve: %(message)s")
    args = parse_args(argv)
    load_dotenv(ROOT / ".env")  # the settings read it too; here for DATABASE_URL
    try:
        env = production_env(os.environ, host=args.host, port=args.port)
        if not args.skip_setup:
            run_setup(env)
    except Refused as refused:
        logger.error("%s", refused.message)
        return refused.code
    logger.info(
        "Fieldbook on %s/ (gunicorn, %s web and %s task workers); Ctrl-C stops",
        env["FIELDBOOK_SITE_URL"],
        args.web_workers,
        args.task_workers,
    )
    return supervise(process_commands(args), env)


if __name__ == "__main__":
    sys.exit(main())
