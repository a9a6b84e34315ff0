"""core.money, core.time and the formats and badges filters."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from core.money import format_money, format_rate
from core.search import clean_search_term
from core.templatetags.badges import COLOURS, badge, badge_colour
from core.time import day_bounds, format_time, start_of_day, uses_12_hour_clock

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    "amount, currency, expected",
    [
        (Decimal("1234.5"), "USD", "$1,234.50"),
        ("1234.505", "USD", "$1,234.51"),  # half-up to cents
        (Decimal("-12"), "USD", "-$12.00"),
        (Decimal("1234.5"), "CAD", "CA$1,234.50"),
        (Decimal("1234.5"), "EUR", "€1,234.50"),
        (Decimal("1234.5"), "GBP", "£1,234.50"),
        (Decimal("99999999.99"), "INR", "₹99,999,999.99"),
        (0, "", "$0.00"),
        (None, "USD", ""),
    ],
)
def test_money_is_one_style(amount, currency, expected):
    assert format_money(amount, currency) == expected


def test_rate_keeps_up_to_four_decimals():
    assert format_rate(Decimal("0.1250"), "USD") == "$0.125"
    assert format_rate(Decimal("20.0000"), "GBP") == "£20.00"


def test_money_filter_never_breaks_in_html_and_is_plain_in_text():
    html = Template("{% load formats %}{{ amount|money:'USD' }}")
    assert (
        html.render(Context({"amount": Decimal("1234.5")}))
        == '<span class="money">$1,234.50</span>'
    )
    text = Template(
        "{% load formats %}{% autoescape off %}{{ amount|money:'USD' }}{% endautoescape %}"
    )
    assert text.render(Context({"amount": Decimal("1234.5")})) == "$1,234.50"


def test_start_of_a_local_day_and_its_bounds():
    day = dt.date(2025, 3, 9)  # daylight saving time starts in Chicago
    assert start_of_day(day, CHICAGO) == dt.datetime(2025, 3, 9, 6, tzinfo=dt.UTC)
    start, end = day_bounds(CHICAGO, day)
    assert end - start == dt.timedelta(hours=23)
    start, end = day_bounds(CHICAGO, day, dt.date(2025, 3, 10))
    assert end == dt.datetime(2025, 3, 11, 5, tzinfo=dt.UTC)


def test_time_of_day_on_either_clock():
    moment = dt.time(14, 30, 5)
    assert format_time(moment, hour12=True) == "2:30 PM"
    assert format_time(moment, hour12=False) == "14:30"
    assert format_time(moment, hour12=False, seconds=True) == "14:30:05"
    assert format_time(None) == ""


@pytest.mark.parametrize(
    "country, hour12", [("US", True), ("CA", True), ("AU", True), ("GB", False), (None, False)]
)
def test_default_clock_follows_the_country(country, hour12):
    assert uses_12_hour_clock(country) is hour12


def test_clock_filter_uses_the_business_choice():
    template = Template("{% load formats %}{{ t|clock:business }}")
    moment = dt.time(14, 30)
    for hour12, expected in ((True, "2:30 PM"), (False, "14:30")):
        business = SimpleNamespace(uses_12_hour_clock=hour12)
        assert template.render(Context({"t": moment, "business": business})) == expected


def test_every_status_has_a_badge_and_light_ones_a_border():
    assert badge("scheduled", "booking") == "text-bg-primary"
    assert badge("overdue", "invoice") == "text-bg-danger"
    assert badge("draft", "invoice") == "text-bg-light border"
    assert badge_colour("cancelled", "booking") == "secondary"
    assert badge("unknown", "booking") == "text-bg-light border"
    from booking.models import BookingStatus, InvoiceStatus
    from leads.models import Lead
    from restaurants.models import RestaurantStatus
    from webhooks.models import Delivery, WebhookEvent

    for kind, values in (
        ("booking", BookingStatus.values),
        ("invoice", [*InvoiceStatus.values, "overdue"]),
        ("lead", Lead.Status.values),
        ("restaurant", RestaurantStatus.values),
        ("webhook_event", WebhookEvent.Status.values),
        ("delivery", Delivery.Status.values),
    ):
        assert set(values) <= set(COLOURS[kind]), kind


def test_search_terms_lose_nul_and_control_characters():
    assert clean_search_term("  ab\x00c\td ") == "ab c d"
    assert clean_search_term(None) == ""
    assert len(clean_search_term("x" * 500)) == 200
