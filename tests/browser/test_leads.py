"""An owner works the leads that arrived by phone and from Thumbtack, and
checks the webhook inbox and an integration's delivery log."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from leads.models import Lead
from tests.browser.a11y import assert_accessible
from webhooks.models import Integration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-123"


def sign_in(page, live_server):
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    page.locator("#id_username").fill("demo")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_text("Getting started")).to_be_visible()
    assert_accessible(page)


def shoot(page, screenshot_dir, name):
    page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)


def test_leads_inbox_and_deliveries(page, live_server, screenshot_dir):
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    integration = Integration.objects.create(
        business=Lead.objects.first().business,
        name="Office spreadsheet",
        url="http://127.0.0.1:9/never",
        events=["lead.created", "booking.created"],
    )
    sign_in(page, live_server)
    shoot(page, screenshot_dir, "leads-home-desktop")

    page.get_by_role("link", name="Leads", exact=True).first.click()
    expect(page.get_by_role("heading", name="Leads")).to_be_visible()
    assert_accessible(page)
    shoot(page, screenshot_dir, "leads-list-desktop")

    page.get_by_role("link", name="Dana Whitfield").click()
    expect(page.get_by_text("Could you come on Thursday mornings?")).to_be_visible()
    expect(page.get_by_role("link", name="Convert to booking")).to_be_visible()
    assert_accessible(page)
    shoot(page, screenshot_dir, "lead-thumbtack-desktop")
    page.locator("#quick-status").select_option("contacted")
    page.locator("#quick-note").fill("Called back, sending a quote.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Called back, sending a quote.")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/leads/?source=retell")
    assert_accessible(page)
    page.get_by_role("link", name="Chris Nguyen").click()
    expect(page.get_by_text("No booking was made from this call.")).to_be_visible()
    assert_accessible(page)
    shoot(page, screenshot_dir, "lead-retell-desktop")

    page.goto(live_server.url + "/leads/create/")
    assert_accessible(page)
    page.locator("#id_name").fill("Sam Lee")
    page.locator("#id_phone").fill("12")
    page.get_by_role("button", name="Add lead").click()
    expect(page.get_by_text("Enter a valid phone number").first).to_be_visible()
    assert_accessible(page)  # the form with its error summary
    shoot(page, screenshot_dir, "lead-create-error-desktop")
    page.locator("#id_phone").fill("512 555 0190")
    page.get_by_role("button", name="Add lead").click()
    expect(page.get_by_text("Lead “Sam Lee” added.")).to_be_visible()
    expect(page.get_by_role("link", name="(512) 555-0190")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("heading", name="Webhook inbox")).to_be_visible()
    assert_accessible(page)
    shoot(page, screenshot_dir, "inbox-desktop")
    page.get_by_role("link", name="Show failed").click()
    expect(page).to_have_url(re.compile(r"status=failed"))
    assert_accessible(page)
    page.locator("table a").first.click()
    expect(page.get_by_role("button", name="Replay")).to_be_visible()
    assert_accessible(page)
    shoot(page, screenshot_dir, "inbox-event-desktop")

    page.goto(live_server.url + f"/webhooks/integrations/{integration.pk}/deliveries/")
    assert_accessible(page)
    page.get_by_role("button", name="Send test event").click()
    expect(page.get_by_text("Test event queued")).to_be_visible()
    assert_accessible(page)
    shoot(page, screenshot_dir, "deliveries-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    for name, url in [
        ("leads-list-phone", "/leads/"),
        ("lead-thumbtack-phone", f"/leads/{Lead.objects.get(name='Dana Whitfield').public_id}/"),
        ("inbox-phone", "/webhooks/inbox/"),
        ("deliveries-phone", f"/webhooks/integrations/{integration.pk}/deliveries/"),
        ("leads-home-phone", "/"),
    ]:
        page.goto(live_server.url + url)
        expect(page.locator("h1").first).to_be_visible()
        assert_accessible(page)
        shoot(page, screenshot_dir, name)
    assert re.search(r"/$", page.url)
