from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from account.events import business_event
from booking import services as booking_services
from booking.models import BookingStatus
from booking.tasks import email_invoice
from online import availability, links
from online.models import CustomerChange
from tests.booking.factories import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(page):
    window = availability.windows(page)[3]
    return make_booking(page.business, start=window.start)


@pytest.fixture
def events():
    seen = []

    def receiver(sender, event_type, data, **kwargs):
        seen.append(event_type)

    business_event.connect(receiver)
    yield seen
    business_event.disconnect(receiver)


def url(booking, name="online:customer_booking"):
    return reverse(name, args=[links.customer_token(booking)])


def test_customer_page_shows_the_booking_its_lines_and_status(client, booking):
    response = client.get(url(booking))
    assert response.status_code == 200
    body = response.content.decode()
    assert booking.public_id in body
    assert "Scheduled" in body
    for line in booking.lines.all():
        assert line.description in body
    assert "Move my booking" in body


def test_token_is_not_a_sequential_id(booking):
    token = links.customer_token(booking)
    assert str(booking.pk) not in token.split(":")[0] or len(token) > 40
    assert booking.public_id not in token


@pytest.mark.parametrize("problem", ["tampered", "expired", "revoked", "other_business", "junk"])
def test_bad_tokens_are_404(client, booking, other_business, problem, settings):
    token = links.customer_token(booking)
    if problem == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif problem == "expired":
        settings.FIELDBOOK_CUSTOMER_LINK_DAYS = 0
    elif problem == "revoked":
        links.revoke(booking)
    elif problem == "other_business":
        other = make_booking(other_business)
        nonce = links.customer_token(other) and other.customer_link.nonce
        # Validly signed, but naming another business's booking under ours.
        token = signing.dumps(
            {"b": other.public_id, "o": booking.business_id, "n": nonce},
            salt=links.SALT,
            compress=True,
        )
    elif problem == "junk":
        token = "12345"
    if problem == "expired":
        import time

        time.sleep(1.1)
    for name in (
        "online:customer_booking",
        "online:customer_cancel",
        "online:customer_invoice",
        "online:customer_invoice_pdf",
    ):
        assert client.get(reverse(name, args=[token])).status_code == 404, name
    response = client.post(reverse("online:customer_cancel", args=[token]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED


def test_new_link_works_after_revoking(client, booking):
    old = url(booking)
    links.revoke(booking)
    assert client.get(old).status_code == 404
    assert client.get(url(booking)).status_code == 200


def test_reschedule_inside_the_cut_off(
    client, page, booking, events, django_capture_on_commit_callbacks
):
    target = availability.windows(page)[6]
    before_total = booking.total
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(booking, "online:customer_reschedule"), {"slot": target.value})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == target.start
    assert booking.total == before_total
    notes = [note.message for note in booking.history.all()]
    assert any(n.startswith("Rescheduled by the customer online") for n in notes)
    assert "booking.updated" in events
    change = CustomerChange.objects.get()
    assert change.kind == "rescheduled"
    subjects = [m.subject for m in mail.outbox]
    assert any("changed booking" in s for s in subjects)  # the business
    assert any("was moved" in s for s in subjects)  # the customer


def test_reschedule_to_a_full_or_unknown_window_is_refused(client, page, booking):
    full = availability.windows(page)[7]
    make_booking(page.business, start=full.start)
    for value in (full.value, "2020-01-01T09:00", "nonsense"):
        response = client.post(url(booking, "online:customer_reschedule"), {"slot": value})
        assert response.status_code == 400
    start = booking.start
    booking.refresh_from_db()
    assert booking.start == start
    assert not CustomerChange.objects.exists()


def test_changes_outside_the_cut_off_show_the_phone(client, page, booking):
    page.change_cutoff_hours = 24 * 20
    page.save()
    response = client.get(url(booking))
    assert b"too close to the appointment" in response.content
    assert b"tel:" in response.content
    target = availability.windows(page)[6]
    response = client.post(url(booking, "online:customer_reschedule"), {"slot": target.value})
    assert response.status_code == 400
    client.post(url(booking, "online:customer_cancel"))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED
    assert not CustomerChange.objects.exists()


def test_cancel_inside_the_cut_off(client, booking, events, django_capture_on_commit_callbacks):
    assert client.get(url(booking, "online:customer_cancel")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(booking, "online:customer_cancel"))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "booking.cancelled" in events
    assert CustomerChange.objects.get().kind == "cancelled"
    assert any("is cancelled" in m.subject for m in mail.outbox)
    # Nothing more to change.
    page = client.get(url(booking)).content
    assert b"Move my booking" not in page


def test_owner_sees_customer_changes_on_the_dashboard(client, owner_client, page, booking):
    target = availability.windows(page)[6]
    client.post(url(booking, "online:customer_reschedule"), {"slot": target.value})
    home = owner_client.get("/")
    assert b"Recent customer changes" in home.content
    assert b"Rescheduled by the customer online" in home.content


def test_invoice_page_pdf_payments_and_payment_link(client, page, booking):
    page.payment_instructions = "Zelle to pay@sparkle.example"
    page.payment_link_template = "https://pay.example.com/?amount={amount}&ref={invoice}"
    page.save()
    response = client.get(url(booking, "online:customer_invoice"))
    assert b"no invoice for this booking yet" in response.content
    invoice, _ = booking_services.invoice_create(booking=booking)
    booking_services.payment_record(
        invoice=invoice, amount="10.00", method="cash", paid_on=page.business.today()
    )
    invoice.refresh_from_db()
    response = client.get(url(booking, "online:customer_invoice"))
    body = response.content.decode()
    assert invoice.number in body
    assert "Zelle to pay@sparkle.example" in body
    assert f"https://pay.example.com/?amount={invoice.amount_due}&amp;ref={invoice.number}" in body
    assert "No payments yet" not in body
    document = client.get(url(booking, "online:customer_invoice_document"))
    assert document.status_code == 200
    assert invoice.number.encode() in document.content
    pdf = client.get(url(booking, "online:customer_invoice_pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_invoice_email_carries_the_customer_link(booking):
    invoice, _ = booking_services.invoice_create(booking=booking)
    email_invoice.enqueue(invoice_id=invoice.pk)
    body = mail.outbox[-1].body
    assert "/c/" in body and "/invoice/" in body
    token = body.split("/c/")[1].split("/")[0]
    assert links.booking_for_token(token) == booking


def test_customer_pages_are_not_framed(client, booking):
    response = client.get(url(booking))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_reschedule_needs_csrf(booking, page):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    target = availability.windows(page)[6]
    response = strict.post(url(booking, "online:customer_reschedule"), {"slot": target.value})
    assert response.status_code == 403


def test_history_records_a_requested_booking_cancel(client, page):
    window = availability.windows(page)[2]
    booking = make_booking(page.business, start=window.start)
    booking.status = BookingStatus.REQUESTED
    booking.save()
    client.post(url(booking, "online:customer_cancel"))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert timezone.now() - booking.cancelled_at < timedelta(minutes=1)


def test_customer_pages_queries_are_bounded(client, page, django_assert_max_num_queries):
    window = availability.windows(page)[3]
    booking = make_booking(page.business, start=window.start, addons={"oven": 1})
    link = url(booking)
    invoice_link = url(booking, "online:customer_invoice")
    booking_services.invoice_create(booking=booking)
    with django_assert_max_num_queries(12):
        assert client.get(link).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(invoice_link).status_code == 200
    for n in range(10):
        make_booking(page.business, start=window.start + timedelta(days=1, hours=n % 3))
    with django_assert_max_num_queries(12):
        assert client.get(link).status_code == 200
