"""Out-of-range values never lose the lead: it is always created, each bad
field is listed on it in words, and no booking is made. The Retell booking
is checked by the same validation as the booking form, word for word."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from booking.models import Booking
from leads.models import Lead, LeadActivity
from webhooks.models import WebhookEvent

from .conftest import load

pytestmark = pytest.mark.django_db

BOOKING_FIXTURE = "retell/call_analyzed_booking.json"
NEGOTIATION = "thumbtack/negotiation_created.json"


def call_with(**fields):
    payload = load(BOOKING_FIXTURE)
    payload["call"]["call_analysis"]["custom_analysis_data"].update(fields)
    return payload


def test_retell_call_with_every_value_out_of_range_still_makes_the_lead(post_retell, business):
    payload = call_with(
        bedrooms=10**30,
        square_feet=10**30,
        bathrooms="1e30",
        appointment_datetime="9999-12-31T23:59:00",
        oven=10**9,
        first_name="M" * 500,
    )
    payload["call"]["duration_ms"] = 10**30
    response = post_retell(payload)
    assert response.status_code == 202
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.PROCESSED, event.error
    lead = Lead.objects.get()
    assert event.lead == lead
    assert lead.name == ("M" * 500 + " Lopez")[:200]  # cut to the column
    assert lead.retell["duration_seconds"] is None
    assert not Booking.objects.exists()
    assert lead.status == Lead.Status.NEW
    problems = lead.retell["booking_problems"]
    assert problems == [
        "The first name: use at most 100 characters (this one has 500).",
        "The number of bedrooms: enter a whole number from 0 to 50.",
        "The number of bathrooms: enter a number from 0 to 50, such as 1 or 1.5.",
        "The square footage: enter a whole number from 0 to 100,000.",
        "The appointment time: it cannot be more than two years ahead.",
        "The quantity of “Inside oven”: enter a whole number from 0 to 99.",
    ]
    skipped = lead.activities.get(kind=LeadActivity.Kind.BOOKING_SKIPPED)
    assert skipped.data["problems"] == problems
    for text in problems:
        assert "_" not in text  # words, never field names such as appointment_datetime


def test_lead_page_lists_the_problems_in_words(post_retell, owner_client, business):
    post_retell(call_with(appointment_datetime="", address=""))
    lead = Lead.objects.get()
    content = owner_client.get(reverse("leads:detail", args=[lead.public_id])).content.decode()
    assert "No booking was made from this call." in content
    assert "The address is missing." in content
    assert "The appointment time is missing." in content
    assert "appointment_datetime" not in content.split("Timeline")[0]


@pytest.mark.parametrize(
    ("field", "value", "form_field", "form_value"),
    [
        ("bathrooms", 2.3, "bathrooms", "2.3"),
        ("bathrooms", "2.3", "bathrooms", "2.3"),
        ("bedrooms", 60, "bedrooms", "60"),
        ("service_type", "carpet shampoo", "service_type", "carpet shampoo"),
        ("square_feet", 100_001, "square_feet", "100001"),
        ("email", "not-an-email", "customer_email", "not-an-email"),
        ("windows", 100, "addon_windows", "100"),
    ],
)
def test_retell_and_the_booking_form_give_the_same_errors(
    post_retell, owner_client, business, field, value, form_field, form_value
):
    post_retell(call_with(**{field: value}))
    assert not Booking.objects.exists()
    problems = Lead.objects.get().retell["booking_problems"]

    day = business.today() + timedelta(days=3)
    form = {
        "customer_first_name": "Maria",
        "address": "1208 Elm Street",
        "service_type": "deep",
        "bedrooms": "3",
        "bathrooms": "2",
        "square_feet": "1500",
        "date": day.isoformat(),
        "start_time": "09:00",
        "duration_minutes": "180",
        form_field: form_value,
    }
    response = owner_client.post(reverse("booking:create"), form)
    assert response.status_code == 400
    assert response.context["form"].errors[form_field] == problems
    assert not Booking.objects.exists()


def test_booking_form_and_retell_agree_on_a_missing_time(post_retell, owner_client, business):
    post_retell(call_with(appointment_datetime=None))
    problems = Lead.objects.get().retell["booking_problems"]
    response = owner_client.post(reverse("booking:create"), {"customer_first_name": "A"})
    assert (
        response.context["form"].errors["date"] == problems == ["The appointment time is missing."]
    )


def test_thumbtack_estimate_out_of_range_keeps_the_lead(post_thumbtack, owner_client, business):
    payload = load(NEGOTIATION)
    payload["data"]["estimate"]["total"] = 10**40
    payload["data"]["customer"]["email"] = "x" * 300 + "@example.com"
    payload["data"]["customer"]["firstName"] = "D" * 500
    payload["data"]["request"]["category"]["name"] = "C" * 500
    payload["data"]["request"]["proposedTimes"] = [{"start": "2026-99-99T00:00:00Z"}]
    response = post_thumbtack(payload)
    assert response.status_code == 202
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.PROCESSED, event.error
    lead = Lead.objects.get()
    assert lead.estimate_total is None
    assert lead.email == ""
    assert len(lead.name) == 200 and len(lead.service_wanted) == 200
    problems = lead.thumbtack["problems"]
    assert problems == [
        "A proposed time could not be read: “2026-99-99T00:00:00Z”.",
        "The estimate: “" + str(10**40) + "” is not an amount Fieldbook can keep "
        "(at most 99,999,999.99), so it was left out.",
        "The email address: “" + "x" * 59 + "…” is not valid, so it was left out.",
    ]
    created = lead.activities.get(kind=LeadActivity.Kind.CREATED)
    assert created.data["problems"] == problems
    content = owner_client.get(reverse("leads:detail", args=[lead.public_id])).content.decode()
    assert "is not an amount Fieldbook can keep" in content


@pytest.mark.parametrize("total", ["-5", "$175.00", "99999999.99", 175])
def test_thumbtack_estimates_in_range_are_kept(post_thumbtack, business, total):
    payload = load(NEGOTIATION)
    payload["data"]["estimate"]["total"] = total
    post_thumbtack(payload)
    assert Lead.objects.get().estimate_total == Decimal(str(total).lstrip("$"))
