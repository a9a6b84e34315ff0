"""The Retell post-call fields -> a booking request, checked by the one
booking validation (`booking.validation`)."""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from account.selectors import retell_agent_fields
from booking.validation import validate_booking
from webhooks.retell import booking_request_from_call, is_true

from .conftest import appointment_day, load

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def fixture_data():
    return load("retell/call_analyzed_booking.json")["call"]["call_analysis"][
        "custom_analysis_data"
    ]


def checked(business, data, caller_phone=""):
    request = booking_request_from_call(business=business, data=data, caller_phone=caller_phone)
    return validate_booking(business, request)


def test_fixture_maps_to_booking_arguments(business):
    result = checked(business, fixture_data())
    assert result.ok, result.messages
    assert result.cleaned == {
        "customer_first_name": "Maria",
        "customer_last_name": "Lopez",
        "customer_company": "",
        "address": "1208 Elm Street",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78704",
        "special_requests": "Gate code 4412. Two friendly dogs.",
        "customer_email": "maria.lopez@example.com",
        "customer_phone": "+15125550143",
        "service_type": "deep",
        "start": datetime.combine(appointment_day(), time(9, 0), tzinfo=CHICAGO),
        "bedrooms": 3,
        "bathrooms": Decimal("2.0"),
        "square_feet": 1500,
        "duration_minutes": business.settings.default_duration_minutes,
        "addons": {"oven": 1, "windows": 4},
    }


def test_naive_time_is_in_the_business_time_zone(business):
    business.timezone = "Europe/Paris"
    data = {**fixture_data(), "appointment_datetime": f"{appointment_day()}T09:00:00"}
    start = checked(business, data).cleaned["start"]
    assert start.utcoffset().total_seconds() == 3600
    assert start.hour == 9


def test_explicit_offset_is_kept(business):
    data = {**fixture_data(), "appointment_datetime": f"{appointment_day()}T15:00:00Z"}
    start = checked(business, data).cleaned["start"]
    assert start.astimezone(CHICAGO).hour == 9


def test_numbers_as_strings_and_unknown_keys(business):
    data = {
        **fixture_data(),
        "bedrooms": "3",
        "bathrooms": " 2 ",
        "square_feet": "1,500",
        "oven": "1",
        "windows": "4",
        "favourite_colour": "blue",
        "dishes": 0,
        "laundry": "",
        "fridge": True,
    }
    result = checked(business, data)
    assert result.ok, result.messages
    assert (result.cleaned["bedrooms"], result.cleaned["bathrooms"]) == (3, 2)
    assert result.cleaned["square_feet"] == 1500
    assert result.cleaned["addons"] == {"oven": 1, "windows": 4, "fridge": 1}


def test_half_bathrooms(business):
    data = {**fixture_data(), "bathrooms": "2.5"}
    assert checked(business, data).cleaned["bathrooms"] == Decimal("2.5")
    data = {**fixture_data(), "bathrooms": "2.55"}
    assert not checked(business, data).ok


def test_inactive_addon_keys_are_ignored(business):
    business.addons.filter(key="oven").update(is_active=False)
    result = checked(business, fixture_data())
    assert result.cleaned["addons"] == {"windows": 4}


def test_missing_and_invalid_fields_are_listed_in_words(business):
    data = {
        **fixture_data(),
        "first_name": "",
        "address": None,
        "bedrooms": "three",
        "square_feet": -1,
        "service_type": "carpet shampoo",
        "appointment_datetime": "next friday",
        "email": "not-an-email",
        "windows": "lots",
    }
    del data["bathrooms"]
    result = checked(business, data)
    assert not result.ok
    assert result.messages == [
        "The first name is missing.",
        "The email address: enter a valid email address, such as name@example.com.",
        "The address is missing.",
        "The service: choose one of Standard clean, Deep clean, Move in / move out or "
        "Airbnb turnover.",
        "The number of bedrooms: enter a whole number from 0 to 50.",
        "The number of bathrooms is missing.",
        "The square footage: enter a whole number from 0 to 100,000.",
        "The appointment time: enter a date and time, such as 2026-12-04 09:00.",
        "The quantity of “Inside windows (each)”: enter a whole number from 0 to 99.",
    ]
    for text in result.messages:
        assert "_" not in text  # words, never field names


def test_caller_id_is_used_when_phone_is_missing_or_unreadable(business):
    for phone in ("", "12"):
        data = {**fixture_data(), "phone": phone}
        result = checked(business, data, caller_phone="+15125550199")
        assert result.cleaned["customer_phone"] == "+15125550199"


def test_mapping_accepts_every_field_of_the_credentials_page(business):
    """Each field the owner is told to configure is read by the mapping."""
    names = {field["name"] for field in retell_agent_fields(business)}
    data = fixture_data()
    for name in names - {"appointment_booked"}:
        broken = {**data, name: "?!"}
        result = checked(business, broken)
        read = not result.ok or result.cleaned != checked(business, data).cleaned
        assert read, f"{name} is not read by the mapping"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("true", True),
        ("Yes", True),
        (1, True),
        (False, False),
        ("no", False),
        (None, False),
    ],
)
def test_is_true(value, expected):
    assert is_true(value) is expected
