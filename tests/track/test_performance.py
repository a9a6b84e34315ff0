"""Account performance (`track.performance`) on hand-built order histories:
steady, lapsed, shrinking, growing and new accounts; and its JSON endpoint."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.restaurants.factories import OrderFactory, RestaurantFactory
from track import performance

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 1, 18, tzinfo=dt.UTC)
TZ = ZoneInfo("America/Chicago")
TODAY = NOW.astimezone(TZ).date()


def history(business, name, days_ago_and_values, **extra):
    """A restaurant with one order `days` before NOW for each (days, value)."""
    restaurant = RestaurantFactory(business=business, name=name, **extra)
    for days, value in days_ago_and_values:
        moment = NOW - dt.timedelta(days=days)
        OrderFactory(
            interaction__restaurant=restaurant,
            interaction__date=moment,
            order_date=moment,
            total_price=Decimal(value),
        )
    return restaurant


def judged(business):
    items = performance.performance(business, today=TODAY, tz=TZ, now=NOW)
    return {item.restaurant_id: item for item in items}


def test_steady_account(business):
    steady = history(business, "Steady", [(d, "100") for d in range(2, 360, 15)])
    item = judged(business)[steady.pk]
    assert item.classification == performance.STEADY
    assert item.interval_rounded == 15
    assert item.days_since_last == 2
    assert item.trend_90 == 0
    assert "every 15 days" in item.reason


def test_lapsed_account_says_how_long_and_how_often(business):
    lapsed = history(business, "Lapsed", [(d, "100") for d in range(46, 200, 14)])
    item = judged(business)[lapsed.pk]
    assert item.classification == performance.UNDER
    assert item.reason.startswith("no order for 46 days, usually every 14")


def test_just_inside_the_lapse_factor_is_not_lapsed(business):
    # 21 days is exactly 1.5 × 14: not more than it.
    account = history(business, "Edge", [(d, "100") for d in range(21, 300, 14)])
    assert judged(business)[account.pk].classification != performance.UNDER


def test_shrinking_account(business):
    # Every 7 days; 200 an order in the 90 days before, 100 in the last 90.
    orders = [(d, "100") for d in range(3, 90, 7)] + [(d, "200") for d in range(94, 180, 7)]
    shrinking = history(business, "Shrinking", orders)
    item = judged(business)[shrinking.pk]
    assert item.classification == performance.UNDER
    assert item.trend_90 == -50
    assert "order value down 50 % on the previous 90 days" in item.reason


def test_growing_account(business):
    orders = [(d, "300") for d in range(1, 90, 7)] + [(d, "200") for d in range(92, 180, 7)]
    growing = history(business, "Growing", orders)
    item = judged(business)[growing.pk]
    assert item.classification == performance.WELL
    assert item.trend_90 == 50
    assert "up 50 %" in item.reason


def test_new_account_is_listed_apart_not_judged(business):
    new = history(business, "New", [(80, "100"), (5, "50")])
    item = judged(business)[new.pk]
    assert item.classification == performance.NEW
    assert item.reason.startswith("2 orders so far")


def test_figures_per_period(business):
    account = history(business, "Figures", [(1, "10"), (20, "20"), (40, "40"), (100, "80")])
    item = judged(business)[account.pk]
    assert (item.orders_30, item.value_30) == (2, Decimal("30.00"))
    assert (item.orders_prev_30, item.value_prev_30) == (1, Decimal("40.00"))
    assert (item.orders_90, item.value_90) == (3, Decimal("70.00"))
    assert (item.orders_prev_90, item.value_prev_90) == (1, Decimal("80.00"))
    assert item.interval_rounded == 33


def test_under_performing_come_first_and_other_businesses_are_left_out(business, other_business):
    history(business, "Growing", [(d, "300") for d in range(1, 180, 7)])
    lapsed = history(business, "Lapsed", [(d, "100") for d in range(60, 200, 10)])
    history(other_business, "Theirs", [(d, "100") for d in range(1, 100, 10)])
    items = performance.performance(business, today=TODAY, tz=TZ, now=NOW)
    assert len(items) == 2
    assert items[0].restaurant_id == lapsed.pk


def test_one_query_whatever_the_number_of_orders(business, django_assert_num_queries):
    for n in range(3):
        history(business, f"A{n}", [(d, "100") for d in range(1, 100, 9)])
    with django_assert_num_queries(1):
        performance.performance(business, today=TODAY, tz=TZ, now=NOW)
    for n in range(10):
        history(business, f"B{n}", [(d, "100") for d in range(1, 100, 5)])
    with django_assert_num_queries(1):
        performance.performance(business, today=TODAY, tz=TZ, now=NOW)


# --- GET /lead/restaurants/performance/ -------------------------------------------------


URL = "/lead/restaurants/performance/"


def test_api_lists_the_figures(owner_client, business, owner):
    lapsed = history(
        business, "Lapsed", [(d, "100") for d in range(46, 200, 14)], assigned_to=owner
    )
    history(business, "New", [(3, "100")])
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    first = response.json()[0]
    assert first["lead"] == lapsed.pk
    assert first["name"] == "Lapsed"
    assert first["classification"] == "under"
    assert first["days_since_last_order"] >= 46
    assert "usually every 14" in first["reason"]
    assert set(first) >= {
        "orders_last_30_days",
        "value_last_30_days",
        "orders_previous_30_days",
        "value_previous_90_days",
        "trend_90_days_percent",
        "average_days_between_orders",
    }
    only_new = owner_client.get(URL, {"classification": "new"}).json()
    assert [row["name"] for row in only_new] == ["New"]
    mine = owner_client.get(URL, {"assigned_to": "me"}).json()
    assert [row["name"] for row in mine] == ["Lapsed"]


def test_api_pages_with_link_header(owner_client, business):
    for n in range(3):
        history(business, f"R{n}", [(5, "100")])
    response = owner_client.get(URL, {"limit": 2})
    assert len(response.json()) == 2
    assert 'rel="next"' in response["Link"]


def test_api_is_scoped_to_the_business(outsider_client, business):
    history(business, "Ours", [(5, "100")])
    assert outsider_client.get(URL).json() == []


def test_api_bad_input_is_a_400(owner_client):
    response = owner_client.get(URL, {"classification": "great", "assigned_to": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"classification", "assigned_to"}


def test_api_anonymous_is_401(client):
    assert client.get(URL).status_code == 401


def test_the_route_is_not_read_as_a_restaurant_id(owner_client):
    assert reverse("restaurant_performance_api") == URL
