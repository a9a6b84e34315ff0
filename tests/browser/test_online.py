"""A customer books on a phone, opens the link in the confirmation email and
reschedules; the owner sees the change on the dashboard and the calendar. And
the booking page works inside an <iframe> on another site."""

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from online import availability
from online.services import booking_page_for
from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = "/tmp/fieldbook-online-shots"


@pytest.fixture
def booking_page(business):
    page = booking_page_for(business)
    page.enabled = True
    page.slug = "sparkle"
    page.working_hours = {str(day): ["08:00", "17:00"] for day in range(7)}
    page.capacity = 1
    page.brand_color = "#0f766e"
    page.save()
    return page


def shot(page, name):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_customer_books_on_a_phone_then_reschedules_and_owner_sees_it(
    browser, live_server, settings, owner, business, booking_page
):
    settings.SITE_URL = live_server.url
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(f"{live_server.url}/book/sparkle/")
    expect(phone.get_by_role("heading", name=re.compile("Book a cleaning"))).to_be_visible()
    assert_accessible(phone)
    shot(phone, "book-phone-empty")

    phone.locator("#id_service_type").select_option("deep")
    phone.locator("#id_bedrooms").fill("3")
    phone.locator("#id_bathrooms").fill("2")
    phone.locator("#id_square_feet").fill("1500")
    phone.locator("#id_addon_oven").fill("1")
    first = availability.windows(booking_page)[0]
    phone.locator("#id_slot").select_option(first.value)
    phone.locator("#id_address").fill("12 Elm St")
    phone.locator("#id_city").fill("Austin")
    phone.locator("#id_customer_first_name").fill("Ada")
    phone.locator("#id_customer_last_name").fill("Lovelace")
    phone.locator("#id_customer_email").fill("ada@example.com")
    phone.locator("#id_customer_phone").fill("512 555 0111")
    from booking import pricing

    expected = pricing.quote(
        business=business,
        service_type="deep",
        bedrooms=3,
        bathrooms=2,
        square_feet=1500,
        addons={"oven": 1},
    )
    expect(phone.locator("#quote-total")).to_have_attribute("data-total", str(expected.total))
    assert_accessible(phone)
    shot(phone, "book-phone-filled")
    phone.get_by_role("button", name="Book now").click()
    expect(phone.get_by_role("heading", name=re.compile("Thank you, Ada"))).to_be_visible()
    assert_accessible(phone)
    shot(phone, "book-phone-thanks")
    booking = Booking.objects.get(business=business)
    assert booking.total == expected.total

    confirmation = next(m for m in mail.outbox if "is confirmed" in m.subject)
    link = re.search(r"(http\S+/c/\S+/)", confirmation.body).group(1)
    phone.goto(link)
    expect(phone.get_by_role("heading", name=re.compile("Your booking"))).to_be_visible()
    assert_accessible(phone)
    shot(phone, "customer-booking-phone")
    target = availability.windows(booking_page, exclude=booking)[5]
    phone.locator("#id_slot").select_option(target.value)
    phone.get_by_role("button", name="Move my booking").click()
    expect(phone.get_by_text("Your booking was moved")).to_be_visible()
    assert_accessible(phone)
    booking.refresh_from_db()
    assert booking.start == target.start
    context.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    office = desk.new_page()
    office.set_default_timeout(15_000)
    office.goto(live_server.url + "/account/login/")
    assert_accessible(office)
    office.locator("#id_username").fill(owner.username)
    office.locator("#id_password").fill(PASSWORD)
    office.get_by_role("button", name="Sign in").click()
    expect(office.get_by_text("Recent customer changes")).to_be_visible()
    expect(office.locator("#customer-changes")).to_contain_text("Rescheduled by the customer")
    assert_accessible(office)
    day = timezone.localtime(target.start, business.tzinfo).date()
    office.goto(f"{live_server.url}/booking/calendar/?view=week&date={day.isoformat()}")
    expect(office.get_by_text("Lovelace").first).to_be_visible()
    assert_accessible(office)
    office.goto(f"{live_server.url}/account/business/booking-page/")
    assert_accessible(office)
    shot(office, "settings-desktop")
    desk.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_booking_page_renders_inside_an_iframe_on_another_origin(
    browser, live_server, booking_page, tmp_path
):
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our site</title>'
        "</head><body><main><h1>Sparkle on our own site</h1>"
        f'<iframe src="{live_server.url}/book/sparkle/" title="Book a cleaning" '
        'width="100%" height="1200"></iframe></main></body></html>'
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"http://localhost:{server.server_address[1]}/index.html")
        frame = page.frame_locator("iframe")
        expect(frame.get_by_role("heading", name=re.compile("Book a cleaning"))).to_be_visible()
        expect(frame.locator("#quote-total")).to_be_visible()
        context.close()
    finally:
        server.shutdown()


def test_customer_invoice_and_booking_page_at_both_widths(
    browser, live_server, settings, business, booking_page
):
    from booking import services as booking_services
    from online import links
    from tests.booking.factories import make_booking

    settings.SITE_URL = live_server.url
    booking_page.payment_instructions = "Zelle: pay@sparkle.example\nor a check at the door."
    booking_page.payment_link_template = "https://pay.example.com/?amount={amount}&ref={invoice}"
    booking_page.save()
    window = availability.windows(booking_page)[2]
    booking = make_booking(business, start=window.start, addons={"oven": 1})
    invoice, _ = booking_services.invoice_create(booking=booking)
    booking_services.payment_record(
        invoice=invoice, amount="20.00", method="card", paid_on=business.today()
    )
    token = links.customer_token(booking)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/c/{token}/invoice/")
        expect(page.get_by_role("heading", name=f"Invoice {invoice.number}")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("online"))).to_have_attribute(
            "href", re.compile(r"amount=\d+\.\d\d&ref=")
        )
        assert_accessible(page)
        shot(page, f"customer-invoice-{name}")
        page.goto(f"{live_server.url}/book/sparkle/")
        expect(page.locator("#quote-total")).to_be_visible()
        assert_accessible(page)
        shot(page, f"book-{name}")
        context.close()
