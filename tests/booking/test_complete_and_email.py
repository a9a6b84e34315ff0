"""Completing a booking that has not started asks for a confirmation first;
the invoice email thanks the customer once and shows the formatted phone."""

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import BookingStatus, Invoice
from tests.booking.factories import make_booking, make_invoice

pytestmark = pytest.mark.django_db


def test_completing_a_future_booking_asks_for_confirmation(owner_client, business):
    booking = make_booking(business, days=2, hour=14)
    url = reverse("booking:mark_completed", args=[booking.public_id])

    detail = owner_client.get(reverse("booking:detail", args=[booking.public_id]))
    assert f'href="{url}"' in detail.content.decode()  # a link to the confirmation

    response = owner_client.get(url)
    assert response.status_code == 200
    assert b"This booking has not started yet." in response.content
    assert b'name="confirm" value="1"' in response.content

    response = owner_client.post(url)  # without the confirmation
    assert response.status_code == 200
    assert b"This booking has not started yet." in response.content
    assert b"2:00 PM" in response.content
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED
    assert not Invoice.objects.exists()

    response = owner_client.post(url, {"confirm": "1"})
    invoice = Invoice.objects.get(booking=booking)
    assert response.url == reverse("booking:invoice_detail", args=[invoice.public_id])
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED


def test_completing_a_past_booking_needs_no_confirmation(owner_client, business):
    booking = make_booking(business, days=-1)
    detail = owner_client.get(reverse("booking:detail", args=[booking.public_id])).content.decode()
    url = reverse("booking:mark_completed", args=[booking.public_id])
    assert f'<form method="post" action="{url}">' in detail
    response = owner_client.post(url)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED


def test_the_confirmation_page_of_a_completed_booking_goes_back_to_it(owner_client, business):
    booking = make_booking(business, days=-1)
    url = reverse("booking:mark_completed", args=[booking.public_id])
    owner_client.post(url)
    response = owner_client.get(url)
    assert response.url == reverse("booking:detail", args=[booking.public_id])


def test_an_outsider_cannot_see_the_confirmation(outsider_client, business):
    booking = make_booking(business)
    url = reverse("booking:mark_completed", args=[booking.public_id])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"confirm": "1"}).status_code == 404


def _send(owner_client, invoice):
    owner_client.post(reverse("booking:invoice_send", args=[invoice.public_id]))
    return mail.outbox[-1].body


def test_invoice_email_does_not_thank_twice(owner_client, business):
    invoice = make_invoice(business)
    invoice.notes = "Thank you for your business! Payment is due within 14 days."
    invoice.save()
    body = _send(owner_client, invoice)
    assert body.lower().count("thank") == 1
    assert "Thank you for your business!" in body
    assert "(512) 555-0100" in body and "+15125550100" not in body


def test_invoice_email_thanks_when_the_notes_do_not(owner_client, business):
    invoice = make_invoice(business)
    invoice.notes = "Payment is due within 14 days."
    invoice.save()
    body = _send(owner_client, invoice)
    assert f"Thank you for choosing {business.name}." in body
    assert body.lower().count("thank") == 1
