"""The seed document replayed literally: its payloads, its paths, its answers.

Ids in the seed (lead 1, contact 3…) are replaced by the ids of rows made
here; every other value is the seed's own.
"""

import datetime as dt
import json

import pytest

from call import clock
from call.models import CallPlan
from contact.models import Contact
from tests.restaurants.factories import CallPlanFactory, ContactFactory, RestaurantFactory
from track.models import Interaction

pytestmark = pytest.mark.django_db

SEED_TODAY = dt.datetime(2024, 12, 28, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: SEED_TODAY)
    return SEED_TODAY


# --- Contact management ------------------------------------------------------------


def test_contact_endpoints_as_in_the_seed(api, restaurant):
    payload = {
        "restaurant": restaurant.pk,
        "name": "John Doe",
        "role": "Manager",
        "email": "john.doe@example.com",
        "phone": "123-456-7890",
        "address": "123 Street, City, Country",
    }
    response = api.post("/contact/contacts/", payload, format="json")
    assert response.status_code == 201
    contact_id = response.json()["id"]
    # The seed's shape; phones come back in E.164 (read in the business's region, the US).
    stored = {**payload, "phone": "+11234567890"}
    assert response.json() == {"id": contact_id, **stored}

    response = api.get("/contact/contacts/")
    assert response.status_code == 200
    assert response.json() == [{"id": contact_id, **stored}]

    response = api.get(f"/contact/contacts/{contact_id}/")
    assert response.json() == {"id": contact_id, **stored}

    update = {
        "restaurant": restaurant.pk,
        "name": "John Smith",
        "role": "Head Manager",
        "email": "john.smith@example.com",
        "phone": "987-654-3210",
        "address": "456 Avenue, City, Country",
    }
    response = api.put(f"/contact/contacts/{contact_id}/", update, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": contact_id, **update, "phone": "+19876543210"}

    response = api.delete(f"/contact/contacts/{contact_id}/")
    assert response.status_code == 204
    assert not Contact.objects.exists()


# --- Interaction tracking ------------------------------------------------------------


def test_interaction_endpoints_as_in_the_seed(api, restaurant):
    contact3 = ContactFactory(restaurant=restaurant)
    contact4 = ContactFactory(restaurant=restaurant)
    payload = {
        "lead": restaurant.pk,
        "contact": contact3.pk,
        "interaction_type": "CALL",
        "details": "Followed up on last week's discussion.",
        "order_placed": False,
        "date": "2024-12-24T15:30:00Z",
    }
    response = api.post("/track/interactions/", payload, format="json")
    assert response.status_code == 201
    first = response.json()["id"]
    assert response.json() == {"id": first, **payload}

    second_payload = {
        "lead": restaurant.pk,
        "contact": contact4.pk,
        "interaction_type": "EMAIL",
        "details": "Sent product catalog.",
        "order_placed": False,
        "date": "2024-12-25T10:00:00Z",
    }
    second = api.post("/track/interactions/", second_payload, format="json").json()["id"]

    response = api.get(f"/track/interactions/?lead={restaurant.pk}")
    assert response.json() == [{"id": first, **payload}, {"id": second, **second_payload}]

    response = api.get(f"/track/interactions/{first}/")
    assert response.json() == {"id": first, **payload}

    response = api.patch(
        f"/track/interactions/{first}/", {"details": "Confirmed product interest."}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"id": first, **payload, "details": "Confirmed product interest."}

    response = api.delete(f"/track/interactions/{first}/")
    assert response.status_code == 200
    assert response.json() == {"message": "Interaction deleted successfully."}
    assert not Interaction.objects.filter(pk=first).exists()


def test_order_endpoints_as_in_the_seed(api, restaurant):
    contact5 = ContactFactory(restaurant=restaurant)
    api.post(
        "/track/interactions/",
        {"lead": restaurant.pk, "interaction_type": "EMAIL", "date": "2024-12-24T09:00:00Z"},
        format="json",
    )
    payload = {
        "lead": restaurant.pk,
        "contact": contact5.pk,
        "interaction_type": "ORDER",
        "details": "Placed an order for 50 units of product A.",
        "order_placed": True,
        "date": "2024-12-25T12:00:00Z",
    }
    order = {
        "product_details": "50 units of Product A",
        "quantity": 50,
        "total_price": 500.00,
        "order_date": "2024-12-25T12:00:00Z",
    }
    response = api.post("/track/interactions/", {**payload, "order": order}, format="json")
    assert response.status_code == 201
    interaction_id = response.json()["id"]
    assert response.json() == {"id": interaction_id, **payload}

    response = api.get(f"/track/interactions/orders/?lead={restaurant.pk}")
    assert response.json() == [{"id": interaction_id, **payload}]

    response = api.get(f"/track/interactions/{interaction_id}/order_details/")
    assert response.status_code == 200
    assert response.json() == order
    # A JSON number, not a string.
    assert '"total_price":500.0' in response.content.decode().replace(" ", "")


# --- Call planning -------------------------------------------------------------------


def test_call_plan_endpoints_as_in_the_seed(api, restaurant, business, frozen_clock):
    payload = {"lead": restaurant.pk, "frequency": "DAILY", "notes": "Initial call plan."}
    response = api.post("/call/", payload, format="json")
    assert response.status_code == 201
    plan_id = response.json()["id"]
    created = {
        "id": plan_id,
        "lead": restaurant.pk,
        "frequency": "DAILY",
        "last_called": None,
        "next_call_date": "2024-12-29T00:00:00Z",
        "notes": "Initial call plan.",
    }
    assert response.json() == created

    lead2 = RestaurantFactory(business=business, timezone="UTC")
    other = CallPlanFactory(
        restaurant=lead2,
        frequency="WEEKLY",
        last_called=dt.datetime(2024, 12, 25, 15, tzinfo=dt.UTC),
        next_call_date=dt.datetime(2024, 12, 31, 15, tzinfo=dt.UTC),
        notes="Follow-up call plan.",
    )
    response = api.get("/call/")
    assert response.json() == [
        created,
        {
            "id": other.pk,
            "lead": lead2.pk,
            "frequency": "WEEKLY",
            "last_called": "2024-12-25T15:00:00Z",
            "next_call_date": "2024-12-31T15:00:00Z",
            "notes": "Follow-up call plan.",
        },
    ]

    response = api.get(f"/call/{plan_id}/")
    assert response.json() == created

    response = api.patch(
        f"/call/{plan_id}/", {"frequency": "WEEKLY", "notes": "Updated call plan."}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {**created, "frequency": "WEEKLY", "notes": "Updated call plan."}

    response = api.delete(f"/call/{plan_id}/")
    assert response.status_code == 200
    assert response.json() == {"detail": "Successfully deleted the call plan."}
    assert not CallPlan.objects.filter(pk=plan_id).exists()


def test_calls_due_today_as_in_the_seed(api, restaurant, frozen_clock):
    plan = CallPlanFactory(
        restaurant=restaurant,
        frequency="DAILY",
        next_call_date=dt.datetime(2024, 12, 28, tzinfo=dt.UTC),
        notes="Initial call plan.",
    )
    response = api.get("/call/today/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": plan.pk,
            "lead": restaurant.pk,
            "frequency": "DAILY",
            "last_called": None,
            "next_call_date": "2024-12-28T00:00:00Z",
            "notes": "Initial call plan.",
        }
    ]


def test_record_call_as_in_the_seed(api, restaurant):
    plan = CallPlanFactory(restaurant=restaurant, frequency="DAILY", notes="Initial call plan.")
    response = api.post(
        f"/call/{plan.pk}/record_call/", {"last_called": "2024-12-28T10:00:00Z"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": plan.pk,
        "lead": restaurant.pk,
        "frequency": "DAILY",
        "last_called": "2024-12-28T10:00:00Z",
        "next_call_date": "2024-12-29T10:00:00Z",
        "notes": "Initial call plan.",
    }


def test_set_frequency_as_in_the_seed(api, restaurant):
    plan = CallPlanFactory(
        restaurant=restaurant,
        frequency="DAILY",
        last_called=dt.datetime(2024, 12, 28, 10, tzinfo=dt.UTC),
        next_call_date=dt.datetime(2024, 12, 29, 10, tzinfo=dt.UTC),
        notes="Updated call plan.",
    )
    response = api.patch(f"/call/{plan.pk}/set_frequency/", {"frequency": "WEEKLY"}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "id": plan.pk,
        "lead": restaurant.pk,
        "frequency": "WEEKLY",
        "last_called": "2024-12-28T10:00:00Z",
        "next_call_date": "2025-01-04T10:00:00Z",
        "notes": "Updated call plan.",
    }


def test_seed_examples_hold_in_a_chicago_business_too(api, business):
    """The business's own zone (America/Chicago) gives the same UTC answers."""
    lead = RestaurantFactory(business=business)
    assert lead.timezone == "America/Chicago"
    plan = CallPlanFactory(restaurant=lead, frequency="DAILY")
    response = api.post(
        f"/call/{plan.pk}/record_call/", {"last_called": "2024-12-28T10:00:00Z"}, format="json"
    )
    assert response.json()["next_call_date"] == "2024-12-29T10:00:00Z"
    response = api.patch(f"/call/{plan.pk}/set_frequency/", {"frequency": "WEEKLY"}, format="json")
    assert response.json()["next_call_date"] == "2025-01-04T10:00:00Z"
    assert json.loads(response.content)["last_called"] == "2024-12-28T10:00:00Z"
