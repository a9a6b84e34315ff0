"""The restaurant CRM's page `/restaurants/` (`crm:home`)."""

import datetime as dt

import pytest
from django.urls import reverse

from call import clock
from tests.restaurants.factories import CallPlanFactory, RestaurantFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2025, 3, 10, 16, tzinfo=UTC)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def test_page_keeps_its_address():
    assert reverse("crm:home") == "/restaurants/"


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("crm:home"))
    assert response.status_code == 302
    assert reverse("account:login") in response["Location"]


def test_lists_own_restaurants_with_next_call_and_calls_due(
    owner_client, business, owner, other_business, frozen
):
    mine = RestaurantFactory(business=business, name="Taco Haus", assigned_to=owner)
    CallPlanFactory(restaurant=mine, next_call_date=dt.datetime(2025, 3, 10, 18, tzinfo=UTC))
    late = RestaurantFactory(business=business, name="Old Mill", assigned_to=owner)
    CallPlanFactory(restaurant=late, next_call_date=dt.datetime(2025, 3, 1, 18, tzinfo=UTC))
    RestaurantFactory(business=business, name="Quiet Corner")
    RestaurantFactory(business=other_business, name="Rival Diner")
    response = owner_client.get(reverse("crm:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Taco Haus" in content and "Quiet Corner" in content
    assert "Rival Diner" not in content
    assert "Mar 10, 1:00 PM" in content  # 18:00 UTC in Chicago
    assert "Overdue" in content and "Today" in content
    assert "No call plan" in content
    due = [plan.restaurant.name for plan in response.context["due"]]
    assert due == ["Old Mill", "Taco Haus"]


def test_calls_due_only_for_the_signed_in_kam(member_client, business, owner, frozen):
    theirs = RestaurantFactory(business=business, assigned_to=owner)
    CallPlanFactory(restaurant=theirs, next_call_date=NOW)
    response = member_client.get(reverse("crm:home"))
    assert list(response.context["due"]) == []
    assert b"No calls due today" in response.content


def test_filters_and_empty_states(owner_client, business, owner):
    RestaurantFactory(business=business, name="Alpha", status="LOST")
    RestaurantFactory(business=business, name="Beta", assigned_to=owner)
    url = reverse("crm:home")
    names = lambda r: [x.name for x in r.context["page_obj"]]  # noqa: E731
    assert names(owner_client.get(url, {"status": "LOST"})) == ["Alpha"]
    assert names(owner_client.get(url, {"mine": "1"})) == ["Beta"]
    assert names(owner_client.get(url, {"q": "bet"})) == ["Beta"]
    assert names(owner_client.get(url, {"status": "BOGUS"})) == ["Alpha", "Beta"]
    response = owner_client.get(url, {"q": "zzz"})
    assert b"No restaurants match these filters" in response.content


def test_empty_page(owner_client):
    response = owner_client.get(reverse("crm:home"))
    assert b"No restaurants yet" in response.content


def test_navbar_links_to_the_page_and_api_docs(owner_client):
    content = owner_client.get(reverse("home")).content.decode()
    assert 'href="/restaurants/"' in content
    assert 'href="/api/docs/"' in content


@pytest.mark.parametrize("rows", [3, 40])
def test_page_query_count_is_constant(
    owner_client, business, owner, rows, frozen, django_assert_max_num_queries
):
    for i in range(rows):
        restaurant = RestaurantFactory(business=business, assigned_to=owner, timezone="UTC")
        CallPlanFactory(restaurant=restaurant, next_call_date=NOW + dt.timedelta(days=i % 2))
    # session + user + membership + count + page (with assignee and plan)
    # + time zones in use + calls due
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("crm:home"))
    assert response.status_code == 200
