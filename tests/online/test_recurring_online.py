"""Recurring service on the booking page: the frequency step prices with the
business's discount, books a series, waits for the owner in request mode,
and lets the customer skip a visit or stop the series when allowed."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from account.models import ServiceFrequency
from booking import pricing
from booking.models import Booking, BookingStatus, SeriesStatus
from online import links
from online.models import BookingMode, CustomerChange

from .conftest import book_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def discounted(page):
    settings = page.business.settings
    settings.discount_biweekly = Decimal("10.00")
    settings.save()
    return page


def test_every_frequency_is_offered(client, page, book_url):
    body = client.get(book_url).content.decode()
    for value, label in ServiceFrequency.choices:
        assert f'value="{value}"' in body and label in body


def test_biweekly_quote_has_the_discount_line_and_equals_the_stored_total(
    client, discounted, book_url
):
    page = discounted
    data = book_data(page, frequency=ServiceFrequency.BIWEEKLY)
    quoted = client.post(reverse("online:book_quote", args=[page.slug]), data)
    expected = pricing.quote(
        business=page.business,
        service_type="standard",
        bedrooms=3,
        bathrooms=2,
        square_feet=1500,
        addons={},
        frequency=ServiceFrequency.BIWEEKLY,
    )
    assert any(line.kind == "discount" for line in expected.lines)
    assert f'data-total="{expected.total}"'.encode() in quoted.content
    assert b'data-line-key="discount"' in quoted.content
    response = client.post(book_url, data)
    assert response.status_code == 201, response.content.decode()[:2000]
    first = Booking.objects.order_by("start").first()
    assert first.total == expected.total
    assert first.series.frequency == ServiceFrequency.BIWEEKLY
    assert first.series.status == SeriesStatus.ACTIVE
    assert first.series.visits.count() > 1
    assert all(visit.total == expected.total for visit in first.series.visits.all())


def test_request_mode_holds_the_series_until_the_owner_confirms(
    client, owner_client, page, book_url
):
    page.mode = BookingMode.REQUEST
    page.save()
    client.post(book_url, book_data(page, frequency=ServiceFrequency.WEEKLY))
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED
    assert booking.series.status == SeriesStatus.PAUSED
    owner_client.post(reverse("online:request_confirm", args=[booking.public_id]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED
    assert booking.series.status == SeriesStatus.ACTIVE
    assert booking.series.visits.filter(status=BookingStatus.SCHEDULED).count() > 1


def test_a_declined_request_ends_its_series(client, owner_client, page, book_url):
    page.mode = BookingMode.REQUEST
    page.save()
    client.post(book_url, book_data(page, frequency=ServiceFrequency.WEEKLY))
    booking = Booking.objects.get()
    owner_client.post(reverse("online:request_decline", args=[booking.public_id]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.series.status == SeriesStatus.ENDED
    assert Booking.objects.count() == 1


def _series_visit(client, page, book_url):
    client.post(book_url, book_data(page, frequency=ServiceFrequency.WEEKLY))
    first = Booking.objects.order_by("start").first()
    return first, reverse("online:customer_cancel", args=[links.customer_token(first)])


def test_customer_skips_one_visit(client, page, book_url, django_capture_on_commit_callbacks):
    first, url = _series_visit(client, page, book_url)
    later = first.series.visits.exclude(pk=first.pk).count()
    assert b"Skip this visit only" in client.get(url).content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "skip"}).status_code == 302
    first.refresh_from_db()
    assert first.status == BookingStatus.SKIPPED
    assert first.series.visits.exclude(pk=first.pk).filter(status="scheduled").count() == later
    assert CustomerChange.objects.get().kind == CustomerChange.Kind.SKIPPED
    assert any("is skipped" in m.subject for m in mail.outbox)


def test_customer_stops_the_series(client, page, book_url):
    first, url = _series_visit(client, page, book_url)
    assert client.post(url, {"action": "end-series"}).status_code == 302
    first.refresh_from_db()
    assert first.series.status == SeriesStatus.ENDED
    assert not first.series.visits.filter(status=BookingStatus.SCHEDULED).exists()
    assert CustomerChange.objects.get().kind == CustomerChange.Kind.SERIES_ENDED


def test_series_changes_refused_when_the_business_does_not_allow_them(client, page, book_url):
    page.allow_series_changes = False
    page.save()
    first, url = _series_visit(client, page, book_url)
    assert b"cannot be changed online" in client.get(url).content
    client.post(url, {"action": "skip"})
    client.post(url, {"action": "end-series"})
    first.refresh_from_db()
    assert first.status == BookingStatus.SCHEDULED
    assert first.series.status == SeriesStatus.ACTIVE
    assert not CustomerChange.objects.exists()
