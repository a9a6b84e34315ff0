"""The one validation of a booking request (booking/validation.py)."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.models import Booking
from booking.validation import (
    parse_number,
    parse_service_type,
    validate_booking,
)
from tests.booking.factories import make_booking

pytestmark = pytest.mark.django_db


def request(business, **overrides):
    start = timezone.now() + timedelta(days=3)
    values = {
        "customer_first_name": "Ada",
        "customer_last_name": "Lovelace",
        "customer_email": "ada@example.com",
        "customer_phone": "(512) 555-0111",
        "address": "1 Elm St",
        "service_type": "deep",
        "bedrooms": 3,
        "bathrooms": "2.5",
        "square_feet": "1,500",
        "start": start,
        "addons": {"oven": "1", "windows": 0},
    }
    values.update(overrides)
    return values


def errors(business, **overrides):
    return validate_booking(business, request(business, **overrides)).errors


def test_a_valid_request_is_cleaned(business):
    result = validate_booking(business, request(business))
    assert result.ok, result.errors
    cleaned = result.cleaned
    assert cleaned["customer_phone"] == "+15125550111"  # E.164, read in the business's region
    assert (cleaned["bedrooms"], cleaned["bathrooms"], cleaned["square_feet"]) == (
        3,
        Decimal("2.5"),
        1500,
    )
    assert cleaned["addons"] == {"oven": 1}
    assert cleaned["duration_minutes"] == business.settings.default_duration_minutes
    assert cleaned["city"] == "" and cleaned["special_requests"] == ""


BEDROOMS = "The number of bedrooms: enter a whole number from 0 to 50."
HALF = "The number of bathrooms: use whole or half bathrooms, such as 1 or 1.5."
BATHROOMS = "The number of bathrooms: enter a number from 0 to 50, such as 1 or 1.5."
SQFT = "The square footage: enter a whole number from 0 to 100,000."
SERVICE = (
    "The service: choose one of Standard clean, Deep clean, Move in / move out or Airbnb turnover."
)
EMAIL = "The email address: enter a valid email address, such as name@example.com."
PHONE = "The phone number: enter a valid phone number, such as +1 512 555 0143."
TIME = "The appointment time: enter a date and time, such as 2026-12-04 09:00."
DURATION = "The duration: enter a whole number of minutes from 15 to 1440."
FIRST_NAME_LONG = "The first name: use at most 100 characters (this one has 101)."
TOO_LATE = "The appointment time: it cannot be more than two years ahead."
TOO_EARLY = "The appointment time: it cannot be more than a year in the past."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bedrooms", 51, BEDROOMS),
        ("bedrooms", -1, BEDROOMS),
        ("bedrooms", "2.5", BEDROOMS),
        ("bedrooms", 10**30, BEDROOMS),
        ("bedrooms", True, BEDROOMS),
        ("bathrooms", "2.3", HALF),
        ("bathrooms", "50.5", BATHROOMS),
        ("bathrooms", "1e30", BATHROOMS),
        ("bathrooms", "NaN", BATHROOMS),
        ("square_feet", 100_001, SQFT),
        ("service_type", "spa", SERVICE),
        ("customer_first_name", "A" * 101, FIRST_NAME_LONG),
        ("customer_first_name", "", "The first name is missing."),
        ("address", None, "The address is missing."),
        ("zip_code", "1" * 21, "The ZIP code: use at most 20 characters (this one has 21)."),
        ("customer_email", "nope", EMAIL),
        ("customer_phone", "12", PHONE),
        ("start", "next friday", TIME),
        ("start", "2026-12-04", TIME),
        ("start", "9999-12-31T23:59:00", TOO_LATE),
        ("start", "0001-01-01T00:00:00", TOO_EARLY),
        ("duration_minutes", 14, DURATION),
        ("duration_minutes", 1441, DURATION),
    ],
)
def test_each_rule_has_one_message_in_words(business, field, value, message):
    assert errors(business, **{field: value}) == {field: [message]}


def test_start_bounds(business):
    now = timezone.now()
    assert not errors(business, start=now - timedelta(days=364))
    assert not errors(business, start=now + timedelta(days=729))
    assert "start" in errors(business, start=now - timedelta(days=366))
    assert "start" in errors(business, start=now + timedelta(days=731))
    # An edited booking may keep the start it has.
    old = now - timedelta(days=800)
    assert validate_booking(business, request(business, start=old), current_start=old).ok


def test_addons_must_be_active_and_within_limits(business):
    business.addons.filter(key="fridge").update(is_active=False)
    result = validate_booking(
        business, request(business, addons={"oven": 100, "fridge": 1, "nope": 2, "windows": 0})
    )
    assert result.errors == {
        "addon_oven": ["The quantity of “Inside oven”: enter a whole number from 0 to 99."],
        "addon_fridge": ["“fridge” is not one of your active add-ons."],
        "addon_nope": ["“nope” is not one of your active add-ons."],
    }


def test_partial_leaves_out_what_is_missing_or_invalid(business):
    result = validate_booking(
        business, {"bedrooms": "3", "bathrooms": "2.3", "city": "Austin"}, partial=True
    )
    assert result.cleaned == {"bedrooms": 3, "city": "Austin"}
    assert list(result.errors) == ["bathrooms"]


def test_messages_follow_the_form_order(business):
    result = validate_booking(business, {"start": "x", "bedrooms": 99})
    assert result.messages[:3] == [
        "The first name is missing.",
        "The address is missing.",
        "The service is missing.",
    ]
    assert (
        result.messages[-1]
        == "The appointment time: enter a date and time, such as 2026-12-04 09:00."
    )


def test_booking_create_refuses_invalid_input_and_writes_nothing(business):
    with pytest.raises(ValidationError) as caught:
        make_booking(business, bathrooms=Decimal("2.3"), bedrooms=60, service_type="spa")
    assert set(caught.value.message_dict) == {"bathrooms", "bedrooms", "service_type"}
    assert not Booking.objects.exists()


def test_booking_create_stores_cleaned_values(business):
    booking = make_booking(business, customer_phone="512-555-0199", service_type="Deep clean")
    booking.refresh_from_db()
    assert booking.customer_phone == "+15125550199"
    assert booking.service_type == "deep"


def test_booking_update_refuses_invalid_input_and_writes_nothing(business):
    booking = make_booking(business, addons={"oven": 1})
    before = Booking.objects.values().get(pk=booking.pk)
    lines = list(booking.lines.values_list("key", "quantity", "amount"))
    far = timezone.now() + timedelta(days=3 * 365)
    with pytest.raises(ValidationError) as caught:
        services.booking_update(
            booking=booking,
            bathrooms=Decimal("2.3"),
            bedrooms=60,
            service_type="spa",
            customer_email="not-an-email",
            start=far,
            addons={"oven": 100},
        )
    assert set(caught.value.message_dict) == {
        "bathrooms",
        "bedrooms",
        "service_type",
        "customer_email",
        "start",
        "addon_oven",
    }
    assert caught.value.message_dict["bathrooms"] == [
        "The number of bathrooms: use whole or half bathrooms, such as 1 or 1.5."
    ]
    assert Booking.objects.values().get(pk=booking.pk) == before
    assert list(booking.lines.values_list("key", "quantity", "amount")) == lines
    assert booking.history.count() == 1  # only "Booked"


def test_booking_update_stores_cleaned_values_and_keeps_what_it_is_not_given(business):
    old = make_booking(business, addons={"oven": 1})
    Booking.objects.filter(pk=old.pk).update(start=timezone.now() - timedelta(days=400))
    booking = Booking.objects.get(pk=old.pk)
    services.booking_update(booking=booking, customer_phone="512-555-0123", service_type="Deep")
    booking.refresh_from_db()
    assert booking.customer_phone == "+15125550123"
    assert booking.service_type == "deep"
    assert booking.start == Booking.objects.get(pk=old.pk).start  # an old start may stay
    assert services.booking_addon_quantities(booking) == {"oven": 1}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("deep", "deep"),
        ("Deep clean", "deep"),
        ("DEEP", "deep"),
        ("deep cleaning", "deep"),
        ("move in/out", "move_in_out"),
        ("Move-in/out", "move_in_out"),
        ("move-out", "move_in_out"),
        ("Move Out Cleaning", "move_in_out"),
        ("move_in_out", "move_in_out"),
        ("Airbnb turnover", "airbnb"),
        ("vacation rental turnover", "airbnb"),
        ("standard", "standard"),
        ("Regular cleaning", "standard"),
        ("window washing", None),
        ("House Cleaning", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_parse_service_type(value, expected):
    assert parse_service_type(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Decimal(3)),
        ("3", Decimal(3)),
        (3.0, Decimal("3.0")),
        (" 1,500 ", Decimal(1500)),
        ("2.5", Decimal("2.5")),
        ("1e3", Decimal("1e3")),
        ("NaN", None),
        ("inf", None),
        (True, None),
        ("", None),
        ("three", None),
        ([], None),
    ],
)
def test_parse_number(value, expected):
    assert parse_number(value) == expected


# --- the booking form delegates ---------------------------------------------------------


def form_data(business, **overrides):
    day = business.today() + timedelta(days=5)
    data = {
        "customer_first_name": "Ada",
        "address": "1 Elm St",
        "service_type": "deep",
        "bedrooms": "3",
        "bathrooms": "2",
        "square_feet": "1500",
        "date": day.isoformat(),
        "start_time": "09:30",
        "duration_minutes": "180",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "9999-12-31", "start_time": "23:59", "duration_minutes": "1440"}, "date"),
        ({"date": "0001-01-01"}, "date"),
        ({"bedrooms": str(10**30)}, "bedrooms"),
        ({"bathrooms": "1e30"}, "bathrooms"),
        ({"square_feet": "NaN"}, "square_feet"),
        ({"customer_phone": "12"}, "customer_phone"),
        ({"addon_oven": "100"}, "addon_oven"),
    ],
)
def test_booking_form_answers_out_of_range_input_with_a_form_error(
    owner_client, business, overrides, field
):
    response = owner_client.post(reverse("booking:create"), form_data(business, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Booking.objects.exists()


def test_editing_an_old_booking_keeps_its_start(owner_client, business):
    booking = make_booking(business)
    old = datetime(2020, 5, 1, 9, 0, tzinfo=business.tzinfo)
    Booking.objects.filter(pk=booking.pk).update(start=old)
    data = form_data(business, date="2020-05-01", start_time="09:00", customer_first_name="Jo")
    response = owner_client.post(reverse("booking:edit", args=[booking.public_id]), data)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.customer_first_name == "Jo" and booking.start == old
    data["date"] = "2020-05-02"  # moving it that far back is refused
    response = owner_client.post(reverse("booking:edit", args=[booking.public_id]), data)
    assert response.status_code == 400
