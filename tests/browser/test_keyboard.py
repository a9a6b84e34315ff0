"""Fieldbook without a mouse: an owner signs in, books a deep clean with an
add-on, reads the live quote, completes the job and records a payment using
only the keyboard (keyboard.press and keyboard.type, never a click). Also: the
skip link, the user menu on Space and Enter, the error summary, focus rings."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from booking.models import Booking, Invoice, InvoiceStatus
from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "document.activeElement"


def focused(page, script="e => e.outerHTML"):
    return page.evaluate(f"({script})({ACTIVE})")


def tab_to(page, selector, *, limit=80, key="Tab"):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"{ACTIVE}.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} not reached with {key}; focus is on {focused(page)[:200]}")


def tab_to_text(page, pattern, **kwargs):
    """Press Tab until a link or button whose text matches `pattern` has the focus."""
    for _ in range(kwargs.get("limit", 80)):
        page.keyboard.press("Tab")
        if re.search(pattern, focused(page, "e => e.innerText || ''")):
            return
    raise AssertionError(f"nothing matching {pattern!r} reached with Tab")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    type_into(page, "#id_username", username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Getting started")).to_be_visible()
    assert_accessible(page)


def test_book_and_take_a_payment_with_the_keyboard_only(page, live_server, owner, business):
    settings = business.settings
    settings.base_price_standard, settings.tax_rate = Decimal("0"), Decimal("8")
    settings.save()
    sign_in(page, live_server, owner.username)

    # To a new booking through the navigation.
    tab_to(page, "nav a[href='/booking/']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("No bookings yet")).to_be_visible()
    assert_accessible(page)
    tab_to_text(page, r"^\s*New booking")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New booking")).to_be_visible()
    assert_accessible(page)

    # Saved empty: the error summary takes the focus; its first link leads to
    # the first field with an error.
    tab_to_text(page, r"Save booking")
    page.keyboard.press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    assert_accessible(page)
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_customer_first_name")).to_be_focused()

    page.keyboard.type("Ada")
    page.keyboard.press("Tab")
    page.keyboard.type("Lovelace")
    type_into(page, "#id_customer_email", "ada@example.com")
    type_into(page, "#id_customer_phone", "+15125550111")
    type_into(page, "#id_address", "12 Elm St")
    type_into(page, "#id_city", "Austin")
    tab_to(page, "#id_service_type")
    page.keyboard.type("Deep")
    expect(page.locator("#id_service_type")).to_have_value("deep")
    type_into(page, "#id_bedrooms", "3")
    type_into(page, "#id_bathrooms", "2")
    type_into(page, "#id_square_feet", "1500")
    day = business.today() + timedelta(days=2)
    tab_to(page, "#id_date")
    page.keyboard.type(day.strftime("%m%d%Y"))
    expect(page.locator("#id_date")).to_have_value(day.isoformat())
    tab_to(page, "#id_start_time")
    page.keyboard.type("0930AM")
    expect(page.locator("#id_start_time")).to_have_value("09:30")
    type_into(page, "#id_addon_oven", "1")

    # The quote is a live region: read what it says.
    quote = page.locator("#quote")
    expect(quote).to_have_attribute("aria-live", "polite")
    # 60 + 30 + 150 + 25 oven = 265, + 8 % tax
    expect(page.locator("#quote-total")).to_have_attribute("data-total", "286.20")
    text = quote.inner_text()
    assert "Inside oven" in text
    assert "$286.20" in text
    assert_accessible(page)

    tab_to_text(page, r"Save booking")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Booking BK-\w{8} for Ada Lovelace saved"))).to_be_visible()
    assert_accessible(page)
    booking = Booking.objects.get()
    assert booking.total == Decimal("286.20")

    # Complete the job (it has not started: confirm), then record a payment.
    tab_to_text(page, r"Mark completed")
    page.keyboard.press("Enter")
    expect(page.get_by_text("This booking has not started yet.")).to_be_visible()
    assert_accessible(page)
    tab_to_text(page, r"Yes, the job is done")
    page.keyboard.press("Space")
    expect(page.get_by_text("Invoice INV-0001 is ready")).to_be_visible()
    assert_accessible(page)

    type_into(page, "#id_amount", "100")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Payment recorded")).to_be_visible()
    expect(page.locator("#amount-due")).to_have_text("$186.20")
    assert_accessible(page)
    assert Invoice.objects.get().status == InvoiceStatus.PARTIALLY_PAID


def test_skip_link_moves_past_the_navigation(page, live_server, owner, business):
    sign_in(page, live_server, owner.username)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert focused(page, "e => !!e.closest('main') && !e.closest('nav')")


@pytest.mark.parametrize("key", ["Space", "Enter"])
def test_user_menu_opens_with_space_and_enter(page, live_server, owner, business, key):
    sign_in(page, live_server, owner.username)
    toggle = page.locator("nav button.dropdown-toggle")
    tab_to(page, "nav button.dropdown-toggle")
    scroll = page.evaluate("window.scrollY")
    page.keyboard.press(key)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Profile and API keys")).to_be_visible()
    assert page.evaluate("window.scrollY") == scroll  # Space did not scroll the page
    page.wait_for_timeout(200)  # the menu's fade
    assert_accessible(page)  # the open menu (the business name in it) too
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()


def test_failed_sign_in_is_announced(page, live_server, owner):
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    type_into(page, "#id_username", owner.username)
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("password do not match")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert_accessible(page)


# A control's focus ring: its outline and the colour behind it.
RING = """e => {
  const style = getComputedStyle(e);
  let behind = e.parentElement, background = "rgb(255, 255, 255)";
  while (behind) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    behind = behind.parentElement;
  }
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          colour: style.outlineColor, background};
}"""


def luminance(rgb):
    channels = [int(value) / 255 for value in re.findall(r"\d+(?:\.\d+)?", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    high, low = sorted([luminance(first), luminance(second)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("width", [1280, 390])
def test_focus_rings_reach_three_to_one(page, live_server, owner, business, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, owner.username)
    page.goto(live_server.url + "/booking/create/")
    assert_accessible(page)
    controls = [
        "a.skip-link",
        "nav .navbar-toggler" if width < 992 else "nav a.nav-link",
        "#id_customer_first_name",
        "#id_service_type",
        "main a.btn-outline-secondary",
        "#id_addon_oven",
        "form button.btn-primary",
    ]
    for selector in controls:
        tab_to(page, selector)
        ring = focused(page, RING)
        assert ring["style"] == "solid", (selector, ring)
        assert ring["width"] >= 2, (selector, ring)
        ratio = contrast(ring["colour"], ring["background"])
        assert ratio >= 3, (selector, ring, ratio)
