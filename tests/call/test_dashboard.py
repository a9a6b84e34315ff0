"""The home dashboard's "Calls due today" panel (`call.selectors.dashboard`)."""

import datetime as dt

import pytest
from django.urls import reverse

from call import clock
from call.selectors import dashboard
from tests.restaurants.factories import CallPlanFactory, RestaurantFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 16, tzinfo=dt.UTC)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def test_panel_links_to_the_restaurants_page(owner_client, business, owner, frozen):
    restaurant = RestaurantFactory(business=business, assigned_to=owner)
    CallPlanFactory(restaurant=restaurant, next_call_date=NOW)
    content = owner_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("crm:home")}">All restaurants' in content


def test_dashboard_panel(owner_client, business, owner, frozen):
    # Hidden for a business without call plans.
    assert b"Calls due today" not in owner_client.get(reverse("home")).content
    restaurant = RestaurantFactory(business=business, name="Taco Haus", assigned_to=owner)
    CallPlanFactory(restaurant=restaurant, next_call_date=NOW)
    content = owner_client.get(reverse("home")).content.decode()
    assert "Calls due today" in content
    assert "Taco Haus" in content


@pytest.mark.parametrize("rows", [2, 30])
def test_dashboard_query_count_is_constant(
    owner_client, business, owner, rows, frozen, django_assert_max_num_queries
):
    for _ in range(rows):
        restaurant = RestaurantFactory(business=business, assigned_to=owner)
        CallPlanFactory(restaurant=restaurant, next_call_date=NOW)
    # time zones in use + calls due
    with django_assert_max_num_queries(2):
        panel = dashboard(business, owner)
    assert len(panel["context"]["plans"]) == min(rows, 5)
