"""Queries per request, counted in-process (Django's test client and
CaptureQueriesContext) on the same database and with the same requests as
the load run. Used by `make bench` (as `python -m bench.queries FILE`, which
prints JSON) and by the test suite.
"""

import base64
import json
import sys
import time


def measure(named_requests):
    """{name: {"status", "queries", "ms"}} for [(name, bench.targets.Request)]."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    http = Client(raise_request_exception=False)
    results = {}
    for name, request in named_requests:
        headers = dict(request.headers)
        content_type = headers.pop("Content-Type", "application/octet-stream")
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = http.generic(
                request.method,
                request.path,
                request.body,
                content_type=content_type,
                headers=headers,
            )
        results[name] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return results


def dump_requests(named_requests):
    return [
        {
            "name": name,
            "method": r.method,
            "path": r.path,
            "headers": list(r.headers),
            "body": base64.b64encode(r.body).decode(),
        }
        for name, r in named_requests
    ]


def load_requests(items):
    from .targets import Request

    return [
        (
            item["name"],
            Request(
                item["method"],
                item["path"],
                tuple(tuple(h) for h in item["headers"]),
                base64.b64decode(item["body"]),
            ),
        )
        for item in items
    ]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    with open(argv[0]) as handle:
        named_requests = load_requests(json.load(handle))

    import django

    django.setup()
    json.dump(measure(named_requests), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
