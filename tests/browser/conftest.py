"""Browser tests: every page a test visits must pass the accessibility gate.

The `page` fixture records each page the browser navigates to; a test that
leaves a page without calling `assert_accessible(page)` on it (see
tests/browser/a11y.py) fails at teardown, naming the pages it did not scan.
"""

import pytest

from tests.browser.a11y import is_gated, page_key


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def page(page, request):
    visited = []

    def navigated(frame):
        if frame == page.main_frame and frame.url.startswith("http") and is_gated(frame.url):
            visited.append(page_key(frame.url))

    page.a11y_scanned = set()
    page.on("framenavigated", navigated)
    yield page
    if getattr(request.node, "call_failed", True):
        return
    unscanned = list(dict.fromkeys(url for url in visited if url not in page.a11y_scanned))
    assert not unscanned, (
        "Pages visited without the accessibility gate (call assert_accessible(page) "
        "after each navigation):\n  " + "\n  ".join(unscanned)
    )
