"""A new owner registers, registers a business, sets prices and adds an add-on."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from account.models import Addon, Business
from tests.browser.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_owner_onboarding(page, live_server, screenshot_dir):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/account/login/"))
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").click()

    assert_accessible(page)
    page.locator("#id_username").fill("maria")
    page.locator("#id_email").fill("maria@example.com")
    page.locator("#id_password1").fill("Sparkling-clean-42")
    page.locator("#id_password2").fill("Sparkling-clean-42")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Register your business")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "register-business-desktop.png", full_page=True)
    page.locator("#id_name").fill("Maria's Maids")
    page.locator("#id_email").fill("hello@mariasmaids.example.com")
    page.locator("#id_phone").fill("+15125550123")
    page.locator("#id_address").fill("12 Elm St, Austin, TX")
    page.locator("#id_timezone").select_option("America/Chicago")
    page.get_by_role("button", name="Register business").click()

    expect(page.get_by_text("Getting started")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "home-desktop.png", full_page=True)

    page.get_by_role("link", name="Set your prices").click()
    assert_accessible(page)
    page.locator("#id_price_per_bedroom").fill("22.50")
    page.locator("#id_tax_rate").fill("8.25")
    page.get_by_role("button", name="Save prices and defaults").click()
    expect(page.get_by_text("Prices and defaults saved")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "settings-desktop.png", full_page=True)

    page.goto(live_server.url + "/account/business/addons/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a custom add-on").click()
    assert_accessible(page)
    page.locator("#id_name").fill("Wall washing")
    page.locator("#id_price").fill("30")
    page.get_by_role("button", name="Add add-on").click()
    expect(page.get_by_text("Add-on “Wall washing” added.")).to_be_visible()
    expect(page.get_by_role("cell", name="Wall washing custom")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "addons-desktop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "home-phone.png", full_page=True)
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    page.get_by_role("button", name=re.compile("maria")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.wait_for_timeout(400)  # let the menu finish opening before the screenshot
    assert_accessible(page)  # the open menu too
    page.screenshot(path=screenshot_dir / "menu-phone.png", full_page=True)

    business = Business.objects.get(name="Maria's Maids")
    assert business.settings.price_per_bedroom == Decimal("22.50")
    assert business.settings.tax_rate == Decimal("8.25")
    assert Addon.objects.get(business=business, key="wall_washing").price == Decimal("30.00")
