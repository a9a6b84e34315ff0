"""Contacts: scoping, bad input, paging and query counts."""

import pytest

from contact.models import Contact
from tests.restaurants.factories import ContactFactory, RestaurantFactory

pytestmark = pytest.mark.django_db


def test_contact_for_another_business_restaurant_is_400(api, foreign_restaurant):
    response = api.post(
        "/contact/contacts/", {"restaurant": foreign_restaurant.pk, "name": "Spy"}, format="json"
    )
    assert response.status_code == 400
    assert "restaurant" in response.json()
    assert not Contact.objects.exists()


def test_moving_a_contact_into_another_business_is_400(api, restaurant, foreign_restaurant):
    contact = ContactFactory(restaurant=restaurant)
    response = api.patch(
        f"/contact/contacts/{contact.pk}/", {"restaurant": foreign_restaurant.pk}, format="json"
    )
    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.restaurant == restaurant


def test_missing_restaurant_is_400(api):
    response = api.post("/contact/contacts/", {"name": "A"}, format="json")
    assert response.status_code == 400
    assert response.json()["restaurant"] == ["This field is required."]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"restaurant": None, "name": "A"}, "restaurant"),
        ({"restaurant": "one", "name": "A"}, "restaurant"),
        ({"restaurant": True, "name": "A"}, "restaurant"),
        ({"restaurant": 999999, "name": "A"}, "restaurant"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "A", "email": "john@"}, "email"),
        ({"name": "A", "role": "r" * 101}, "role"),
    ],
)
def test_bad_input(api, restaurant, payload, field):
    payload = {"restaurant": restaurant.pk, **payload}
    response = api.post("/contact/contacts/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Contact.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_outsider_gets_404(outsider_api, restaurant, method):
    contact = ContactFactory(restaurant=restaurant, name="Kept")
    response = getattr(outsider_api, method)(
        f"/contact/contacts/{contact.pk}/", {"name": "Stolen"}, format="json"
    )
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.name == "Kept"


def test_seed_api_path_is_not_used(api, restaurant):
    contact = ContactFactory(restaurant=restaurant)
    assert api.get(f"/api/contacts/{contact.pk}/").status_code == 404


def test_list_scoped_filtered_and_paged(api, business, restaurant, foreign_restaurant):
    other = RestaurantFactory(business=business)
    mine = ContactFactory.create_batch(3, restaurant=restaurant)
    theirs = ContactFactory(restaurant=other)
    ContactFactory(restaurant=foreign_restaurant)
    response = api.get("/contact/contacts/")
    assert [c["id"] for c in response.json()] == [c.pk for c in [*mine, theirs]]
    assert response["X-Total-Count"] == "4"
    response = api.get(f"/contact/contacts/?restaurant={other.pk}")
    assert [c["id"] for c in response.json()] == [theirs.pk]
    response = api.get("/contact/contacts/?limit=1&offset=1")
    assert [c["id"] for c in response.json()] == [mine[1].pk]
    assert 'rel="prev"' in response["Link"] and 'rel="next"' in response["Link"]
    assert api.get("/contact/contacts/?restaurant=abc").status_code == 400


@pytest.mark.parametrize("rows", [3, 40])
def test_list_query_count_is_constant(api, restaurant, rows, django_assert_max_num_queries):
    ContactFactory.create_batch(rows, restaurant=restaurant)
    # user + membership + count + page
    with django_assert_max_num_queries(4):
        response = api.get("/contact/contacts/")
    assert len(response.json()) == rows
