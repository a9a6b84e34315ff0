"""Restaurant leads: CRUD, status pipeline and history, filters, paging."""

import pytest

from restaurants.models import Restaurant, RestaurantStatusChange
from tests.restaurants.factories import RestaurantFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "name",
    "address",
    "city",
    "state",
    "country",
    "phone",
    "email",
    "website",
    "cuisine",
    "status",
    "assigned_to",
    "timezone",
    "notes",
    "created_at",
    "updated_at",
}


def test_create_defaults_to_caller_and_business_timezone(api, owner, business):
    response = api.post(
        "/lead/restaurants/",
        {"name": "Taco Haus", "city": "Austin", "cuisine": "Tex-Mex"},
        format="json",
    )
    assert response.status_code == 201
    data = response.json()
    assert set(data) == FIELDS
    assert data["status"] == "NEW"
    assert data["assigned_to"] == owner.pk
    assert data["timezone"] == "America/Chicago"
    assert data["created_at"].endswith("Z")
    restaurant = Restaurant.objects.get(pk=data["id"])
    assert restaurant.business == business


def test_create_with_everything(api, member):
    payload = {
        "name": "Sushi Ko",
        "address": "1 Ginza",
        "city": "Tokyo",
        "state": "Tokyo",
        "country": "Japan",
        "phone": "+81 3 1234 5678",
        "email": "hello@sushiko.example.com",
        "website": "https://sushiko.example.com",
        "cuisine": "Japanese",
        "status": "QUALIFIED",
        "assigned_to": member.pk,
        "timezone": "Asia/Tokyo",
        "notes": "Omakase only.",
    }
    response = api.post("/lead/restaurants/", payload, format="json")
    assert response.status_code == 201
    data = response.json()
    # Phones are stored and returned in E.164.
    for key, value in {**payload, "phone": "+81312345678"}.items():
        assert data[key] == value


def test_retrieve_update_delete(api, restaurant):
    url = f"/lead/restaurants/{restaurant.pk}/"
    assert api.get(url).json()["name"] == restaurant.name
    response = api.patch(url, {"cuisine": "French"}, format="json")
    assert response.status_code == 200
    assert response.json()["cuisine"] == "French"
    full = {**api.get(url).json(), "name": "Renamed"}
    response = api.put(url, full, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    assert api.delete(url).status_code == 204
    assert not Restaurant.objects.filter(pk=restaurant.pk).exists()


def test_change_status_and_history_newest_first(api, owner, restaurant):
    url = f"/lead/restaurants/{restaurant.pk}/"
    response = api.post(url + "change_status/", {"status": "CONTACTED", "note": "Called"})
    assert response.status_code == 200
    assert response.json()["status"] == "CONTACTED"
    # A change through PATCH is recorded the same way.
    api.patch(url, {"status": "QUALIFIED"}, format="json")
    # Other edits are not status changes.
    api.patch(url, {"notes": "nothing"}, format="json")

    response = api.get(url + "status_history/")
    assert response.status_code == 200
    history = response.json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("CONTACTED", "QUALIFIED"),
        ("NEW", "CONTACTED"),
    ]
    assert set(history[0]) == {"id", "from_status", "to_status", "changed_by", "changed_at", "note"}
    assert history[1]["note"] == "Called"
    assert history[1]["changed_by"] == owner.pk
    assert history[1]["changed_at"].endswith("Z")
    assert response["X-Total-Count"] == "2"


def test_unknown_status_lists_the_allowed_values(api, restaurant):
    url = f"/lead/restaurants/{restaurant.pk}/"
    response = api.post(url + "change_status/", {"status": "WON"}, format="json")
    assert response.status_code == 400
    message = response.json()["status"][0]
    for value in ["NEW", "CONTACTED", "QUALIFIED", "NEGOTIATION", "CONVERTED", "LOST"]:
        assert value in message
    response = api.patch(url, {"status": "WON"}, format="json")
    assert response.status_code == 400
    assert "NEGOTIATION" in response.json()["status"][0]
    restaurant.refresh_from_db()
    assert restaurant.status == "NEW"
    assert not RestaurantStatusChange.objects.exists()


def test_change_status_to_the_same_status_is_refused(api, restaurant):
    response = api.post(
        f"/lead/restaurants/{restaurant.pk}/change_status/", {"status": "NEW"}, format="json"
    )
    assert response.status_code == 400
    assert "already" in response.json()["status"][0]
    assert not RestaurantStatusChange.objects.exists()


def test_change_status_requires_a_status(api, restaurant):
    response = api.post(f"/lead/restaurants/{restaurant.pk}/change_status/", {}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": ["a list"]}, "name"),
        ({"name": "A", "email": "not-an-email"}, "email"),
        ({"name": "A", "website": "not a url"}, "website"),
        ({"name": "A", "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "A", "status": "MAYBE"}, "status"),
        ({"name": "A", "assigned_to": "abc"}, "assigned_to"),
        ({"name": "A", "assigned_to": 999999}, "assigned_to"),
        ({"name": "A", "phone": "1" * 33}, "phone"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_written(api, payload, field):
    response = api.post("/lead/restaurants/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert isinstance(response.json()[field], list)
    assert not Restaurant.objects.exists()


def test_malformed_json_is_400(api):
    response = api.post("/lead/restaurants/", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_assigning_a_user_of_another_business_is_400(api, outsider, other_business):
    response = api.post(
        "/lead/restaurants/", {"name": "A", "assigned_to": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert "assigned_to" in response.json()
    assert not Restaurant.objects.exists()


@pytest.mark.parametrize(
    "method, suffix",
    [
        ("get", ""),
        ("put", ""),
        ("patch", ""),
        ("delete", ""),
        ("post", "change_status/"),
        ("get", "status_history/"),
    ],
)
def test_outsider_gets_404_and_nothing_changes(outsider_api, restaurant, method, suffix):
    url = f"/lead/restaurants/{restaurant.pk}/{suffix}"
    response = getattr(outsider_api, method)(
        url, {"name": "Stolen", "status": "LOST"}, format="json"
    )
    assert response.status_code == 404
    assert "detail" in response.json()
    restaurant.refresh_from_db()
    assert restaurant.name != "Stolen"
    assert restaurant.status == "NEW"


def test_lists_show_only_the_callers_business(api, restaurant, foreign_restaurant):
    assert [r["id"] for r in api.get("/lead/restaurants/").json()] == [restaurant.pk]


def test_unknown_id_is_404_and_wrong_method_405(api, restaurant):
    assert api.get("/lead/restaurants/999999/").status_code == 404
    assert api.get("/lead/restaurants/abc/").status_code == 404
    response = api.delete("/lead/restaurants/")
    assert response.status_code == 405
    assert "detail" in response.json()
    assert api.get(f"/lead/restaurants/{restaurant.pk}/change_status/").status_code == 405


def test_filters(api, business, owner, member):
    a = RestaurantFactory(business=business, name="Alpha Grill", city="Austin", status="NEW")
    b = RestaurantFactory(
        business=business, name="Beta Bistro", city="Dallas", status="LOST", assigned_to=owner
    )
    c = RestaurantFactory(
        business=business,
        name="Gamma Pho",
        city="Austin",
        phone="512-555-7777",
        status="QUALIFIED",
        assigned_to=member,
    )

    def ids(query):
        response = api.get("/lead/restaurants/" + query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()]

    assert ids("") == [a.pk, b.pk, c.pk]
    assert ids("?status=LOST") == [b.pk]
    assert ids("?city=austin") == [a.pk, c.pk]
    assert ids("?assigned_to=me") == [b.pk]
    assert ids(f"?assigned_to={member.pk}") == [c.pk]
    assert ids("?search=bistro") == [b.pk]
    assert ids("?search=dallas") == [b.pk]
    assert ids("?search=7777") == [c.pk]
    assert ids("?search=austin&status=NEW") == [a.pk]
    assert api.get("/lead/restaurants/?status=WON").status_code == 400
    assert api.get("/lead/restaurants/?assigned_to=someone").status_code == 400


def test_pagination_headers(api, business):
    rows = RestaurantFactory.create_batch(5, business=business)
    response = api.get("/lead/restaurants/?limit=2")
    assert [r["id"] for r in response.json()] == [rows[0].pk, rows[1].pk]
    assert response["X-Total-Count"] == "5"
    assert 'rel="next"' in response["Link"]
    assert "offset=2" in response["Link"]
    assert 'rel="prev"' not in response["Link"]

    response = api.get("/lead/restaurants/?limit=2&offset=2")
    assert [r["id"] for r in response.json()] == [rows[2].pk, rows[3].pk]
    assert 'rel="next"' in response["Link"] and 'rel="prev"' in response["Link"]

    response = api.get("/lead/restaurants/?limit=2&offset=4")
    assert [r["id"] for r in response.json()] == [rows[4].pk]
    assert 'rel="next"' not in response["Link"]

    response = api.get("/lead/restaurants/?offset=50")
    assert response.json() == []
    assert response["X-Total-Count"] == "5"

    # At most 1000 rows per page: larger limits are capped.
    response = api.get("/lead/restaurants/?limit=5000")
    assert response.status_code == 200
    assert len(response.json()) == 5
    assert "Link" not in response

    for bad in ["limit=0", "limit=-1", "limit=abc", "offset=-1", "offset=x"]:
        response = api.get("/lead/restaurants/?" + bad)
        assert response.status_code == 400, bad
        assert bad.split("=")[0] in response.json()


def test_default_page_is_100(api, business):
    RestaurantFactory.create_batch(101, business=business)
    response = api.get("/lead/restaurants/")
    assert len(response.json()) == 100
    assert response["X-Total-Count"] == "101"


@pytest.mark.parametrize("rows", [3, 40])
def test_list_query_count_is_constant(api, business, rows, django_assert_max_num_queries):
    RestaurantFactory.create_batch(rows, business=business)
    # user (token) + membership + count + page
    with django_assert_max_num_queries(4):
        response = api.get("/lead/restaurants/")
    assert len(response.json()) == rows


@pytest.mark.parametrize("rows", [3, 40])
def test_history_query_count_is_constant(
    api, restaurant, owner, rows, django_assert_max_num_queries
):
    from restaurants import services

    for i in range(rows):
        status = "CONTACTED" if i % 2 == 0 else "NEW"
        services.restaurant_change_status(restaurant=restaurant, user=owner, status=status)
    # user + membership + restaurant + count + page
    with django_assert_max_num_queries(5):
        response = api.get(f"/lead/restaurants/{restaurant.pk}/status_history/")
    assert len(response.json()) == rows


def test_get_never_changes_state(api, restaurant):
    before = Restaurant.objects.values().get(pk=restaurant.pk)
    api.get(f"/lead/restaurants/{restaurant.pk}/")
    api.get(f"/lead/restaurants/{restaurant.pk}/status_history/")
    assert Restaurant.objects.values().get(pk=restaurant.pk) == before
    assert not RestaurantStatusChange.objects.exists()
