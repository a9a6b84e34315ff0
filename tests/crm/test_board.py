"""The pipeline board (`/restaurants/board/`) and moving its cards."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from crm import selectors
from restaurants.models import RestaurantStatusChange
from tests.restaurants.factories import InteractionFactory, OrderFactory, RestaurantFactory

pytestmark = pytest.mark.django_db


def order(restaurant, amount, days_ago):
    moment = timezone.now() - dt.timedelta(days=days_ago)
    interaction = InteractionFactory(restaurant=restaurant, order_placed=True, date=moment)
    return OrderFactory(interaction=interaction, total_price=Decimal(amount), order_date=moment)


def test_columns_count_value_and_best_accounts_first(owner_client, business, other_business):
    big = RestaurantFactory(business=business, name="Big Spender", status="CONVERTED")
    small = RestaurantFactory(business=business, name="Small Fry", status="CONVERTED")
    quiet = RestaurantFactory(business=business, name="Quiet One", status="CONVERTED")
    order(big, "900.00", 10)
    order(small, "100.00", 20)
    order(small, "5000.00", 200)  # older than 90 days: not recent
    order(RestaurantFactory(business=other_business, status="CONVERTED"), "7777.00", 1)
    RestaurantFactory(business=business, status="NEW")
    response = owner_client.get(reverse("crm:board"))
    assert response.status_code == 200
    columns = {c.status: c for c in response.context["columns"]}
    assert [c.status for c in response.context["columns"]] == [
        "NEW",
        "CONTACTED",
        "QUALIFIED",
        "NEGOTIATION",
        "CONVERTED",
        "LOST",
    ]
    converted = columns["CONVERTED"]
    assert converted.count == 3 and converted.value == Decimal("1000.00")
    assert [r.name for r in converted.cards] == ["Big Spender", "Small Fry", "Quiet One"]
    assert columns["NEW"].count == 1 and columns["CONTACTED"].count == 0
    content = response.content.decode()
    assert "$1,000.00" in content and "7,777" not in content
    assert quiet.name in content


def test_full_columns_link_to_the_filtered_list(business, owner_client):
    for _ in range(selectors.BOARD_CARDS + 3):
        RestaurantFactory(business=business, status="QUALIFIED")
    response = owner_client.get(reverse("crm:board"))
    column = next(c for c in response.context["columns"] if c.status == "QUALIFIED")
    assert len(column.cards) == selectors.BOARD_CARDS and column.more == 3
    assert b"+3 more in the list" in response.content
    assert b'href="/restaurants/?status=QUALIFIED"' in response.content


@pytest.mark.parametrize("rows", [5, 60])
def test_board_query_count_is_constant(owner_client, business, rows, django_assert_max_num_queries):
    statuses = ["NEW", "CONTACTED", "QUALIFIED", "NEGOTIATION", "CONVERTED", "LOST"]
    for i in range(rows):
        restaurant = RestaurantFactory(business=business, status=statuses[i % 6])
        if i % 2:
            order(restaurant, str(10 * i), i)
    # session + user + membership + counts + recent order values + latest
    # + the top accounts not among the latest
    with django_assert_max_num_queries(7):
        response = owner_client.get(reverse("crm:board"))
    assert response.status_code == 200


def test_move_with_the_form_button(member_client, business, member):
    restaurant = RestaurantFactory(business=business, name="Noodle Bar")
    response = member_client.post(
        reverse("crm:move", args=[restaurant.pk]), {"status": "QUALIFIED"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("crm:board")
    restaurant.refresh_from_db()
    assert restaurant.status == "QUALIFIED"
    change = RestaurantStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("NEW", "QUALIFIED", member)


def test_move_by_drag_and_drop_answers_with_the_board(member_client, business):
    restaurant = RestaurantFactory(business=business, name="Noodle Bar")
    response = member_client.post(
        reverse("crm:move", args=[restaurant.pk]), {"status": "LOST"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'id="board"' in response.content and b"<html" not in response.content
    assert json.loads(response["HX-Trigger"]) == {"crm:announce": "Noodle Bar moved to Lost."}
    assert RestaurantStatusChange.objects.get().to_status == "LOST"


@pytest.mark.parametrize("status", ["NEW", "WON", ""])
def test_bad_moves_write_nothing(member_client, business, status):
    restaurant = RestaurantFactory(business=business, status="NEW")
    url = reverse("crm:move", args=[restaurant.pk])
    response = member_client.post(url, {"status": status}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not RestaurantStatusChange.objects.exists()
    response = member_client.post(url, {"status": status}, follow=True)
    assert b"was not moved" in response.content
    assert member_client.get(url).status_code == 405


def test_empty_board_says_what_to_do(owner_client):
    content = owner_client.get(reverse("crm:board")).content.decode()
    assert "No restaurants are new." in content
    assert f'href="{reverse("crm:create")}"' in content


def test_order_values_are_cached_and_refreshed_by_the_pages(owner_client, business):
    restaurant = RestaurantFactory(business=business, name="Regular", status="CONVERTED")
    order(restaurant, "100.00", 5)
    first = owner_client.get(reverse("crm:board")).context["columns"]
    assert first[4].value == Decimal("100.00")
    order(restaurant, "50.00", 1)  # written elsewhere (the API, a script)
    cached = owner_client.get(reverse("crm:board")).context["columns"]
    assert cached[4].value == Decimal("100.00")
    # Logging an order on the restaurant's page refreshes the figures at once.
    owner_client.post(
        reverse("crm:interaction_create", args=[restaurant.pk]),
        {
            "interaction_type": "ORDER",
            "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "order_placed": "on",
            "product_details": "Rice",
            "quantity": "1",
            "total_price": "25.00",
        },
    )
    fresh = owner_client.get(reverse("crm:board")).context["columns"]
    assert fresh[4].value == Decimal("175.00")
    # A move shows the value in its new column at once.
    response = owner_client.post(
        reverse("crm:move", args=[restaurant.pk]), {"status": "LOST"}, HTTP_HX_REQUEST="true"
    )
    columns = {c.status: c for c in response.context["columns"]}
    assert columns["LOST"].value == Decimal("175.00") and columns["CONVERTED"].value == 0
