"""The calls agenda (`/restaurants/calls/today/`) and the account
performance page (`/restaurants/performance/`)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from call import clock
from tests.restaurants.factories import (
    CallPlanFactory,
    ContactFactory,
    InteractionFactory,
    OrderFactory,
    RestaurantFactory,
)
from track.models import Interaction, InteractionType, Order

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 16, tzinfo=dt.UTC)  # 10:00 in Chicago
AGENDA = reverse("crm:calls_today")
PERFORMANCE = reverse("crm:performance")


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def planned(business, name, due, user=None, **extra):
    restaurant = RestaurantFactory(business=business, name=name, assigned_to=user, **extra)
    return CallPlanFactory(restaurant=restaurant, frequency="WEEKLY", next_call_date=due)


def test_agenda_lists_due_and_overdue_most_overdue_first(owner_client, business, owner):
    today = planned(business, "Today Taco", NOW, owner)
    late = planned(business, "Late Latte", NOW - dt.timedelta(days=3), owner)
    planned(business, "Tomorrow Tapas", NOW + dt.timedelta(days=1), owner)
    ContactFactory(
        restaurant=late.restaurant, name="Maria Lopez", role="Owner", phone="+15125550111"
    )
    InteractionFactory(
        restaurant=late.restaurant,
        details="Asked for the price list",
        date=NOW - dt.timedelta(days=9),
    )
    response = owner_client.get(AGENDA)
    assert response.status_code == 200
    names = [plan.restaurant.name for plan in response.context["plans"]]
    assert names == ["Late Latte", "Today Taco"]
    html = response.content.decode()
    assert "Maria Lopez" in html and "Owner" in html
    assert 'href="tel:+15125550111"' in html
    assert "Asked for the price list" in html
    assert "Overdue 3 days" in html
    assert today.pk


def test_mine_and_everyones(member_client, business, owner, member):
    planned(business, "Owner's", NOW, owner)
    planned(business, "Member's", NOW, member)
    mine = member_client.get(AGENDA)
    assert [p.restaurant.name for p in mine.context["plans"]] == ["Member's"]
    everyone = member_client.get(AGENDA, {"who": "all"})
    assert {p.restaurant.name for p in everyone.context["plans"]} == {"Owner's", "Member's"}


def test_today_follows_the_users_time_zone(owner_client, business, owner):
    # 23:30 on March 10 in Chicago is already March 11 in Berlin.
    due = dt.datetime(2025, 3, 11, 5, tzinfo=dt.UTC)  # March 11, 00:00 Chicago; 06:00 Berlin
    planned(business, "Next day", due, owner)
    assert owner_client.get(AGENDA).context["plans"] == []
    owner.time_zone = "Asia/Tokyo"  # March 11, 01:00 there at NOW
    owner.save()
    assert [p.restaurant.name for p in owner_client.get(AGENDA).context["plans"]] == ["Next day"]


def test_record_call_with_an_order_moves_the_plan(owner_client, business, owner):
    plan = planned(business, "Taco Haus", NOW - dt.timedelta(days=2), owner)
    ContactFactory(restaurant=plan.restaurant, name="Maria")
    response = owner_client.post(
        reverse("crm:agenda_record", args=[plan.pk]),
        {
            "details": "Wants more salsa",
            "order_placed": "on",
            "product_details": "Salsa",
            "quantity": "4",
            "total_price": "120.50",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == AGENDA
    interaction = Interaction.objects.get()
    assert interaction.interaction_type == InteractionType.CALL
    assert interaction.contact.name == "Maria"
    assert interaction.order.total_price == Decimal("120.50")
    plan.refresh_from_db()
    assert plan.last_called == NOW
    assert plan.next_call_date > NOW + dt.timedelta(days=6)
    assert owner_client.get(AGENDA).context["plans"] == []


def test_record_call_in_one_click(owner_client, business, owner):
    plan = planned(business, "Taco Haus", NOW, owner)
    response = owner_client.post(reverse("crm:agenda_record", args=[plan.pk]), {"who": "all"})
    assert response["Location"] == AGENDA + "?who=all"
    assert Interaction.objects.get().order_placed is False


def test_record_call_with_an_incomplete_order_writes_nothing(owner_client, business, owner):
    plan = planned(business, "Taco Haus", NOW, owner)
    response = owner_client.post(
        reverse("crm:agenda_record", args=[plan.pk]), {"order_placed": "on", "quantity": "0"}
    )
    assert response.status_code == 400
    assert "Needed when an order was placed." in response.content.decode()
    assert not Interaction.objects.exists() and not Order.objects.exists()
    plan.refresh_from_db()
    assert plan.last_called is None


def test_outsider_cannot_record_a_call(outsider_client, business, owner):
    plan = planned(business, "Taco Haus", NOW, owner)
    response = outsider_client.post(reverse("crm:agenda_record", args=[plan.pk]))
    assert response.status_code == 404
    assert not Interaction.objects.exists()
    assert outsider_client.get(AGENDA, {"who": "all"}).context["plans"] == []


def test_anonymous_goes_to_login(client):
    for url in (AGENDA, PERFORMANCE):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_record_needs_post(owner_client, business, owner):
    plan = planned(business, "Taco Haus", NOW, owner)
    assert owner_client.get(reverse("crm:agenda_record", args=[plan.pk])).status_code == 405


def orders(restaurant, days_and_values):
    for days, value in days_and_values:
        moment = NOW - dt.timedelta(days=days)
        OrderFactory(
            interaction__restaurant=restaurant,
            interaction__date=moment,
            order_date=moment,
            total_price=value,
        )


def test_under_performing_accounts_are_on_the_agenda(owner_client, business, owner):
    lapsed = RestaurantFactory(business=business, name="Lapsed Lounge", assigned_to=owner)
    orders(lapsed, [(d, "100") for d in range(46, 200, 14)])
    response = owner_client.get(AGENDA)
    assert [item.restaurant.name for item in response.context["under"]] == ["Lapsed Lounge"]
    assert "no order for 46 days, usually every 14" in response.content.decode()


def test_empty_states(owner_client):
    assert "Plan calls from a restaurant" in owner_client.get(AGENDA).content.decode()
    assert "No account has three orders yet" in owner_client.get(PERFORMANCE).content.decode()


def test_performance_page(owner_client, business):
    lapsed = RestaurantFactory(business=business, name="Lapsed Lounge")
    orders(lapsed, [(d, "100") for d in range(46, 200, 14)])
    new = RestaurantFactory(business=business, name="Fresh Fries")
    orders(new, [(3, "80")])
    response = owner_client.get(PERFORMANCE)
    html = response.content.decode()
    assert "Lapsed Lounge" in html and "no order for 46 days, usually every 14" in html.lower()
    assert "Fresh Fries" in html
    assert "1.5× the account" in html  # the thresholds are shown
    assert [item.restaurant.name for item in response.context["new_rows"]] == ["Fresh Fries"]
    only_well = owner_client.get(PERFORMANCE, {"show": "well"})
    assert only_well.context["rows"] == []


def test_performance_page_queries_do_not_grow(
    owner_client, business, owner, django_assert_max_num_queries
):
    def grow(n):
        for i in range(n):
            restaurant = RestaurantFactory(business=business, assigned_to=owner)
            orders(restaurant, [(d, "100") for d in range(5 + i, 200, 20)])
            CallPlanFactory(restaurant=restaurant, next_call_date=NOW - dt.timedelta(days=i))
            ContactFactory(restaurant=restaurant)

    grow(2)
    from django.core.cache import cache

    for url in (PERFORMANCE, AGENDA):
        cache.clear()
        with django_assert_max_num_queries(14) as small:
            assert owner_client.get(url).status_code == 200
        grow(8)
        cache.clear()
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert owner_client.get(url).status_code == 200
