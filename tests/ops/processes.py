"""Helpers for tests that run the app as real processes (manage.py commands,
gunicorn, db_worker) against a real, migrated throw-away PostgreSQL database,
not the transaction-wrapped test database."""

import os
import socket
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    return url


def _connect_kwargs(url, dbname):
    import dj_database_url

    settings = dj_database_url.parse(url)
    return {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": dbname,
    }


@contextmanager
def throwaway_database(purpose):
    """A new, empty database named `<DATABASE_URL's name>_<purpose>_<random>`;
    yields (its URL, a function that opens a psycopg connection to it);
    dropped afterwards."""
    import dj_database_url
    import psycopg

    url = postgres_url()
    name = f"{dj_database_url.parse(url)['NAME']}_{purpose}_{uuid.uuid4().hex[:8]}"
    admin = _connect_kwargs(url, "postgres")
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:

        def connect(**kwargs):
            return psycopg.connect(**_connect_kwargs(url, name), **kwargs)

        yield url.rsplit("/", 1)[0] + "/" + name, connect
    finally:
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clean_env(**values):
    """The environment without this machine's Fieldbook and Django settings,
    plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDBOOK_", "DJANGO_"))}
    env.pop("REDIS_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(values)
    return env


def manage(env, *args, code=None, timeout=300):
    command = [sys.executable, "manage.py", *args]
    if code is not None:
        command += ["-c", code]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process, timeout=15):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
