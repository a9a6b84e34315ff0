from decimal import Decimal

import pytest

from account.models import Addon
from booking.pricing import money, quote
from tests.booking.factories import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(business):
    settings = business.settings
    settings.base_price_standard = Decimal("0")
    settings.price_per_bedroom = Decimal("20")
    settings.price_per_bathroom = Decimal("15")
    settings.sqft_rate_deep = Decimal("0.10")
    settings.tax_rate = Decimal("8")
    settings.save()
    business.addons.filter(key="oven").update(price=Decimal("25"))
    business.addons.filter(key="windows").update(price=Decimal("5"))
    Addon.objects.create(business=business, name="Wall washing", key="walls", price=30)
    return business


def test_worked_example(priced):
    result = quote(
        business=priced,
        service_type="deep",
        bedrooms=3,
        bathrooms=2,
        square_feet=1500,
        addons={"oven": 1, "windows": 4, "walls": 1},
    )
    assert result.subtotal == Decimal("315.00")
    assert result.tax == Decimal("25.20")
    assert result.total == Decimal("340.20")
    amounts = {line.key: line.amount for line in result.lines}
    assert amounts == {
        "base": Decimal("0.00"),
        "bedrooms": Decimal("60.00"),
        "bathrooms": Decimal("30.00"),
        "area": Decimal("150.00"),
        "oven": Decimal("25.00"),
        "windows": Decimal("20.00"),
        "walls": Decimal("30.00"),
    }
    assert all(isinstance(line.amount, Decimal) for line in result.lines)


def test_quote_costs_two_queries_when_settings_are_loaded(priced, django_assert_num_queries):
    priced.settings  # noqa: B018 (loaded once per request by the middleware's business)
    # 1: active add-ons of the business among the requested keys
    with django_assert_num_queries(1):
        quote(
            business=priced,
            service_type="deep",
            bedrooms=1,
            bathrooms=1,
            square_feet=10,
            addons={"oven": 1},
        )


def test_zero_rooms_and_no_addons(priced):
    result = quote(business=priced, service_type="deep", bedrooms=0, bathrooms=0, square_feet=0)
    assert [line.kind for line in result.lines] == ["base"]
    assert result.total == Decimal("0.00")


def test_half_bathroom_and_rounding_half_up(priced):
    priced.settings.sqft_rate_standard = Decimal("0.0125")
    priced.settings.tax_rate = Decimal("8.25")
    priced.settings.save()
    result = quote(
        business=priced,
        service_type="standard",
        bedrooms=1,
        bathrooms=Decimal("1.5"),
        square_feet=1002,
    )
    # 20 + 22.50 + 12.525 -> 12.53 (half-up); subtotal 55.03; tax 4.539975 -> 4.54
    assert result.subtotal == Decimal("55.03")
    assert result.tax == Decimal("4.54")
    assert result.total == Decimal("59.57")
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")


def test_inactive_unknown_and_zero_addons_are_ignored(priced, other_business):
    priced.addons.filter(key="oven").update(is_active=False)
    Addon.objects.create(business=other_business, name="Theirs", key="theirs", price=99)
    result = quote(
        business=priced,
        service_type="deep",
        bedrooms=0,
        bathrooms=0,
        square_feet=0,
        addons={"oven": 2, "nope": 1, "theirs": 1, "windows": 0},
    )
    assert [line.kind for line in result.lines] == ["base"]


def test_negative_values_refused(priced):
    with pytest.raises(ValueError):
        quote(business=priced, service_type="deep", bedrooms=-1, bathrooms=0, square_feet=0)
    with pytest.raises(ValueError):
        quote(
            business=priced,
            service_type="deep",
            bedrooms=0,
            bathrooms=0,
            square_feet=0,
            addons={"oven": -1},
        )
    with pytest.raises(ValueError):
        quote(business=priced, service_type="spa", bedrooms=0, bathrooms=0, square_feet=0)


def test_booking_keeps_its_snapshot_when_prices_change(priced):
    booking = make_booking(
        priced,
        service_type="deep",
        bedrooms=3,
        bathrooms=2,
        square_feet=1500,
        addons={"oven": 1, "windows": 4, "walls": 1},
    )
    assert booking.total == Decimal("340.20")
    priced.settings.price_per_bedroom = Decimal("99")
    priced.settings.tax_rate = Decimal("20")
    priced.settings.save()
    priced.addons.update(price=Decimal("1"))
    booking.refresh_from_db()
    assert (booking.subtotal, booking.tax_rate, booking.tax, booking.total) == (
        Decimal("315.00"),
        Decimal("8.00"),
        Decimal("25.20"),
        Decimal("340.20"),
    )
    oven = booking.lines.get(key="oven")
    assert (oven.description, oven.quantity, oven.unit_price) == (
        "Inside oven",
        Decimal("1.00"),
        Decimal("25.0000"),
    )
    assert sum(line.amount for line in booking.lines.all()) == booking.subtotal


def test_booking_id_is_retried_on_collision(business):
    from unittest import mock

    first = make_booking(business)
    ids = iter([first.public_id, "BK-NEWID234"])
    with mock.patch("config.ids.new_public_id", side_effect=lambda prefix: next(ids)):
        second = make_booking(business)
    assert second.public_id == "BK-NEWID234"


def test_booking_create_accepts_float_bathrooms_and_naive_start(business):
    from datetime import datetime

    # Starts more than two years ahead are refused (booking.validation).
    naive = datetime(business.today().year + 1, 5, 1, 9, 0)
    booking = make_booking(business, bathrooms=1.5, start=naive)
    booking.refresh_from_db()
    assert booking.bathrooms == Decimal("1.5")
    assert booking.start.astimezone(business.tzinfo).hour == 9
