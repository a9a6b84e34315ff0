"""An owner books a deep clean, watches the quote follow the add-ons, marks
the job completed and downloads the invoice PDF."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from booking.models import Booking, Invoice
from tests.booking.factories import make_booking, make_invoice
from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Getting started")).to_be_visible()
    assert_accessible(page)


def test_book_complete_and_download_invoice(page, live_server, owner, business, screenshot_dir):
    settings = business.settings
    settings.base_price_standard, settings.tax_rate = Decimal("0"), Decimal("8")
    settings.save()
    sign_in(page, live_server, owner.username)

    page.get_by_role("link", name="Bookings", exact=True).click()
    expect(page.get_by_text("No bookings yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="New booking").click()
    expect(page.locator("#quote-total")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_customer_first_name").fill("Ada")
    page.locator("#id_customer_last_name").fill("Lovelace")
    page.locator("#id_customer_email").fill("ada@example.com")
    page.locator("#id_customer_phone").fill("+15125550111")
    page.locator("#id_address").fill("12 Elm St")
    page.locator("#id_city").fill("Austin")
    page.locator("#id_service_type").select_option("deep")
    page.locator("#id_bedrooms").fill("3")
    page.locator("#id_bathrooms").fill("2")
    page.locator("#id_square_feet").fill("1500")
    day = business.today() + timedelta(days=2)
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start_time").fill("09:30")
    total = page.locator("#quote-total")
    # 60 + 30 + 150 = 240, + 8 % tax
    expect(total).to_have_attribute("data-total", "259.20")
    page.screenshot(path=screenshot_dir / "booking-create-desktop.png", full_page=True)

    page.locator("#id_addon_oven").fill("1")
    expect(total).to_have_attribute("data-total", "286.20")  # + 25 oven, + 2.00 tax
    expect(page.locator("#quote-table")).to_contain_text("Inside oven")

    page.get_by_role("button", name="Save booking").click()
    expect(page.get_by_text(re.compile(r"Booking BK-\w{8} for Ada Lovelace saved"))).to_be_visible()
    booking = Booking.objects.get()
    assert booking.total == Decimal("286.20")
    expect(page.locator("#booking-total")).to_have_text("$286.20")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "booking-detail-desktop.png", full_page=True)

    # The booking is tomorrow: completing it asks for a confirmation first.
    page.get_by_role("link", name="Mark completed").click()
    expect(page.get_by_text("This booking has not started yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, the job is done").click()
    expect(page.get_by_text("Invoice INV-0001 is ready")).to_be_visible()
    expect(page.locator("#invoice-total")).to_have_text("$286.20")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "invoice-detail-desktop.png", full_page=True)

    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    download = download_info.value
    assert download.suggested_filename == "Invoice-INV-0001.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_text("INV-0001")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "invoice-preview-desktop.png", full_page=True)

    page.goto(live_server.url + f"/booking/invoices/detail/{Invoice.objects.get().public_id}/")
    assert_accessible(page)
    page.locator("#id_amount").fill("100")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment recorded")).to_be_visible()
    expect(page.locator("#invoice-status")).to_have_text("Partially paid")
    expect(page.locator("#amount-due")).to_have_text("$186.20")
    assert_accessible(page)


def test_screens_with_data(page, live_server, owner, business, screenshot_dir):
    for i in range(8):
        make_booking(business, days=i - 2, hour=8 + i, customer_first_name=f"Client{i}")
    late = make_invoice(business, days=-20, customer_first_name="Late")
    late.due_date = business.today() - timedelta(days=3)
    late.save()
    make_invoice(business, days=-4, customer_first_name="Open", addons={"oven": 1, "windows": 3})
    sign_in(page, live_server, owner.username)
    page.screenshot(path=screenshot_dir / "booking-home-desktop.png", full_page=True)
    pages = {
        "booking-list": "/booking/",
        "booking-calendar-month": "/booking/calendar/",
        "booking-calendar-week": "/booking/calendar/?view=week",
        "invoice-list": "/booking/invoices/",
        "booking-create": "/booking/create/",
        "invoice-detail": f"/booking/invoices/detail/{late.public_id}/",
        "invoice-preview": f"/booking/invoices/{late.public_id}/preview/",
        "booking-detail": f"/booking/detail/{late.booking.public_id}/",
        "invoice-edit": f"/booking/invoices/edit/{late.public_id}/",
        "booking-cancel": f"/booking/cancel/{late.booking.public_id}/",
    }
    for name, path in pages.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + path)
        assert_accessible(page)
        page.screenshot(path=screenshot_dir / f"{name}-desktop.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(live_server.url + path)
        assert_accessible(page)
        page.screenshot(path=screenshot_dir / f"{name}-phone.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways on a phone ({width}px)"
