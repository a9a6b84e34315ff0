"""Interactions and orders: validation, scoping, filters, the call-plan link."""

import datetime as dt
from decimal import Decimal

import pytest

from call.models import CallPlan
from tests.restaurants.factories import (
    CallPlanFactory,
    ContactFactory,
    InteractionFactory,
    OrderFactory,
    RestaurantFactory,
)
from track.models import Interaction, Order

pytestmark = pytest.mark.django_db

ORDER = {
    "product_details": "12 cases of olive oil",
    "quantity": 12,
    "total_price": "359.99",
    "order_date": "2024-12-25T12:00:00Z",
}


def payload(restaurant, **extra):
    return {
        "lead": restaurant.pk,
        "interaction_type": "EMAIL",
        "details": "Hello",
        "date": "2024-12-24T15:30:00Z",
        **extra,
    }


def test_create_with_order_and_read_it_back(api, restaurant):
    response = api.post(
        "/track/interactions/",
        payload(restaurant, interaction_type="ORDER", order_placed=True, order=ORDER),
        format="json",
    )
    assert response.status_code == 201
    assert "order" not in response.json()
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert interaction.order.total_price == Decimal("359.99")
    response = api.get(f"/track/interactions/{interaction.pk}/order_details/")
    assert response.json() == {**ORDER, "total_price": 359.99}


def test_order_date_defaults_to_the_interaction_date(api, restaurant):
    order = {k: v for k, v in ORDER.items() if k != "order_date"}
    response = api.post(
        "/track/interactions/",
        payload(restaurant, order_placed=True, order=order),
        format="json",
    )
    assert response.status_code == 201
    details = api.get(f"/track/interactions/{response.json()['id']}/order_details/").json()
    assert details["order_date"] == "2024-12-24T15:30:00Z"


def test_order_details_404_without_order(api, restaurant):
    interaction = InteractionFactory(restaurant=restaurant)
    response = api.get(f"/track/interactions/{interaction.pk}/order_details/")
    assert response.status_code == 404
    assert response.json() == {"detail": "This interaction has no order."}


def test_unsetting_order_placed_removes_the_order(api, restaurant):
    order = OrderFactory(interaction__restaurant=restaurant)
    response = api.patch(
        f"/track/interactions/{order.interaction_id}/", {"order_placed": False}, format="json"
    )
    assert response.status_code == 200
    assert not Order.objects.exists()


def test_order_without_order_placed_is_400(api, restaurant):
    response = api.post("/track/interactions/", payload(restaurant, order=ORDER), format="json")
    assert response.status_code == 400
    assert "order" in response.json()
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    "order, field",
    [
        ({**ORDER, "quantity": -1}, "quantity"),
        ({**ORDER, "quantity": 0}, "quantity"),
        ({**ORDER, "quantity": "many"}, "quantity"),
        ({**ORDER, "total_price": "-5.00"}, "total_price"),
        ({**ORDER, "total_price": "1.234"}, "total_price"),
        ({**ORDER, "total_price": "NaN"}, "total_price"),
        ({**ORDER, "total_price": 1e20}, "total_price"),
        ({**ORDER, "order_date": "2024-02-30T10:00:00Z"}, "order_date"),
        ({**ORDER, "product_details": "x" * 501}, "product_details"),
        ({k: v for k, v in ORDER.items() if k != "quantity"}, "quantity"),
    ],
)
def test_bad_order_is_400_and_nothing_written(api, restaurant, order, field):
    response = api.post(
        "/track/interactions/",
        payload(restaurant, order_placed=True, order=order),
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["order"]
    assert not Interaction.objects.exists()
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"interaction_type": "FAX"}, "interaction_type"),
        ({"interaction_type": None}, "interaction_type"),
        ({"date": "2024-13-01T00:00:00Z"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"date": "0001-01-01T00:00:00+14:00"}, "date"),
        ({"date": "9999-12-31T23:59:59Z"}, "date"),
        ({"order_placed": "perhaps"}, "order_placed"),
        ({"lead": None}, "lead"),
        ({"lead": "2"}, None),
        ({"contact": 999999}, "contact"),
    ],
)
def test_bad_interaction_input(api, restaurant, extra, field):
    data = payload(restaurant, **extra)
    if extra.get("lead") == "2":
        data["lead"] = str(restaurant.pk)  # a numeric string is fine
    response = api.post("/track/interactions/", data, format="json")
    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Interaction.objects.exists()


def test_unknown_type_lists_allowed_values(api, restaurant):
    response = api.post(
        "/track/interactions/", payload(restaurant, interaction_type="FAX"), format="json"
    )
    message = response.json()["interaction_type"][0]
    for value in ["CALL", "EMAIL", "MEETING", "VISIT", "ORDER", "OTHER"]:
        assert value in message


def test_contact_must_belong_to_the_lead(api, business, restaurant):
    elsewhere = ContactFactory(restaurant=RestaurantFactory(business=business))
    response = api.post(
        "/track/interactions/", payload(restaurant, contact=elsewhere.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"contact": ["This contact does not belong to the lead."]}
    # Moving an interaction to another lead keeps that rule.
    contact = ContactFactory(restaurant=restaurant)
    interaction = InteractionFactory(restaurant=restaurant, contact=contact)
    response = api.patch(
        f"/track/interactions/{interaction.pk}/", {"lead": elsewhere.restaurant_id}, format="json"
    )
    assert response.status_code == 400
    interaction.refresh_from_db()
    assert interaction.restaurant == restaurant


def test_foreign_lead_or_contact_is_400(api, restaurant, foreign_restaurant):
    foreign_contact = ContactFactory(restaurant=foreign_restaurant)
    response = api.post("/track/interactions/", payload(foreign_restaurant), format="json")
    assert response.status_code == 400
    assert "lead" in response.json()
    response = api.post(
        "/track/interactions/", payload(restaurant, contact=foreign_contact.pk), format="json"
    )
    assert response.status_code == 400
    assert "contact" in response.json()
    assert not Interaction.objects.filter(restaurant=restaurant).exists()


@pytest.mark.parametrize(
    "method, suffix",
    [("get", ""), ("put", ""), ("patch", ""), ("delete", ""), ("get", "order_details/")],
)
def test_outsider_gets_404(outsider_api, restaurant, method, suffix):
    order = OrderFactory(interaction__restaurant=restaurant, interaction__details="Kept")
    response = getattr(outsider_api, method)(
        f"/track/interactions/{order.interaction_id}/{suffix}", {"details": "x"}, format="json"
    )
    assert response.status_code == 404
    order.interaction.refresh_from_db()
    assert order.interaction.details == "Kept"


def test_filters(api, business, restaurant, foreign_restaurant):
    other = RestaurantFactory(business=business)
    contact = ContactFactory(restaurant=restaurant)
    day = dt.datetime(2024, 12, 1, 18, tzinfo=dt.UTC)  # noon in Chicago
    a = InteractionFactory(
        restaurant=restaurant, contact=contact, interaction_type="CALL", date=day
    )
    b = InteractionFactory(restaurant=restaurant, date=day + dt.timedelta(days=1))
    c = InteractionFactory(
        restaurant=other, interaction_type="CALL", date=day + dt.timedelta(days=2)
    )
    InteractionFactory(restaurant=foreign_restaurant, date=day)

    def ids(query):
        response = api.get("/track/interactions/" + query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()]

    assert ids("") == [a.pk, b.pk, c.pk]
    assert ids(f"?lead={restaurant.pk}") == [a.pk, b.pk]
    assert ids(f"?lead={foreign_restaurant.pk}") == []
    assert ids(f"?contact={contact.pk}") == [a.pk]
    assert ids("?interaction_type=CALL") == [a.pk, c.pk]
    assert ids("?date_after=2024-12-02") == [b.pk, c.pk]
    assert ids("?date_before=2024-12-02") == [a.pk, b.pk]
    assert ids("?date_after=2024-12-02&date_before=2024-12-02") == [b.pk]
    assert ids("?date_after=2024-12-02T20:00:00Z") == [c.pk]
    assert ids("?lead=99999999999999999999999") == []
    for bad in ["lead=abc", "interaction_type=FAX", "date_after=2024-02-30", "date_before=x"]:
        response = api.get("/track/interactions/?" + bad)
        assert response.status_code == 400, bad
        assert bad.split("=")[0] in response.json()


def test_orders_list_only_orders(api, business, restaurant):
    other = RestaurantFactory(business=business)
    InteractionFactory(restaurant=restaurant)
    first = OrderFactory(interaction__restaurant=restaurant)
    second = OrderFactory(interaction__restaurant=other)
    response = api.get("/track/interactions/orders/")
    assert [r["id"] for r in response.json()] == [first.interaction_id, second.interaction_id]
    assert response["X-Total-Count"] == "2"
    response = api.get(f"/track/interactions/orders/?lead={other.pk}")
    assert [r["id"] for r in response.json()] == [second.interaction_id]


def test_logging_a_call_records_it_on_the_call_plan(api, restaurant):
    plan = CallPlanFactory(restaurant=restaurant, frequency="WEEKLY")
    response = api.post(
        "/track/interactions/",
        payload(restaurant, interaction_type="CALL", date="2024-12-28T10:00:00Z"),
        format="json",
    )
    assert response.status_code == 201
    plan.refresh_from_db()
    assert plan.last_called == dt.datetime(2024, 12, 28, 10, tzinfo=dt.UTC)
    assert plan.next_call_date == dt.datetime(2025, 1, 4, 10, tzinfo=dt.UTC)
    # An older call logged later does not move the plan back.
    api.post(
        "/track/interactions/",
        payload(restaurant, interaction_type="CALL", date="2024-12-20T10:00:00Z"),
        format="json",
    )
    plan.refresh_from_db()
    assert plan.last_called == dt.datetime(2024, 12, 28, 10, tzinfo=dt.UTC)
    # Other kinds of interaction leave it alone.
    api.post(
        "/track/interactions/",
        payload(restaurant, interaction_type="VISIT", date="2024-12-30T10:00:00Z"),
        format="json",
    )
    plan.refresh_from_db()
    assert plan.last_called == dt.datetime(2024, 12, 28, 10, tzinfo=dt.UTC)


def test_logging_a_call_without_a_plan_creates_none(api, restaurant):
    api.post("/track/interactions/", payload(restaurant, interaction_type="CALL"), format="json")
    assert not CallPlan.objects.exists()


@pytest.mark.parametrize("rows", [3, 40])
def test_list_query_counts_are_constant(api, restaurant, rows, django_assert_max_num_queries):
    for _ in range(rows):
        OrderFactory(interaction__restaurant=restaurant)
    # user + membership + count + page
    with django_assert_max_num_queries(4):
        response = api.get("/track/interactions/")
    assert len(response.json()) == rows
    with django_assert_max_num_queries(4):
        response = api.get("/track/interactions/orders/")
    assert len(response.json()) == rows


def test_put_replaces_fields_and_updates_the_order(api, restaurant):
    order = OrderFactory(interaction__restaurant=restaurant)
    url = f"/track/interactions/{order.interaction_id}/"
    body = {
        "lead": restaurant.pk,
        "contact": None,
        "interaction_type": "ORDER",
        "details": "Corrected quantity.",
        "order_placed": True,
        "date": "2024-12-25T12:00:00Z",
        "order": {**ORDER, "quantity": 20, "total_price": "600.00"},
    }
    response = api.put(url, body, format="json")
    assert response.status_code == 200
    assert response.json()["details"] == "Corrected quantity."
    order.refresh_from_db()
    assert order.quantity == 20
    assert order.total_price == Decimal("600.00")
    assert Order.objects.count() == 1


def test_interaction_changed_to_a_later_call_updates_the_plan(api, restaurant):
    plan = CallPlanFactory(restaurant=restaurant, frequency="DAILY")
    interaction = InteractionFactory(restaurant=restaurant, interaction_type="EMAIL")
    response = api.patch(
        f"/track/interactions/{interaction.pk}/",
        {"interaction_type": "CALL", "date": "2025-01-31T09:00:00Z"},
        format="json",
    )
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.last_called == dt.datetime(2025, 1, 31, 9, tzinfo=dt.UTC)
    assert plan.next_call_date == dt.datetime(2025, 2, 1, 9, tzinfo=dt.UTC)
