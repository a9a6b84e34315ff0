"""The Retell post-call fields -> booking_create arguments, without the booking app."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from account.selectors import retell_agent_fields
from webhooks.retell import (
    booking_request_from_call,
    is_true,
    parse_number,
    parse_service_type,
)

from .conftest import load

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def fixture_data():
    return load("retell/call_analyzed_booking.json")["call"]["call_analysis"][
        "custom_analysis_data"
    ]


def test_fixture_maps_to_booking_arguments(business):
    request = booking_request_from_call(business=business, data=fixture_data())
    assert request.ok, request.problems
    assert request.fields == {
        "first_name": "Maria",
        "last_name": "Lopez",
        "address": "1208 Elm Street",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78704",
        "notes": "Gate code 4412. Two friendly dogs.",
        "email": "maria.lopez@example.com",
        "phone": "+15125550143",
        "service_type": "deep",
        "start": datetime(2026, 12, 4, 9, 0, tzinfo=CHICAGO),
        "bedrooms": 3,
        "bathrooms": 2,
        "square_feet": 1500,
        "addons": {"oven": 1, "windows": 4},
    }


def test_naive_time_is_in_the_business_time_zone(business):
    business.timezone = "Europe/Paris"
    data = {**fixture_data(), "appointment_datetime": "2026-12-04T09:00:00"}
    start = booking_request_from_call(business=business, data=data).fields["start"]
    assert start.utcoffset().total_seconds() == 3600
    assert start.hour == 9


def test_explicit_offset_is_kept(business):
    data = {**fixture_data(), "appointment_datetime": "2026-12-04T15:00:00Z"}
    start = booking_request_from_call(business=business, data=data).fields["start"]
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
    request = booking_request_from_call(business=business, data=data)
    assert request.ok, request.problems
    assert (request.fields["bedrooms"], request.fields["bathrooms"]) == (3, 2)
    assert request.fields["square_feet"] == 1500
    assert request.fields["addons"] == {"oven": 1, "windows": 4, "fridge": 1}


def test_half_bathrooms(business):
    data = {**fixture_data(), "bathrooms": "2.5"}
    assert booking_request_from_call(business=business, data=data).fields["bathrooms"] == (
        Decimal("2.5")
    )
    data = {**fixture_data(), "bathrooms": "2.55"}
    assert not booking_request_from_call(business=business, data=data).ok


def test_inactive_addon_keys_are_ignored(business):
    business.addons.filter(key="oven").update(is_active=False)
    request = booking_request_from_call(business=business, data=fixture_data())
    assert request.fields["addons"] == {"windows": 4}


def test_missing_and_invalid_fields_are_listed(business):
    data = {
        **fixture_data(),
        "first_name": "",
        "address": None,
        "bedrooms": "three",
        "square_feet": 0,
        "service_type": "carpet shampoo",
        "appointment_datetime": "next friday",
        "email": "not-an-email",
        "windows": "lots",
    }
    del data["bathrooms"]
    request = booking_request_from_call(business=business, data=data)
    assert not request.ok
    assert request.problems == [
        "Missing: first_name, address, bathrooms.",
        "Invalid: email, service_type, appointment_datetime, bedrooms, square_feet, windows.",
    ]


def test_caller_id_is_used_when_phone_is_missing(business):
    data = {**fixture_data(), "phone": ""}
    request = booking_request_from_call(business=business, data=data, caller_phone="+15125550199")
    assert request.fields["phone"] == "+15125550199"


def test_mapping_accepts_every_field_of_the_credentials_page(business):
    """Each field the owner is told to configure is read by the mapping."""
    names = {field["name"] for field in retell_agent_fields(business)}
    data = fixture_data()
    for name in names - {"appointment_booked"}:
        broken = {**data, name: "?!"}
        request = booking_request_from_call(business=business, data=broken)
        read = (
            request.problems
            or request.fields != booking_request_from_call(business=business, data=data).fields
        )
        assert read, f"{name} is not read by the mapping"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("deep", "deep"),
        ("Deep clean", "deep"),
        ("DEEP", "deep"),
        ("move in/out", "move_in_out"),
        ("move-out", "move_in_out"),
        ("Airbnb turnover", "airbnb"),
        ("standard", "standard"),
        ("window washing", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_service_type(value, expected):
    assert parse_service_type(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), ("3", 3), (3.0, 3), ("2.5", None), (-1, None), (True, None), ("", None)],
)
def test_parse_number(value, expected):
    assert parse_number(value) == expected


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
