"""Measure the main pages and API lists on a large data set.

    make bench                      # SQLite file in a temporary directory
    DATABASE_URL=postgres://... make bench

Builds a fresh database with one large business (see bench/data.py), then
requests each page in-process through Django's test client, beside a bare
Django view in the same run, and prints the median and 95th percentile time
and the number of SQL queries per request.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench import data  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))


def measure(client, url, headers=None):
    timings, queries, status = [], [], None
    for _ in range(REPEAT + 2):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, headers=headers or {})
            timings.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured.captured_queries))
        status = response.status_code
    timings = sorted(timings[2:])  # the first two warm caches
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return status, statistics.median(timings), p95, max(queries[2:])


def main():
    setup_test_environment()
    database = settings.DATABASES["default"]
    print(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    scenario = data.build()
    print(f"Data set: {scenario.summary} (built in {time.perf_counter() - started:.1f} s)")

    browser = Client()
    browser.force_login(scenario.owner, backend="account.backends.UsernameOrEmailBackend")
    api = Client()
    api_headers = {"Authorization": f"Api-Key {scenario.api_key}"}

    rows = []
    with override_settings(ROOT_URLCONF="bench.urls"):
        rows.append(("bare Django view", "/bench/bare/", *measure(Client(), "/bench/bare/")))
        for label, url in scenario.pages:
            rows.append((label, url, *measure(browser, url)))
        for label, url in scenario.api:
            rows.append((label, url, *measure(api, url, api_headers)))

    width = max(len(row[0]) for row in rows)
    print(f"\n{'page':<{width}}  status  median ms  p95 ms  queries")
    for label, _url, status, median, p95, queries in rows:
        print(f"{label:<{width}}  {status:>6}  {median:>9.1f}  {p95:>6.1f}  {queries:>7}")
    failed = [row for row in rows if row[2] != 200]
    if failed:
        print("\nNot 200: " + ", ".join(f"{row[0]} ({row[2]})" for row in failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
