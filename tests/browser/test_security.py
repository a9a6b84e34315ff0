"""In a real browser: the main pages satisfy the Content-Security-Policy (no
violation reported), carry the security headers, htmx still works, and the
error pages in production mode (DEBUG off) look like the site."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from account.models import User
from booking.models import Booking, Invoice
from leads.models import Lead
from tests.browser.a11y import assert_accessible
from webhooks.models import Integration, WebhookEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-123"

# Records every violation the page reports, from before its first script runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, with CSP violations collected from events and the console."""
    console = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    page.csp_console = console
    return page


def visit(page, url, status=200):
    response = page.goto(url)
    assert response.status == status, url
    page.wait_for_load_state("networkidle")
    headers = response.all_headers()
    assert "script-src 'self'" in headers["content-security-policy"], url
    assert "camera=()" in headers["permissions-policy"], url
    assert headers["referrer-policy"] == "same-origin", url
    assert headers["x-content-type-options"] == "nosniff", url
    violations = page.evaluate("window.__cspViolations") + page.csp_console
    assert violations == [], (url, violations)
    assert_accessible(page)


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_text("Getting started")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    User.objects.filter(username="demo").update(is_staff=True, is_superuser=True)
    return User.objects.get(username="demo").membership.business


def test_main_pages_satisfy_the_content_security_policy(watched, live_server, demo):
    page = watched
    base = live_server.url
    visit(page, base + "/account/login/")
    sign_in(page, live_server, "demo")
    booking = Booking.objects.filter(business=demo).first()
    invoice = Invoice.objects.filter(business=demo).exclude(number="").first()
    lead = Lead.objects.filter(business=demo, source=Lead.Source.RETELL).first()
    event = WebhookEvent.objects.filter(business=demo).first()
    integration = Integration.objects.create(
        business=demo, name="Sheet", url="http://127.0.0.1:9/never", events=["lead.created"]
    )
    addon = demo.addons.first()
    urls = [
        reverse("home"),
        reverse("booking:list"),
        reverse("booking:create"),
        reverse("booking:detail", args=[booking.public_id]),
        reverse("booking:edit", args=[booking.public_id]),
        reverse("booking:calendar"),
        reverse("booking:calendar") + "?view=week",
        reverse("booking:invoice_list"),
        reverse("booking:invoice_detail", args=[invoice.public_id]),
        reverse("booking:invoice_preview", args=[invoice.public_id]),
        reverse("leads:list"),
        reverse("leads:create"),
        reverse("leads:detail", args=[lead.public_id]),
        reverse("crm:home"),
        reverse("webhooks:inbox"),
        reverse("webhooks:event_detail", args=[event.pk]),
        reverse("webhooks:integration_deliveries", args=[integration.pk]),
        reverse("account:profile"),
        reverse("account:change_password"),
        reverse("account:business_edit"),
        reverse("account:business_settings_edit"),
        reverse("account:addon_list"),
        reverse("account:addon_edit", args=[addon.pk]),
        reverse("account:credentials_edit"),
        reverse("webhooks:integration_list"),
        reverse("webhooks:integration_edit", args=[integration.pk]),
        reverse("account:team"),
        reverse("account:member_add"),
        reverse("account:logout"),
        "/admin/",
        "/admin/booking/booking/",
        f"/admin/booking/booking/{booking.pk}/change/",
    ]
    for url in urls:
        visit(page, base + url)

    # The Swagger UI renders the schema (its init script is a file).
    visit(page, base + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fieldbook API")
    expect(page.locator(".opblock").first).to_be_visible()

    visit(page, base + "/no-such-page/", status=404)


def test_htmx_live_quote_works_under_the_policy(watched, live_server, demo):
    page = watched
    sign_in(page, live_server, "demo")
    visit(page, live_server.url + reverse("booking:create"))
    total = page.locator("#quote-total")
    before = total.get_attribute("data-total")
    page.locator("#id_bedrooms").fill("5")
    page.locator("#id_square_feet").fill("2500")
    expect(total).not_to_have_attribute("data-total", before)
    # The spinner's styles come from app.css, not from an injected <style>.
    assert page.evaluate("document.querySelectorAll('head style').length") == 0
    assert page.locator("#quote-spinner").evaluate("e => getComputedStyle(e).opacity") == "0"
    assert page.evaluate("window.__cspViolations") == []


def test_confirmations_come_from_app_js(watched, live_server, demo):
    page = watched
    sign_in(page, live_server, "demo")
    visit(page, live_server.url + reverse("account:credentials_edit"))
    secret = demo.credentials.webhook_secret
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Generate new secret").click()
    page.wait_for_timeout(300)
    demo.credentials.refresh_from_db()
    assert demo.credentials.webhook_secret == secret  # dismissed: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Generate new secret").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    demo.credentials.refresh_from_db()
    assert demo.credentials.webhook_secret != secret


def test_queued_invoice_pdf_is_prepared_then_downloaded(watched, live_server, demo, settings):
    """With a queue, the PDF link shows "being prepared", polls with htmx,
    and downloads once the worker has rendered it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = watched
    sign_in(page, live_server, "demo")
    invoice = Invoice.objects.filter(business=demo).exclude(number="").first()
    visit(page, live_server.url + reverse("booking:invoice_pdf", args=[invoice.public_id]), 202)
    expect(page.get_by_text("The PDF is being prepared")).to_be_visible()
    with page.expect_download() as download_info:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO()
        )
    assert download_info.value.suggested_filename == f"Invoice-{invoice.number}.pdf"
    expect(page.get_by_text("The PDF is ready")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []


# --- Error pages in production mode --------------------------------------------------


def test_error_pages_in_production_mode(watched, live_server, demo, settings, screenshot_dir):
    from django.conf import settings as live_settings

    assert live_settings.DEBUG is False
    settings.ROOT_URLCONF = "tests.error_urls"
    page = watched

    visit(page, live_server.url + "/no-such-page/", status=404)
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("nav.navbar")).to_be_visible()
    page.screenshot(path=screenshot_dir / "error-404-desktop.png", full_page=True)

    visit(page, live_server.url + "/boom/", status=500)
    expect(page.get_by_role("heading", name="Something went wrong")).to_be_visible()
    # Styled by the site's own CSS.
    color = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(33, 37, 41)"  # Bootstrap's bg-dark
    page.screenshot(path=screenshot_dir / "error-500-desktop.png", full_page=True)
    page.locator("#error-home").click()
    expect(page).to_have_url(re.compile(r"/account/login/"))
    assert_accessible(page)

    sign_in(page, live_server, "demo-member")
    nav = page.locator("nav.navbar")
    expect(nav.get_by_role("link", name="Bookings")).to_be_visible()
    expect(nav.get_by_role("link", name="Inbox")).to_have_count(0)
    visit(page, live_server.url + reverse("account:team"), status=403)
    expect(page.get_by_role("heading", name="You can’t open this page")).to_be_visible()
    expect(page.get_by_text("Only the business owner can do this.")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path=screenshot_dir / "error-403-phone.png", full_page=True)
    page.locator("#error-home").click()
    expect(page.get_by_text("Getting started")).to_be_visible()
    assert_accessible(page)
