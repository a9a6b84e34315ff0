"""Security headers on every response, and templates the policy can allow."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from config.middleware import build_permissions_policy, build_policy

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("name", ["home", "booking:list", "account:profile", "api-docs"])
def test_pages_carry_the_security_headers(owner_client, name):
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self';" in csp
    assert "style-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "payment=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_anonymous_and_error_responses_carry_them_too(client):
    for response in (client.get(reverse("account:login")), client.get("/no-such-page/")):
        assert "Content-Security-Policy" in response
        assert "Permissions-Policy" in response


def test_report_only_mode(client, settings):
    settings.SECURE_CSP_REPORT_ONLY, settings.SECURE_CSP = settings.SECURE_CSP, {}
    response = client.get(reverse("account:login"))
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_debug_error_pages_get_no_policy(client, settings):
    """Django's technical 404/500 pages use inline styles and scripts."""
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/no-such-page/")
    assert "Content-Security-Policy" in client.get(reverse("account:login"))


def test_swagger_init_script_is_a_file(owner_client):
    page = owner_client.get(reverse("api-docs")).content.decode()
    assert "<style" not in page
    assert re.findall(r"<script>", page) == []
    script = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1).replace("&amp;", "&")
    response = owner_client.get(script)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content


def test_policy_builders():
    assert build_policy({"default-src": ["'self'"], "img-src": ["'self'", "data:"]}) == (
        "default-src 'self'; img-src 'self' data:"
    )
    assert build_permissions_policy({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


# What the policy refuses, found in the templates before a browser does.
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\shx-on", re.I), "hx-on attribute (needs eval)"),
]


def test_templates_have_no_inline_scripts_or_styles():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert problems == []
