"""A cleaning business's day, end to end: the owner books a biweekly clean for
a returning customer picked from the search and assigns a cleaner; the
cleaner, on a phone, completes the job from My jobs; the owner sees the
invoice it made."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from booking.models import Booking, BookingStatus
from tests.booking.factories import make_booking
from tests.browser.a11y import assert_accessible
from tests.browser.test_crew import PHONE, sign_in
from tests.factories import add_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_biweekly_clean_for_a_returning_customer_done_by_the_cleaner(
    page, browser, live_server, owner, business, screenshot_dir
):
    add_member(business, role="cleaner", username="rosa", first_name="Rosa", last_name="Diaz")
    first = make_booking(
        business,
        days=-14,
        customer_first_name="Ada",
        customer_last_name="Byron",
        customer_phone="+15125550177",
        customer_email="ada@example.com",
        address="12 Lakeview Rd",
    )

    # The owner books her again, every 2 weeks, today early in the morning.
    sign_in(page, live_server, owner.username)
    page.goto(f"{live_server.url}/booking/create/")
    expect(page.locator("#quote-total")).to_be_visible()
    assert_accessible(page)
    page.locator("#customer-q").fill("byron")
    pick = page.locator(".customer-pick").first
    expect(pick).to_contain_text("12 Lakeview Rd")
    pick.click()
    expect(page.locator("#id_customer_first_name")).to_have_value("Ada")
    page.get_by_label("How often").select_option("biweekly")
    page.locator("#id_date").fill(business.today().isoformat())
    page.locator("#id_start_time").fill("00:05")
    page.get_by_label("Rosa Diaz").check()
    page.get_by_role("button", name="Save booking").click()
    expect(page.get_by_text("Repeats every 2 weeks")).to_be_visible()
    assert_accessible(page)

    booking = Booking.objects.exclude(pk=first.pk).order_by("start").first()
    assert booking.customer == first.customer
    assert booking.series.frequency == "biweekly"
    visits = list(booking.series.visits.order_by("start"))
    assert len(visits) > 1
    assert visits[1].start - visits[0].start in (
        timedelta(days=14),
        timedelta(days=14, hours=1),
        timedelta(days=14, hours=-1),
    )
    assert all(v.assignees.filter(user__username="rosa").exists() for v in visits)

    # Rosa completes it from My jobs on her phone.
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        sign_in(phone, live_server, "rosa")
        card = phone.locator(f"#job-{booking.public_id}")
        expect(card).to_contain_text("Ada Byron")
        card.get_by_role("button", name="Complete").click()
        expect(phone.get_by_text(f"Job {booking.public_id} completed.")).to_be_visible()
        assert_accessible(phone)
        phone.screenshot(path=screenshot_dir / "daily-run-phone.png", full_page=True)
    finally:
        context.close()

    # The owner sees the completed visit and its invoice.
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    invoice = booking.invoices.get()
    page.goto(f"{live_server.url}/booking/detail/{booking.public_id}/")
    expect(page.get_by_text("by Rosa Diaz")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=invoice.number or invoice.public_id).first.click()
    expect(page.get_by_text("Ada Byron").first).to_be_visible()
    assert_accessible(page)
