from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from account.events import business_event
from account.models import Addon, Membership, ServiceType
from booking import pricing
from booking.models import Booking, BookingSource, BookingStatus
from leads.models import Lead
from online import availability
from online.models import BookingMode
from tests.booking.factories import make_booking
from tests.factories import UserFactory

from .conftest import book_data, first_window

pytestmark = pytest.mark.django_db


def test_page_renders_without_sign_in(client, page, book_url):
    response = client.get(book_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sparkle Home Cleaning" in body
    assert 'name="slot"' in body
    assert 'name="website"' in body
    assert reverse("online:brand_css", args=[page.slug]) in body


def test_page_that_is_off_or_unknown_is_404(client, page, book_url):
    page.enabled = False
    page.save()
    assert client.get(book_url).status_code == 404
    assert client.get("/book/nobody-here/").status_code == 404


def test_brand_css_is_a_stylesheet(client, page):
    page.brand_color = "#aa3300"
    page.save()
    response = client.get(reverse("online:brand_css", args=[page.slug]))
    assert response["Content-Type"].startswith("text/css")
    assert b"--fb-brand:#aa3300" in response.content


@pytest.mark.parametrize("service", ServiceType.values)
@pytest.mark.parametrize("addons", [{}, {"fridge": 1}, {"oven": 2, "windows": 3}])
def test_quote_on_the_page_equals_the_stored_total(client, page, book_url, service, addons):
    business = page.business
    active = {a.key for a in Addon.objects.filter(business=business, is_active=True)}
    addons = {key: qty for key, qty in addons.items() if key in active}
    fields = {f"addon_{key}": str(qty) for key, qty in addons.items()}
    data = book_data(page, service_type=service, **fields)
    quoted = client.post(reverse("online:book_quote", args=[page.slug]), data)
    assert quoted.status_code == 200
    expected = pricing.quote(
        business=business,
        service_type=service,
        bedrooms=3,
        bathrooms=2,
        square_feet=1500,
        addons=addons,
    )
    assert f'data-total="{expected.total}"'.encode() in quoted.content
    response = client.post(book_url, data)
    assert response.status_code == 201, response.content.decode()[:3000]
    booking = Booking.objects.get(business=business)
    assert booking.total == expected.total
    stored = [(line.key, line.amount) for line in booking.lines.all()]
    assert stored == [(line.key, line.amount) for line in expected.lines]
    for line in expected.lines:
        assert f'data-line-key="{line.key}"'.encode() in quoted.content


def test_quote_with_bad_input_shows_no_price(client, page):
    response = client.post(
        reverse("online:book_quote", args=[page.slug]),
        {"service_type": "standard", "bedrooms": "-1", "bathrooms": "1", "square_feet": "10"},
    )
    assert response.status_code == 200
    assert b'data-total=""' in response.content


def test_instant_booking_is_scheduled_linked_to_an_online_lead_and_emailed(
    client, page, book_url, django_capture_on_commit_callbacks
):
    events = []

    def receiver(sender, event_type, data, **kwargs):
        events.append((event_type, data))

    business_event.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(book_url, book_data(page))
    finally:
        business_event.disconnect(receiver)
    assert response.status_code == 201
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.SCHEDULED
    assert booking.source == BookingSource.ONLINE
    assert booking.lead.source == Lead.Source.ONLINE
    assert booking.lead.status == Lead.Status.CONVERTED
    assert booking.customer_phone == "+15125550199"
    assert ("booking.created", booking.public_id) in [(t, d.get("booking_id")) for t, d in events]
    subjects = [m.subject for m in mail.outbox]
    assert any("is confirmed" in s for s in subjects)
    assert any("New online booking" in s for s in subjects)
    confirmation = next(m for m in mail.outbox if "is confirmed" in m.subject)
    assert "/c/" in confirmation.body
    # The answer shows the booking and links the customer's own page.
    assert booking.public_id.encode() in response.content
    assert b'href="/c/' in response.content


def test_the_same_form_sent_twice_books_once(client, page, book_url):
    data = book_data(page)
    assert client.post(book_url, data).status_code == 201
    again = client.post(book_url, data)
    assert again.status_code == 200
    assert Booking.objects.count() == 1
    assert Booking.objects.get().public_id.encode() in again.content


def test_request_mode_then_owner_confirms(
    client, owner_client, page, book_url, django_capture_on_commit_callbacks
):
    page.mode = BookingMode.REQUEST
    page.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(book_url, book_data(page)).status_code == 201
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED
    assert any("received your booking request" in m.subject for m in mail.outbox)
    detail = owner_client.get(reverse("booking:detail", args=[booking.public_id]))
    assert b"Confirm request" in detail.content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("online:request_confirm", args=[booking.public_id]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED
    assert [m.subject for m in mail.outbox] == ["Sparkle Home Cleaning confirmed your booking"]
    assert "Request confirmed." in [n.message for n in booking.history.all()]


def test_request_mode_then_owner_declines(
    client, owner_client, page, book_url, django_capture_on_commit_callbacks
):
    page.mode = BookingMode.REQUEST
    page.save()
    client.post(book_url, book_data(page))
    booking = Booking.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("online:request_decline", args=[booking.public_id]), {"reason": "Fully booked"}
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancel_reason == "Declined: Fully booked"
    assert len(mail.outbox) == 1
    assert "Fully booked" in mail.outbox[0].body
    # A declined request cannot be confirmed later; the window is free again.
    owner_client.post(reverse("online:request_confirm", args=[booking.public_id]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert availability.window_at(page, booking.start) is not None


def test_requests_of_another_business_are_404(outsider_client, client, page, book_url):
    page.mode = BookingMode.REQUEST
    page.save()
    client.post(book_url, book_data(page))
    booking = Booking.objects.get()
    for name in ("online:request_confirm", "online:request_decline"):
        assert outsider_client.post(reverse(name, args=[booking.public_id])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_bad_input_writes_nothing_and_says_why(client, page, book_url):
    data = book_data(page, bathrooms="1.3", customer_email="not-an-email", address="")
    response = client.post(book_url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "use whole or half bathrooms" in body
    assert "valid email address" in body
    assert "address is missing" in body.lower()
    assert not Booking.objects.exists()
    assert not Lead.objects.exists()


def test_honeypot_books_nothing(client, page, book_url):
    response = client.post(book_url, book_data(page, website="http://spam.example"))
    assert response.status_code == 200
    assert not Booking.objects.exists()
    assert not Lead.objects.exists()
    assert mail.outbox == []


def test_missing_or_forged_form_token_is_refused(client, page, book_url):
    response = client.post(book_url, book_data(page, form_token="forged"))
    assert response.status_code == 400
    assert b"open too long" in response.content
    assert not Booking.objects.exists()


def test_rate_limit_per_address(client, page, book_url, settings):
    settings.FIELDBOOK_BOOKING_PAGE_POSTS_PER_HOUR = 3
    for _ in range(3):
        client.post(book_url, book_data(page, bedrooms="x"))
    response = client.post(book_url, book_data(page))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Booking.objects.exists()
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(book_url, book_data(page)).status_code == 201


def test_full_window_is_not_offered_and_cannot_be_booked(client, page, book_url):
    window = first_window(page)
    make_booking(page.business, start=window.start)
    assert window.value not in [w.value for w in availability.windows(page)]
    response = client.post(book_url, book_data(page, window=window))
    assert response.status_code == 400
    assert Booking.objects.count() == 1


def test_capacity_defaults_to_the_number_of_cleaners(page):
    page.capacity = None
    page.save()
    assert availability.crew_capacity(page.business) == 1
    for n in range(3):
        user = UserFactory(username=f"cleaner{n}")
        Membership.objects.create(user=user, business=page.business, role="cleaner")
    assert availability.crew_capacity(page.business) == 3
    window = availability.windows(page)[0]
    assert window.left == 3
    make_booking(page.business, start=window.start)
    make_booking(page.business, start=window.start)
    assert availability.window_at(page, window.start).left == 1
    make_booking(page.business, start=window.start)
    assert availability.window_at(page, window.start) is None


def test_lead_time_working_hours_days_off_and_horizon(page):
    now = timezone.now()
    offered = availability.windows(page, now=now)
    assert offered
    assert all(w.start >= now + timedelta(hours=24) for w in offered)
    local = [timezone.localtime(w.start, page.business.tzinfo) for w in offered]
    assert all(8 <= t.hour < 17 for t in local)
    last_day = page.business.today() + timedelta(days=page.horizon_days)
    assert all(t.date() <= last_day for t in local)
    day = local[0].date()
    page.days_off = [day.isoformat()]
    page.working_hours.pop(str((day + timedelta(days=1)).weekday()))
    page.save()
    later = {
        timezone.localtime(w.start, page.business.tzinfo).date() for w in availability.windows(page)
    }
    assert day not in later
    assert day + timedelta(days=1) not in later


def test_window_inside_the_lead_time_is_refused(client, page, book_url):
    soon = timezone.localtime(timezone.now() + timedelta(hours=3), page.business.tzinfo)
    value = soon.replace(minute=0).strftime("%Y-%m-%dT%H:%M")
    response = client.post(book_url, book_data(page, slot=value))
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_abandoned_booking_becomes_a_lead_then_is_converted(client, page, book_url):
    progress = reverse("online:book_progress", args=[page.slug])
    data = book_data(page, customer_first_name="", customer_last_name="")
    assert client.post(progress, {**data, "customer_email": "half"}).status_code == 204
    assert not Lead.objects.exists()
    assert client.post(progress, data).status_code == 204
    lead = Lead.objects.get()
    assert lead.source == Lead.Source.ONLINE
    assert lead.status == Lead.Status.NEW
    request = lead.details["online"]["booking_request"]
    assert request["service_type"] == "standard"
    assert request["bedrooms"] == "3"
    assert client.post(progress, {**data, "bedrooms": "4"}).status_code == 204
    assert Lead.objects.count() == 1
    assert Lead.objects.get().details["online"]["booking_request"]["bedrooms"] == "4"
    client.post(book_url, book_data(page))
    booking = Booking.objects.get()
    assert booking.lead_id == lead.pk
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONVERTED
    assert Lead.objects.count() == 1


def test_progress_honeypot_and_bad_token_are_ignored(client, page):
    progress = reverse("online:book_progress", args=[page.slug])
    client.post(progress, book_data(page, website="x"))
    client.post(progress, book_data(page, form_token="bad"))
    assert not Lead.objects.exists()


def test_booking_page_queries_are_bounded(client, page, book_url, django_assert_max_num_queries):
    window = first_window(page)
    for _ in range(3):
        make_booking(page.business, start=window.start + timedelta(days=2))
    with django_assert_max_num_queries(12):
        assert client.get(book_url).status_code == 200
    for _ in range(20):
        make_booking(page.business, start=window.start + timedelta(days=3))
    with django_assert_max_num_queries(12):
        assert client.get(book_url).status_code == 200


def test_tax_and_money_stay_decimal(client, page, book_url):
    settings_row = page.business.settings
    settings_row.tax_rate = Decimal("8.25")
    settings_row.save()
    client.post(book_url, book_data(page))
    booking = Booking.objects.get()
    assert booking.tax == pricing.money(booking.subtotal * Decimal("8.25") / 100)


def test_a_window_that_is_not_offered_is_one_clear_error(client, page, book_url):
    response = client.post(book_url, book_data(page, slot="2020-01-01T09:00"))
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["slot"]
    assert form.non_field_errors() == []
    response = client.post(book_url, book_data(page, slot=""))
    assert list(response.context["form"].errors) == ["slot"]
