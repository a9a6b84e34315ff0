"""core.phones: E.164 in the business's region, national display, one search rule."""

import importlib
import logging
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from core.phones import (
    INVALID_MESSAGE,
    PhoneFormField,
    business_region,
    format_phone,
    mask_phone,
    normalize_phone,
    phone_search_q,
)


def biz(phone="", currency="USD"):
    return SimpleNamespace(phone=phone, currency=currency)


@pytest.mark.parametrize(
    "raw, business, expected",
    [
        ("(512) 555-0143", biz("+15125550100"), "+15125550143"),
        ("512.555.0143", None, "+15125550143"),
        ("+44 20 7946 0958", biz("+15125550100"), "+442079460958"),
        ("020 7946 0958", biz("+442079460018"), "+442079460958"),
        ("020 7946 0958", biz(currency="GBP"), "+442079460958"),
        ("(416) 555-0143", biz(currency="CAD"), "+14165550143"),
        ("123-456-7890", None, "+11234567890"),  # the API seed's number: possible, so kept
        ("", None, ""),
        ("   ", None, ""),
    ],
)
def test_normalize_reads_numbers_in_the_business_region(raw, business, expected):
    assert normalize_phone(raw, business=business) == expected


@pytest.mark.parametrize("raw", ["555", "12", "not a phone", "1" * 33, "+999 1234"])
def test_normalize_refuses_what_is_not_a_number(raw):
    with pytest.raises(ValidationError) as info:
        normalize_phone(raw)
    assert info.value.messages == [INVALID_MESSAGE]


def test_business_region_is_its_phone_then_its_currency_then_the_us():
    assert business_region(biz("+442079460018", "USD")) == "GB"
    assert business_region(biz("", "AUD")) == "AU"
    assert business_region(biz("", "EUR")) == "US"
    assert business_region(None) == "US"


def test_format_is_national_at_home_and_international_abroad():
    us = biz("+15125550100")
    assert format_phone("+15125550143", us) == "(512) 555-0143"
    assert format_phone("+442079460958", us) == "+44 20 7946 0958"
    assert format_phone("+442079460958", biz("+442079460018")) == "020 7946 0958"
    assert format_phone("call after 5", us) == "call after 5"  # unreadable text, as typed
    assert format_phone("", us) == ""


def test_form_field_cleans_to_e164_and_shows_numbers_as_people_read_them():
    field = PhoneFormField(region="GB", required=False)
    assert field.clean("020 7946 0958") == "+442079460958"
    assert field.prepare_value("+442079460958") == "020 7946 0958"
    with pytest.raises(ValidationError) as info:
        field.clean("0123")
    assert info.value.messages == [INVALID_MESSAGE]
    assert field.widget_attrs(field.widget)["type"] == "tel"


@pytest.mark.parametrize(
    "term, digits",
    [
        ("512-555-0143", ["5125550143"]),
        ("(512) 555", ["512555"]),
        ("+1 512 555 0143", ["15125550143", "5125550143"]),
        ("0143", ["0143"]),
    ],
)
def test_search_rule_matches_digits(term, digits):
    condition = phone_search_q("phone", term)
    assert sorted(value for _, value in condition.children) == sorted(digits)


@pytest.mark.parametrize("term", ["Jamie", "BK-12345678", "12", "Apt 4512"])
def test_search_rule_ignores_terms_that_are_not_phone_numbers(term):
    assert phone_search_q("phone", term) is None


def test_search_rule_finds_national_numbers_written_with_a_trunk_prefix():
    condition = phone_search_q("phone", "020 7946 0958", business=biz("+442079460018"))
    assert ("phone__contains", "2079460958") in condition.children


def test_mask_never_shows_the_number():
    assert mask_phone("+15125550143") == "…43"
    assert mask_phone("") == ""


# --- Data migrations -----------------------------------------------------------------


@pytest.mark.django_db
def test_data_migrations_normalise_rows_and_list_the_unreadable_ones(business, caplog):
    from contact.models import Contact
    from restaurants.models import Restaurant
    from tests.restaurants.factories import ContactFactory, RestaurantFactory

    business.phone = "+442079460018"  # a UK business: local numbers are UK numbers
    business.save()
    readable = RestaurantFactory(business=business, phone="020 7946 0958")
    unreadable = RestaurantFactory(business=business, phone="ask for Sam 555")
    empty = RestaurantFactory(business=business, phone="")
    contact = ContactFactory(restaurant=readable, phone="07700 900123")

    caplog.set_level(logging.INFO, logger="core.phones")
    for app, name in (
        ("restaurants", "0003_normalise_phones"),
        ("contact", "0003_normalise_phones"),
    ):
        importlib.import_module(f"{app}.migrations.{name}").normalise(apps, None)

    assert Restaurant.objects.get(pk=readable.pk).phone == "+442079460958"
    assert Restaurant.objects.get(pk=unreadable.pk).phone == "ask for Sam 555"
    assert Restaurant.objects.get(pk=empty.pk).phone == ""
    assert Contact.objects.get(pk=contact.pk).phone == "+447700900123"
    logs = caplog.text
    assert f"restaurants.Restaurant {unreadable.pk}: phone …55 could not be read" in logs
    assert f"(ids {unreadable.pk})" in logs
    assert "ask for Sam" not in logs and "7946" not in logs and "900123" not in logs


@pytest.mark.django_db
def test_account_and_booking_migrations_normalise_their_phone_columns(business, owner):
    from account.models import Business
    from booking.models import Booking
    from tests.booking.factories import make_booking

    Business.objects.filter(pk=business.pk).update(phone="(512) 555-0100")
    owner.phone = "512 555 0101"
    owner.save()
    booking = make_booking(business)
    Booking.objects.filter(pk=booking.pk).update(customer_phone="512-555-0102")

    importlib.import_module("account.migrations.0005_normalise_phones").normalise(apps, None)
    importlib.import_module("booking.migrations.0003_normalise_phones").normalise(apps, None)

    business.refresh_from_db()
    owner.refresh_from_db()
    booking.refresh_from_db()
    assert (business.phone, owner.phone, booking.customer_phone) == (
        "+15125550100",
        "+15125550101",
        "+15125550102",
    )


def test_a_local_number_without_its_area_code_is_refused():
    with pytest.raises(ValidationError):
        normalize_phone("555-0143")
