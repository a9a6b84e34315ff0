"""The accessibility gate of the browser tests.

`assert_accessible(page)` runs axe-core (bundled by axe-playwright-python) on
the page as it is now and fails on any serious or critical violation of the
WCAG 2.1 A and AA rules, and on any id used twice. Every browser test calls it
after each navigation (tests/browser/conftest.py fails a test that visits a
page without scanning it); tests/browser/test_accessibility.py walks every
page of the site as each role at desktop and phone width.

axe is injected through Playwright's `evaluate` (the DevTools protocol), which
the site's Content-Security-Policy (`script-src 'self'`) does not apply to, so
the page is scanned under its real policy.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

# WCAG 2.1 levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

# The check for ids used twice, named like an axe rule so that it can be
# excluded the same way.
DUPLICATE_ID = "duplicate-id"

# Rules left out on one page, by path, each with the reason. Only for markup
# the project does not write and cannot change by settings.
EXCLUDED_RULES: dict[str, dict[str, str]] = {
    # Swagger UI (vendored through drf-spectacular-sidecar). Its page as loaded
    # passes every rule (templates/api/swagger_ui.html, static/css/swagger.css,
    # SWAGGER_UI_SETTINGS); these come from markup that Swagger UI builds when an
    # operation or the Authorize dialog is opened, which no setting changes.
    "/api/docs/": {
        "label": "the request body <textarea> of “Try it out” has no label",
        "button-name": "the Authorize dialog's close button has no text",
        DUPLICATE_ID: "the content-type <select> and the API-key input repeat their ids",
    },
}

# Pages outside the gate: Django's admin is Django's own markup, for staff.
UNGATED_PATHS = ("/admin/",)

DUPLICATE_IDS = """() => {
  const counts = new Map();
  for (const element of document.querySelectorAll("[id]")) {
    counts.set(element.id, (counts.get(element.id) || 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1).map(([id, count]) => `${id} (×${count})`);
}"""


def is_gated(url):
    return not urlsplit(url).path.startswith(UNGATED_PATHS)


def excluded_rules(url):
    return EXCLUDED_RULES.get(urlsplit(url).path, {})


def run_axe(page, options):
    """axe's serious and critical violations on the page."""
    results = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


def scan(page):
    """The problems on the page as it is now, one line each (empty when clean)."""
    page.wait_for_load_state("load")
    # Bootstrap drops its transitions under reduced motion, so no colour is
    # measured halfway through a fade.
    page.emulate_media(reduced_motion="reduce")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    excluded = excluded_rules(page.url)
    options = {
        "runOnly": {"type": "tag", "values": TAGS},
        "rules": {rule: {"enabled": False} for rule in excluded if rule != DUPLICATE_ID},
        "resultTypes": ["violations"],
        # CSS selectors for the report cost a third of the run: computed only
        # when something fails, by a second run of the failing rules.
        "selectors": False,
    }
    violations = run_axe(page, options)
    if violations:
        options.update(runOnly={"type": "rule", "values": [v["id"] for v in violations]})
        options.update(selectors=True)
        violations = run_axe(page, options)
    problems = [
        f"{violation['id']} ({violation['impact']}): {json.dumps(node.get('target'))} "
        f"{node['html'][:160]} — {node.get('failureSummary', '').replace(chr(10), ' ')[:300]}"
        for violation in violations
        for node in violation["nodes"]
    ]
    if DUPLICATE_ID not in excluded:
        problems += [f"duplicate id: {name}" for name in page.evaluate(DUPLICATE_IDS)]
    return problems


def assert_accessible(page):
    """Fail when the page has a serious or critical WCAG 2.1 A/AA violation or a
    duplicate id. Call after each navigation (and after changes worth checking,
    such as a form shown with its errors)."""
    problems = scan(page) if is_gated(page.url) else []
    scanned = getattr(page, "a11y_scanned", None)
    if scanned is not None:
        scanned.add(page_key(page.url))
    width = (page.viewport_size or {}).get("width")
    assert not problems, f"{page.url} at {width}px:\n  " + "\n  ".join(problems)


def page_key(url):
    """A visited page: its URL without the fragment."""
    return url.split("#", 1)[0]
