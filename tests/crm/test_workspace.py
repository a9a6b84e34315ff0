"""On a restaurant's page: contacts (in place with htmx, and without
JavaScript), interactions with their orders, and the call plan card."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from call import clock
from call.models import CallPlan
from contact.models import Contact
from tests.restaurants.factories import (
    CallPlanFactory,
    ContactFactory,
    InteractionFactory,
    OrderFactory,
    RestaurantFactory,
)
from track.models import Interaction, Order

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2025, 3, 10, 16, tzinfo=UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def restaurant(business, owner):
    return RestaurantFactory(business=business, name="Taco Haus", assigned_to=owner)


def url(name, *args):
    return reverse(f"crm:{name}", args=args)


# --- contacts --------------------------------------------------------------------------


def test_add_contact_without_javascript(member_client, restaurant):
    response = member_client.post(
        url("contact_create", restaurant.pk),
        {"name": "Maria Lopez", "role": "Owner", "phone": "512-555-0111", "email": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#contacts")
    contact = Contact.objects.get()
    assert (contact.restaurant, contact.phone) == (restaurant, "+15125550111")


def test_add_contact_with_htmx_answers_with_the_card(member_client, restaurant):
    response = member_client.post(
        url("contact_create", restaurant.pk), {"name": "Maria Lopez", "role": "Owner"}, **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="contacts"' in content and "Maria Lopez" in content
    assert 'hx-swap-oob="true"' in content  # the interaction form's "With" list
    assert json.loads(response["HX-Trigger"]) == {"crm:announce": "Contact Maria Lopez added."}


@pytest.mark.parametrize("htmx", [False, True])
def test_bad_contact_writes_nothing(member_client, restaurant, htmx):
    extra = HTMX if htmx else {}
    response = member_client.post(
        url("contact_create", restaurant.pk), {"name": "", "phone": "12"}, **extra
    )
    assert response.status_code == 400
    assert b"Enter a valid phone number" in response.content
    assert b"This field is required" in response.content
    assert not Contact.objects.exists()


def test_edit_contact_in_place_and_without_javascript(member_client, restaurant):
    contact = ContactFactory(restaurant=restaurant, name="Maria", role="Chef")
    edit = url("contact_edit", restaurant.pk, contact.pk)
    inline = member_client.get(edit, **HTMX)
    assert (
        inline.status_code == 200 and b"<form" in inline.content and b"<html" not in inline.content
    )
    page = member_client.get(edit)
    assert b"<html" in page.content and b"Edit contact" in page.content
    response = member_client.post(edit, {"name": "Maria Lopez", "role": "Owner"}, **HTMX)
    assert response.status_code == 200 and b"Maria Lopez" in response.content
    contact.refresh_from_db()
    assert contact.role == "Owner"
    response = member_client.post(edit, {"name": "", "role": "Owner"})
    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.name == "Maria Lopez"


def test_remove_contact(member_client, restaurant):
    contact = ContactFactory(restaurant=restaurant, name="Maria")
    delete = url("contact_delete", restaurant.pk, contact.pk)
    assert b"Remove Maria?" in member_client.get(delete).content
    response = member_client.post(delete, **HTMX)
    assert response.status_code == 200 and b"No contacts yet" in response.content
    assert not Contact.objects.exists()
    other = ContactFactory(restaurant=restaurant)
    response = member_client.post(url("contact_delete", restaurant.pk, other.pk))
    assert response.status_code == 302 and not Contact.objects.exists()


def test_contact_of_another_restaurant_is_404(member_client, business, restaurant):
    elsewhere = ContactFactory(restaurant=RestaurantFactory(business=business))
    assert member_client.get(url("contact_edit", restaurant.pk, elsewhere.pk)).status_code == 404


# --- interactions ----------------------------------------------------------------------------


def test_log_a_call_with_an_order_moves_the_plan(member_client, restaurant, member):
    contact = ContactFactory(restaurant=restaurant)
    plan = CallPlanFactory(
        restaurant=restaurant, frequency="WEEKLY", next_call_date=NOW, last_called=None
    )
    response = member_client.post(
        url("interaction_create", restaurant.pk),
        {
            "interaction_type": "CALL",
            "date": "2025-03-10T09:30",  # Chicago: 14:30 UTC
            "contact": contact.pk,
            "details": "Weekly check-in.",
            "order_placed": "on",
            "product_details": "Olive oil, 5 L",
            "quantity": "12",
            "total_price": "462.00",
        },
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.date == dt.datetime(2025, 3, 10, 14, 30, tzinfo=UTC)
    assert (interaction.contact, interaction.created_by) == (contact, member)
    order = Order.objects.get()
    assert (order.quantity, order.total_price) == (12, Decimal("462.00"))
    plan.refresh_from_db()
    assert plan.last_called == interaction.date
    assert plan.next_call_date == dt.datetime(2025, 3, 17, 14, 30, tzinfo=UTC)
    page = member_client.get(url("detail", restaurant.pk)).content.decode()
    assert "Call logged with its order. Next call: Mon Mar 17." in page
    assert "$462.00" in page


@pytest.mark.parametrize(
    "data,field",
    [
        ({"interaction_type": "FAX"}, "interaction_type"),
        ({"date": "tomorrow"}, "date"),
        ({"date": "1800-01-01T10:00"}, "date"),
        ({"order_placed": "on"}, "product_details"),
        ({"order_placed": "on", "product_details": "x", "quantity": "0"}, "quantity"),
        (
            {"order_placed": "on", "product_details": "x", "quantity": "1", "total_price": "-5"},
            "total_price",
        ),
        (
            {"order_placed": "on", "product_details": "x", "quantity": "1", "total_price": "1e20"},
            "total_price",
        ),
    ],
)
def test_bad_interaction_writes_nothing(member_client, restaurant, data, field):
    payload = {"interaction_type": "CALL", "date": "2025-03-10T09:30", **data}
    response = member_client.post(url("interaction_create", restaurant.pk), payload)
    assert response.status_code == 400
    assert field in response.context["interaction_form"].errors
    assert not Interaction.objects.exists() and not Order.objects.exists()


def test_contact_of_another_restaurant_is_refused(member_client, business, restaurant):
    elsewhere = ContactFactory(restaurant=RestaurantFactory(business=business))
    response = member_client.post(
        url("interaction_create", restaurant.pk),
        {"interaction_type": "EMAIL", "date": "2025-03-10T09:30", "contact": elsewhere.pk},
    )
    assert response.status_code == 400
    assert not Interaction.objects.exists()


def test_edit_and_delete_an_interaction(member_client, restaurant):
    interaction = InteractionFactory(restaurant=restaurant, order_placed=True)
    OrderFactory(interaction=interaction)
    edit = url("interaction_edit", restaurant.pk, interaction.pk)
    assert b"50 units of Product A" in member_client.get(edit).content
    response = member_client.post(
        edit, {"interaction_type": "VISIT", "date": "2025-03-01T12:00", "details": "Samples."}
    )
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert (interaction.interaction_type, interaction.order_placed) == ("VISIT", False)
    assert not Order.objects.exists()  # no order placed any more
    delete = url("interaction_delete", restaurant.pk, interaction.pk)
    assert member_client.get(delete).status_code == 200
    assert member_client.post(delete).status_code == 302
    assert not Interaction.objects.exists()


# --- the call plan card -------------------------------------------------------------------------


def test_create_a_plan_when_there_is_none(member_client, restaurant):
    page = member_client.get(url("detail", restaurant.pk)).content.decode()
    assert "No call plan yet" in page
    response = member_client.post(url("plan_create", restaurant.pk), {"frequency": "BIWEEKLY"})
    assert response.status_code == 302 and response["Location"].endswith("#call-plan")
    plan = CallPlan.objects.get()
    # The start of the day two weeks from today, in the restaurant's zone.
    assert plan.next_call_date == dt.datetime(2025, 3, 24, 5, tzinfo=UTC)
    response = member_client.post(url("plan_create", restaurant.pk), {"frequency": "DAILY"})
    assert response.status_code == 400
    assert CallPlan.objects.count() == 1


def test_bad_plan_input_writes_nothing(member_client, restaurant):
    response = member_client.post(
        url("plan_create", restaurant.pk), {"frequency": "HOURLY"}, **HTMX
    )
    assert response.status_code == 400 and b'id="call-plan"' in response.content
    assert not CallPlan.objects.exists()


def test_record_call_now_and_change_frequency(member_client, restaurant):
    plan = CallPlanFactory(restaurant=restaurant, frequency="WEEKLY", next_call_date=NOW)
    response = member_client.post(url("plan_record", restaurant.pk), **HTMX)
    assert response.status_code == 200
    assert "Next call: Mon Mar 17" in json.loads(response["HX-Trigger"])["crm:announce"]
    plan.refresh_from_db()
    assert plan.last_called == NOW and plan.next_call_date == NOW + dt.timedelta(days=7)
    assert not Interaction.objects.exists()  # as the API: recording a call logs nothing
    response = member_client.post(url("plan_frequency", restaurant.pk), {"frequency": "DAILY"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.frequency == "DAILY" and plan.next_call_date == NOW + dt.timedelta(days=1)
    response = member_client.post(url("plan_frequency", restaurant.pk), {"frequency": "NEVER"})
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.frequency == "DAILY"


def test_stop_the_plan(member_client, restaurant):
    CallPlanFactory(restaurant=restaurant)
    delete = url("plan_delete", restaurant.pk)
    assert member_client.get(delete).status_code == 200
    response = member_client.post(delete, **HTMX)
    assert response.status_code == 200 and b"No call plan yet" in response.content
    assert not CallPlan.objects.exists()
    assert member_client.post(url("plan_record", restaurant.pk)).status_code == 404
