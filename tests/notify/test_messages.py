"""Each message renders in the business's name, formats, time zone and clock."""

import datetime as dt

from notify import messages
from notify.models import MessageKind
from tests.booking.factories import make_booking

from .conftest import switch_on
from .helpers import overdue_invoice


def _start(business, day_offset, hour, minute=0):
    day = business.today() + dt.timedelta(days=day_offset)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=business.tzinfo)


def test_confirmation_has_details_total_local_time_and_contact(business):
    notification_settings = switch_on(business)
    booking = make_booking(business, start=_start(business, 3, 14, 30), addons={"fridge": 1})
    email = messages.build_booking_message(MessageKind.CONFIRMATION, booking, notification_settings)
    assert email.to == "jamie@example.com"
    assert email.subject.startswith(f"Your booking with {business.name} on ")
    assert email.reply_to == [business.email]
    for body in (email.text, email.html):
        assert "2:30 PM" in body
        assert "Inside fridge" in body
        assert f"${booking.total:,.2f}" in body
        assert "(512) 555-0100" in body
        assert business.email in body
        assert booking.public_id in body
    assert "<html" in email.html and "<table" in email.html


def test_times_follow_the_business_clock_and_time_zone(business):
    business.timezone = "Europe/Berlin"
    business.time_format = "24h"
    business.save()
    notification_settings = switch_on(business)
    booking = make_booking(business, start=_start(business, 3, 14, 30))
    email = messages.build_booking_message(MessageKind.REMINDER, booking, notification_settings)
    assert "14:30" in email.text and "2:30 PM" not in email.text
    assert "Total: $" in email.text


def test_reminder_lists_no_price_lines(business):
    notification_settings = switch_on(business)
    booking = make_booking(business, addons={"fridge": 1})
    email = messages.build_booking_message(MessageKind.REMINDER, booking, notification_settings)
    assert "Inside fridge" not in email.text
    assert email.subject.startswith(f"Reminder: {business.name} is coming ")


def test_invoice_reminder_shows_amount_due(business):
    notification_settings = switch_on(business)
    invoice = overdue_invoice(business, 10)
    email = messages.build_invoice_reminder(invoice, notification_settings, today=business.today())
    assert email.subject == f"Invoice {invoice.number} from {business.name} is overdue"
    assert f"${invoice.amount_due:,.2f}" in email.text
    assert "Amount due" in email.html


def test_crew_digest_lists_jobs_without_prices(business):
    notification_settings = switch_on(business)
    bookings = [
        make_booking(business, start=_start(business, 1, 9), special_requests="Gate 1234"),
        make_booking(business, start=_start(business, 1, 13), customer_first_name="Alex"),
    ]
    email = messages.build_crew_digest(
        business,
        notification_settings,
        to="sam@example.com",
        member_name="Sam",
        day=business.today() + dt.timedelta(days=1),
        bookings=bookings,
    )
    assert "Hello Sam" in email.text and "2 job(s)" in email.text
    assert "9:00 AM" in email.text and "1:00 PM" in email.text and "Gate 1234" in email.text
    assert "$" not in email.text and "$" not in email.html


def test_custom_words_are_used_and_escaped_in_html(business):
    notification_settings = switch_on(
        business,
        confirmation_subject="Booked: {date} <3",
        confirmation_body="Hi {customer_name} <img src=x onerror=alert(1)>",
    )
    booking = make_booking(business, customer_first_name="<b>Jo</b>")
    email = messages.build_booking_message(MessageKind.CONFIRMATION, booking, notification_settings)
    assert email.subject.startswith("Booked: ") and email.subject.endswith("<3")
    assert "Hi <b>Jo</b> Smith <img src=x onerror=alert(1)>" in email.text
    assert "<img src=x" not in email.html and "<b>Jo" not in email.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in email.html


def test_logo_is_an_absolute_url(business, settings, tmp_path):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "PNG")
    business.logo.save("logo.png", ContentFile(buffer.getvalue()))
    email = messages.sample(MessageKind.CONFIRMATION, business, None)
    assert f'<img src="{settings.SITE_URL}/' in email.html


def test_samples_render_for_every_kind(business):
    for kind in MessageKind.values:
        email = messages.sample(kind, business, None)
        assert email.subject and business.name in email.text and email.content
    assert "$180.00" in messages.sample(MessageKind.CONFIRMATION, business, None).text
    assert "$130.00" in messages.sample(MessageKind.INVOICE_OVERDUE, business, None).text


def test_the_customer_link_plugs_in(business, monkeypatch):
    from notify import links
    from online.links import booking_for_token

    booking = make_booking(business)
    link = links.customer_link(booking)
    token = link.rstrip("/").rsplit("/c/", 1)[1]
    assert booking_for_token(token) == booking
    invoice = overdue_invoice(business, 3)
    assert links.customer_link(invoice).endswith("/invoice/")
    monkeypatch.setattr(messages, "customer_link", lambda obj: "https://example.com/c/abc?x=1&y=2")
    notification_settings = switch_on(business, confirmation_body="See {link}")
    email = messages.build_booking_message(
        MessageKind.CONFIRMATION, make_booking(business), notification_settings
    )
    assert "See https://example.com/c/abc?x=1&y=2" in email.text
    assert "View online: https://example.com/c/abc?x=1&y=2" in email.text
    assert 'href="https://example.com/c/abc?x=1&amp;y=2"' in email.html


def test_who_may_be_emailed(business):
    from notify.rules import customer_allows

    assert customer_allows(make_booking(business))
    assert not customer_allows(make_booking(business, customer_email=""))
    invoice = overdue_invoice(business, 3)
    assert customer_allows(invoice)
    invoice.bill_to_email = "  "
    assert not customer_allows(invoice)


def test_a_customer_with_reminders_switched_off_gets_no_message(business):
    from notify.rules import customer_allows

    booking = make_booking(business)
    assert booking.customer is not None
    invoice = overdue_invoice(business, 3)
    booking.customer.reminders_enabled = False
    booking.customer.save(update_fields=["reminders_enabled"])
    invoice.booking.customer.reminders_enabled = False
    invoice.booking.customer.save(update_fields=["reminders_enabled"])
    booking.refresh_from_db()
    invoice.refresh_from_db()
    assert not customer_allows(booking)
    assert not customer_allows(invoice)
