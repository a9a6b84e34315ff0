"""A booked call becomes a booking priced by the one pricing function."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from booking.models import Booking
from booking.pricing import quote
from leads.models import Lead, LeadActivity
from webhooks.models import Delivery, Integration, WebhookEvent

from .conftest import appointment_day, load, raw

pytestmark = pytest.mark.django_db

BOOKING_FIXTURE = "retell/call_analyzed_booking.json"


@pytest.fixture
def priced(business):
    settings = business.settings
    settings.base_price_standard = settings.base_price_deep = Decimal("40.00")
    settings.price_per_bedroom = Decimal("20.00")
    settings.price_per_bathroom = Decimal("15.00")
    settings.sqft_rate_deep = Decimal("0.1025")
    settings.tax_rate = Decimal("8.25")
    settings.save()
    return business


def test_booking_fixture_creates_a_priced_booking_linked_to_the_lead(post_retell, priced):
    post_retell(raw(BOOKING_FIXTURE))
    lead = Lead.objects.get()
    booking = Booking.objects.get()
    expected = quote(
        business=priced,
        service_type="deep",
        bedrooms=3,
        bathrooms=2,
        square_feet=1500,
        addons={"oven": 1, "windows": 4},
    )
    assert (booking.subtotal, booking.tax_rate, booking.tax, booking.total) == (
        expected.subtotal,
        expected.tax_rate,
        expected.tax,
        expected.total,
    )
    # 40 + 3×20 + 2×15 + 1500×0.1025 (153.75) + oven 25 + 4 windows × 5 = 328.75; tax 8.25 %
    assert booking.subtotal == Decimal("328.75")
    assert booking.total == Decimal("355.87")
    assert {(line.key, line.quantity) for line in booking.lines.filter(kind="addon")} == {
        ("oven", 1),
        ("windows", 4),
    }
    assert booking.lead == lead
    assert booking.source == "retell"
    day = appointment_day()
    assert booking.start == datetime(
        day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo("America/Chicago")
    )
    assert (booking.customer_first_name, booking.customer_last_name) == ("Maria", "Lopez")
    assert booking.customer_phone == "+15125550143"
    assert booking.zip_code == "78704"
    assert booking.special_requests == "Gate code 4412. Two friendly dogs."
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONVERTED
    assert lead.activities.filter(kind=LeadActivity.Kind.BOOKING).exists()
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED


def test_replayed_call_does_not_book_twice(post_retell, priced):
    body = raw(BOOKING_FIXTURE)
    post_retell(body)
    event = WebhookEvent.objects.get()
    # Same call analysed again (Retell re-runs analysis): new event, same call.
    WebhookEvent.objects.filter(pk=event.pk).update(dedupe_key="old")
    post_retell(body)
    assert Booking.objects.count() == 1
    assert Lead.objects.count() == 1


def test_missing_booking_fields_give_a_lead_and_no_booking(post_retell, priced):
    payload = load(BOOKING_FIXTURE)
    data = payload["call"]["call_analysis"]["custom_analysis_data"]
    del data["address"]
    data["square_feet"] = "big"
    post_retell(payload)
    assert not Booking.objects.exists()
    lead = Lead.objects.get()
    assert lead.status == Lead.Status.NEW
    # In words an owner understands, never field names.
    problems = [
        "The address is missing.",
        "The square footage: enter a whole number from 0 to 100,000.",
    ]
    assert lead.retell["booking_problems"] == problems
    skipped = lead.activities.get(kind=LeadActivity.Kind.BOOKING_SKIPPED)
    assert skipped.data["problems"] == problems
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED


def test_not_booked_call_makes_no_booking(post_retell, priced):
    payload = load(BOOKING_FIXTURE)
    payload["call"]["call_analysis"]["custom_analysis_data"]["appointment_booked"] = False
    post_retell(payload)
    assert Lead.objects.exists()
    assert not Booking.objects.exists()
    assert not LeadActivity.objects.filter(kind=LeadActivity.Kind.BOOKING_SKIPPED).exists()


def test_booking_failure_rolls_back_the_lead_too(post_retell, priced, monkeypatch):
    import booking.services

    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(booking.services, "booking_create", explode)
    post_retell(raw(BOOKING_FIXTURE))
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.FAILED
    assert not Lead.objects.exists()
    assert not Booking.objects.exists()
    # Fixed: replay processes it completely.
    monkeypatch.undo()
    from webhooks.inbox import webhook_event_process

    event = webhook_event_process(event_id=event.pk)
    assert event.status == WebhookEvent.Status.PROCESSED
    assert event.attempts == 2
    assert Booking.objects.get().lead == Lead.objects.get()


def test_lead_and_booking_events_reach_integrations(post_retell, priced):
    Integration.objects.create(
        business=priced,
        name="Sheet",
        url="http://127.0.0.1:9/unused",
        events=["lead.created", "booking.created"],
    )
    post_retell(raw(BOOKING_FIXTURE))
    assert sorted(Delivery.objects.values_list("event_type", flat=True)) == [
        "booking.created",
        "lead.created",
    ]


@pytest.mark.parametrize(
    ("said", "frequency"), [("Every two weeks", "biweekly"), ("now and then", None)]
)
def test_a_booked_call_with_a_frequency_starts_a_series(post_retell, priced, said, frequency):
    """A frequency the agent heard starts a series; one it could not pin down
    still books the clean once (the lead keeps what was said)."""
    import json

    payload = json.loads(raw(BOOKING_FIXTURE))
    payload["call"]["call_analysis"]["custom_analysis_data"]["frequency"] = said
    post_retell(json.dumps(payload).encode())
    booking = Booking.objects.get(lead__isnull=False)
    assert (booking.series.frequency if booking.series else None) == frequency
    if frequency:
        assert booking.lines.filter(kind="discount").exists() is False  # no discount set
        assert booking.series.visits.count() > 1
    else:
        assert Booking.objects.count() == 1
