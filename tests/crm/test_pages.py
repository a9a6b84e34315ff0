"""The restaurant CRM's pages: the list at `/restaurants/` (`crm:home`), the
forms, each restaurant's page and who may use them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from call import clock
from call.models import CallPlan
from contact.models import Contact
from restaurants.models import Restaurant, RestaurantStatusChange
from tests.restaurants.factories import (
    CallPlanFactory,
    ContactFactory,
    InteractionFactory,
    OrderFactory,
    RestaurantFactory,
)
from track.models import Order

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2025, 3, 10, 16, tzinfo=UTC)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def restaurant(business, owner):
    return RestaurantFactory(business=business, name="Taco Haus", assigned_to=owner)


def names(response):
    return [x.name for x in response.context["page_obj"]]


def test_page_keeps_its_address():
    assert reverse("crm:home") == "/restaurants/"


@pytest.mark.parametrize(
    "name,args",
    [
        ("crm:home", []),
        ("crm:create", []),
        ("crm:board", []),
        ("crm:import", []),
        ("crm:export", []),
        ("crm:detail", [1]),
        ("crm:edit", [1]),
        ("crm:delete", [1]),
        ("crm:timeline", [1]),
    ],
)
def test_anonymous_goes_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))


# --- the list -------------------------------------------------------------------------


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
    # Each row links to the restaurant.
    assert f'href="{reverse("crm:detail", args=[mine.pk])}"' in content


def test_calls_due_only_for_the_signed_in_kam(member_client, business, owner, frozen):
    theirs = RestaurantFactory(business=business, assigned_to=owner)
    CallPlanFactory(restaurant=theirs, next_call_date=NOW)
    response = member_client.get(reverse("crm:home"))
    assert list(response.context["due"]) == []
    assert b"No calls due today" in response.content


def test_search_filters_and_sorting(owner_client, business, owner, member):
    RestaurantFactory(business=business, name="Alpha", status="LOST", city="Dallas")
    RestaurantFactory(business=business, name="Beta", assigned_to=owner, phone="+13125550143")
    RestaurantFactory(business=business, name="Gamma", assigned_to=member, city="Houston")
    url = reverse("crm:home")
    assert names(owner_client.get(url, {"status": "LOST"})) == ["Alpha"]
    assert names(owner_client.get(url, {"assigned_to": "me"})) == ["Beta"]
    assert names(owner_client.get(url, {"assigned_to": str(member.pk)})) == ["Gamma"]
    assert names(owner_client.get(url, {"assigned_to": "none"})) == ["Alpha"]
    assert names(owner_client.get(url, {"city": "houston"})) == ["Gamma"]
    assert names(owner_client.get(url, {"q": "bet"})) == ["Beta"]
    assert names(owner_client.get(url, {"q": "dall"})) == ["Alpha"]
    assert names(owner_client.get(url, {"q": "(312) 555-01"})) == ["Beta"]
    assert names(owner_client.get(url, {"sort": "-name"})) == ["Gamma", "Beta", "Alpha"]
    assert names(owner_client.get(url, {"sort": "city"}))[-1] == "Gamma"
    response = owner_client.get(url, {"q": "zzz"})
    assert b"No restaurants match these filters" in response.content


def test_the_former_mine_box_still_works(owner_client, business, owner):
    response = owner_client.get(reverse("crm:home"), {"mine": "1", "q": "x"})
    assert response.status_code == 302
    assert "assigned_to=me" in response["Location"] and "q=x" in response["Location"]


def test_unreadable_filters_are_shown_not_applied(owner_client, business):
    RestaurantFactory(business=business, name="Alpha")
    response = owner_client.get(reverse("crm:home"), {"status": "BOGUS", "assigned_to": "x"})
    assert response.status_code == 400
    assert names(response) == ["Alpha"]
    assert b"These filters were not applied" in response.content


def test_empty_page_says_what_to_do(owner_client):
    response = owner_client.get(reverse("crm:home"))
    content = response.content.decode()
    assert "No restaurants yet" in content
    assert f'href="{reverse("crm:create")}"' in content
    assert "POST /lead" not in content and "api" not in content.split("<main")[1].lower()


def test_navbar_and_sub_navigation(owner_client):
    content = owner_client.get(reverse("home")).content.decode()
    assert 'href="/restaurants/"' in content
    page = owner_client.get(reverse("crm:home")).content.decode()
    assert f'href="{reverse("crm:board")}"' in page
    board = owner_client.get(reverse("crm:board")).content.decode()
    assert f'href="{reverse("crm:home")}"' in board and 'aria-current="page"' in board


@pytest.mark.parametrize("rows", [3, 40])
def test_list_query_count_is_constant(
    owner_client, business, owner, rows, frozen, django_assert_max_num_queries
):
    for i in range(rows):
        restaurant = RestaurantFactory(business=business, assigned_to=owner, timezone="UTC")
        CallPlanFactory(restaurant=restaurant, next_call_date=NOW + dt.timedelta(days=i % 2))
        ContactFactory(restaurant=restaurant)
    # session + user + membership + people + count + page (with assignee and
    # plan) + cities + time zones in use + calls due
    with django_assert_max_num_queries(9):
        response = owner_client.get(reverse("crm:home"), {"q": "Bistro", "sort": "next_call"})
    assert response.status_code == 200


# --- add, edit, delete -----------------------------------------------------------------


def test_member_adds_a_restaurant(member_client, business, member):
    response = member_client.post(
        reverse("crm:create"),
        {
            "name": "Noodle Bar",
            "status": "NEW",
            "assigned_to": member.pk,
            "phone": "512 555 0199",
            "city": "Austin",
            "timezone": "",
        },
    )
    restaurant = Restaurant.objects.get(name="Noodle Bar")
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:detail", args=[restaurant.pk])
    assert restaurant.business == business
    assert restaurant.phone == "+15125550199"
    assert restaurant.timezone == business.timezone
    assert restaurant.assigned_to == member


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": ""}, "name"),
        ({"phone": "12"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"status": "WON"}, "status"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_input_on_the_form_writes_nothing(owner_client, business, data, field):
    payload = {"name": "Noodle Bar", "status": "NEW", **data}
    response = owner_client.post(reverse("crm:create"), payload)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Restaurant.objects.exists()


def test_assignee_from_another_business_is_refused(owner_client, business, outsider):
    response = owner_client.post(
        reverse("crm:create"), {"name": "Noodle Bar", "status": "NEW", "assigned_to": outsider.pk}
    )
    assert response.status_code == 400
    assert "assigned_to" in response.context["form"].errors
    assert not Restaurant.objects.exists()


def test_edit_records_a_status_change_with_its_note(owner_client, restaurant, owner):
    url = reverse("crm:edit", args=[restaurant.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(
        url,
        {
            "name": "Taco Haus II",
            "status": "QUALIFIED",
            "assigned_to": owner.pk,
            "timezone": "America/New_York",
            "note": "Tasting went well.",
        },
    )
    assert response.status_code == 302
    restaurant.refresh_from_db()
    assert restaurant.name == "Taco Haus II" and restaurant.timezone == "America/New_York"
    change = RestaurantStatusChange.objects.get(restaurant=restaurant)
    assert (change.from_status, change.to_status, change.note) == (
        "NEW",
        "QUALIFIED",
        "Tasting went well.",
    )


def test_bad_edit_writes_nothing(owner_client, restaurant):
    response = owner_client.post(
        reverse("crm:edit", args=[restaurant.pk]), {"name": "", "status": "QUALIFIED"}
    )
    assert response.status_code == 400
    restaurant.refresh_from_db()
    assert restaurant.name == "Taco Haus" and restaurant.status == "NEW"
    assert not RestaurantStatusChange.objects.exists()


def test_delete_confirms_what_goes_with_it(owner_client, restaurant):
    ContactFactory(restaurant=restaurant)
    OrderFactory(interaction=InteractionFactory(restaurant=restaurant, order_placed=True))
    CallPlanFactory(restaurant=restaurant)
    url = reverse("crm:delete", args=[restaurant.pk])
    content = owner_client.get(url).content.decode()
    assert "1 contact" in content and "1 interaction" in content and "1 order" in content
    assert "its call plan" in content
    response = owner_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("crm:home")
    assert not Restaurant.objects.exists()
    assert not Contact.objects.exists() and not Order.objects.exists()
    assert not CallPlan.objects.exists()


def test_delete_from_script(owner_client, restaurant):
    response = owner_client.delete(reverse("crm:delete", args=[restaurant.pk]))
    assert response.status_code == 204
    assert not Restaurant.objects.exists()


def test_only_the_owner_deletes(member_client, restaurant):
    url = reverse("crm:delete", args=[restaurant.pk])
    assert member_client.get(url).status_code == 403
    assert member_client.post(url).status_code == 403
    assert Restaurant.objects.exists()
    detail = member_client.get(reverse("crm:detail", args=[restaurant.pk])).content.decode()
    assert url not in detail


# --- the restaurant's page --------------------------------------------------------------


def test_detail_shows_everything(member_client, business, restaurant, owner, frozen):
    ContactFactory(restaurant=restaurant, name="Maria Lopez", role="Owner", phone="+15125550111")
    interaction = InteractionFactory(
        restaurant=restaurant,
        interaction_type="ORDER",
        order_placed=True,
        date=dt.datetime(2025, 2, 14, 18, tzinfo=UTC),
    )
    OrderFactory(
        interaction=interaction,
        total_price=Decimal("1234.50"),
        order_date=dt.datetime(2025, 2, 14, 18, tzinfo=UTC),
    )
    CallPlanFactory(restaurant=restaurant, frequency="WEEKLY", next_call_date=NOW)
    response = member_client.get(reverse("crm:detail", args=[restaurant.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Maria Lopez" in content and "(512) 555-0111" in content
    assert "$1,234.50" in content
    assert "Weekly" in content and "Record call now" in content
    assert 'id="orders-chart-data"' in content
    assert "February 2025" in content  # the chart's table
    assert "<script>" not in content


def test_detail_query_count_is_constant(
    owner_client, business, restaurant, frozen, django_assert_max_num_queries
):
    for _ in range(3):
        ContactFactory(restaurant=restaurant)
    for i in range(60):
        interaction = InteractionFactory(
            restaurant=restaurant,
            order_placed=i % 3 == 0,
            date=NOW - dt.timedelta(days=i * 5),
        )
        if i % 3 == 0:
            OrderFactory(interaction=interaction, order_date=interaction.date)
    CallPlanFactory(restaurant=restaurant)
    # session + user + membership + restaurant (assignee, plan) + history +
    # contacts + timeline page + order summary + months
    with django_assert_max_num_queries(9):
        response = owner_client.get(reverse("crm:detail", args=[restaurant.pk]))
    assert len(response.context["timeline"]) == 20 and response.context["next_cursor"]


def test_timeline_pages_newest_first(owner_client, restaurant):
    for i in range(45):
        InteractionFactory(restaurant=restaurant, date=NOW - dt.timedelta(hours=i), details=f"n{i}")
    first = owner_client.get(reverse("crm:detail", args=[restaurant.pk])).context
    assert [x.details for x in first["timeline"]][:2] == ["n0", "n1"]
    url = reverse("crm:timeline", args=[restaurant.pk])
    second = owner_client.get(url, {"before": first["next_cursor"]}, HTTP_HX_REQUEST="true")
    assert [x.details for x in second.context["timeline"]][0] == "n20"
    third = owner_client.get(url, {"before": second.context["next_cursor"]})
    assert [x.details for x in third.context["timeline"]] == [f"n{i}" for i in range(40, 45)]
    assert third.context["next_cursor"] == ""
    assert owner_client.get(url, {"before": "garbage"}).status_code == 404


def test_change_status_with_a_note(member_client, restaurant, member):
    url = reverse("crm:status", args=[restaurant.pk])
    response = member_client.post(url, {"status": "CONTACTED", "note": "First call."})
    assert response.status_code == 302
    change = RestaurantStatusChange.objects.get()
    assert (change.to_status, change.note, change.changed_by) == (
        "CONTACTED",
        "First call.",
        member,
    )
    # The same status again, or an unknown one: refused, nothing written.
    for status in ("CONTACTED", "WON"):
        response = member_client.post(url, {"status": status})
        assert response.status_code == 400
    assert b"already CONTACTED" in member_client.post(url, {"status": "CONTACTED"}).content
    assert RestaurantStatusChange.objects.count() == 1
    assert member_client.get(url).status_code == 405
