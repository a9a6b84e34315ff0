"""An owner books a returning customer picked from the search on the booking
form, then finds the booking on the customer's page; screenshots of the
customer pages at desktop and phone width."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from booking.models import Booking
from tests.booking.factories import make_booking
from tests.browser.a11y import assert_accessible
from tests.browser.test_booking import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_book_a_returning_customer_from_the_search(
    page, live_server, owner, business, screenshot_dir
):
    first = make_booking(
        business,
        days=-14,
        customer_first_name="Maria",
        customer_last_name="Lopez",
        customer_phone="+15125550143",
        customer_email="maria@example.com",
        address="88 Riverside Dr",
        bedrooms=4,
        bathrooms=3,
        square_feet=2600,
    )
    customer = first.customer
    sign_in(page, live_server, owner.username)

    page.get_by_role("link", name="Customers", exact=True).click()
    expect(page.get_by_role("link", name="Maria Lopez")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "customers-desktop.png", full_page=True)

    page.get_by_role("link", name="Bookings", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="New booking").click()
    expect(page.locator("#quote-total")).to_be_visible()
    assert_accessible(page)
    page.locator("#customer-q").fill("lope")
    pick = page.locator(".customer-pick").first
    expect(pick).to_contain_text("88 Riverside Dr")
    assert_accessible(page)
    pick.click()
    expect(page.locator("#customer-picked")).to_be_visible()
    expect(page.locator("#id_customer_first_name")).to_have_value("Maria")
    expect(page.locator("#id_address")).to_have_value("88 Riverside Dr")
    expect(page.locator("#id_bedrooms")).to_have_value("4")
    expect(page.locator("#id_square_feet")).to_have_value("2600")
    day = business.today() + timedelta(days=3)
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start_time").fill("10:00")
    page.screenshot(path=screenshot_dir / "booking-picker-desktop.png", full_page=True)
    page.get_by_role("button", name="Save booking").click()
    expect(page.get_by_text("saved")).to_be_visible()
    assert_accessible(page)

    booking = Booking.objects.exclude(pk=first.pk).get()
    assert booking.customer == customer
    assert booking.service_address == first.service_address
    assert (booking.bedrooms, booking.square_feet) == (4, 2600)

    page.goto(f"{live_server.url}/customers/{customer.public_id}/")
    expect(page.get_by_role("link", name=booking.public_id, exact=False).first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "customer-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "customer-phone.png", full_page=True)
    page.goto(f"{live_server.url}/customers/")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "customers-phone.png", full_page=True)
    page.goto(f"{live_server.url}/booking/create/")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "booking-picker-phone.png", full_page=True)
