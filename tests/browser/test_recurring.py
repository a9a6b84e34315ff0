"""An owner books a clean every two weeks, sees the discount in the live
price, finds the series' visits on the calendar, skips one from the series
page; every page is scanned and photographed at desktop and phone width."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from booking.models import BookingSeries
from tests.browser.a11y import assert_accessible
from tests.browser.test_booking import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_books_a_biweekly_clean_and_sees_its_visits(
    page, live_server, owner, business, screenshot_dir
):
    settings = business.settings
    settings.base_price_standard, settings.tax_rate = Decimal("40"), Decimal("0")
    settings.discount_biweekly = Decimal("10")
    settings.save()
    sign_in(page, live_server, owner.username)

    page.goto(live_server.url + "/booking/create/")
    expect(page.locator("#quote-total")).to_be_visible()
    page.locator("#id_customer_first_name").fill("Grace")
    page.locator("#id_customer_last_name").fill("Hopper")
    page.locator("#id_address").fill("7 Navy Way")
    page.locator("#id_bedrooms").fill("2")
    page.locator("#id_bathrooms").fill("1")
    page.locator("#id_square_feet").fill("1000")
    day = business.today() + timedelta(days=2)
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start_time").fill("10:00")
    total = page.locator("#quote-total")
    # 40 + 2 × 20 + 15 + 1000 × 0.05 = 145
    expect(total).to_have_attribute("data-total", "145.00")
    page.locator("#id_frequency").select_option("biweekly")
    expect(page.locator("#quote-table")).to_contain_text("Discount, every 2 weeks (10 %)")
    expect(total).to_have_attribute("data-total", "130.50")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "recurring-create-desktop.png", full_page=True)

    page.get_by_role("button", name="Save booking").click()
    expect(page.get_by_text(re.compile(r"Repeats every 2 weeks: \d+ visits"))).to_be_visible()
    assert_accessible(page)
    item = BookingSeries.objects.get()
    visits = list(item.visits.order_by("start"))
    assert len(visits) >= 6

    # The calendar shows each visit with the recurring mark.
    page.goto(live_server.url + f"/booking/calendar/?view=week&date={visits[1].occurrence_date}")
    second = page.locator(f'a.cal-event[href="/booking/detail/{visits[1].public_id}/"]')
    expect(second).to_contain_text("every 2 weeks")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "recurring-calendar-week-desktop.png", full_page=True)
    page.goto(live_server.url + f"/booking/calendar/?date={visits[2].occurrence_date}")
    expect(page.locator(f'a[href="/booking/detail/{visits[2].public_id}/"]').first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "recurring-calendar-month-desktop.png", full_page=True)

    # The series page lists them; skip one.
    page.goto(live_server.url + f"/booking/detail/{visits[1].public_id}/")
    page.get_by_role("link", name=re.compile("See all visits of series")).click()
    expect(page.get_by_role("heading", name=re.compile("Grace Hopper"))).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "series-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "series-phone.png", full_page=True)
    page.get_by_role(
        "link", name=visits[1].start.astimezone(business.tzinfo).strftime("%a %b %-d, %Y")
    ).click()
    page.get_by_role("link", name="Skip this visit").click()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "skip-phone.png", full_page=True)
    page.locator("#id_reason").fill("Customer away")
    page.get_by_role("button", name="Skip this visit").click()
    expect(page.locator(".alert", has_text="Skipped: Customer away")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + f"/booking/edit/{visits[2].public_id}/")
    expect(page.locator("#edit-scope")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "recurring-edit-phone.png", full_page=True)
    page.goto(live_server.url + f"/booking/calendar/?date={visits[2].occurrence_date}")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "recurring-calendar-phone.png", full_page=True)
    page.goto(live_server.url + "/account/business/settings/edit/")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "settings-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.screenshot(path=screenshot_dir / "settings-desktop.png", full_page=True)
