"""A key account manager signs in and sees the restaurants and calls due."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kam_sees_restaurants_and_calls_due(page, live_server, screenshot_dir):
    call_command("seed_demo", password="demo12345")
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    page.locator("#id_username").fill("demo")
    page.locator("#id_password").fill("demo12345")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_text("Calls due today")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "crm-home-desktop.png", full_page=True)

    page.get_by_role("link", name="Restaurants", exact=True).first.click()
    expect(page.get_by_role("heading", name="Restaurants")).to_be_visible()
    expect(page.get_by_text("Your calls due today")).to_be_visible()
    expect(page.get_by_role("cell", name="La Cocina de Rosa")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "restaurants-desktop.png", full_page=True)

    page.locator("select[name=status]").select_option("CONVERTED")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="Midnight Diner")).to_have_count(0)
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/restaurants/")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "restaurants-phone.png", full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/api/docs/")
    expect(page.get_by_text("Fieldbook API").first).to_be_visible()
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "api-docs-desktop.png")
