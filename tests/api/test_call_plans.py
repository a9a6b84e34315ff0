"""Call plans: creation defaults, record_call, set_frequency, calls due today."""

import datetime as dt

import pytest

from call import clock
from call.models import CallPlan
from tests.restaurants.factories import CallPlanFactory, RestaurantFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def freeze(monkeypatch, moment):
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_create_uses_the_start_of_the_next_period_in_the_restaurant_zone(
    api, business, monkeypatch
):
    # 28 Dec 20:00 UTC is already 29 Dec in Tokyo.
    freeze(monkeypatch, dt.datetime(2024, 12, 28, 20, tzinfo=UTC))
    tokyo = RestaurantFactory(business=business, timezone="Asia/Tokyo")
    response = api.post("/call/", {"lead": tokyo.pk, "frequency": "WEEKLY"}, format="json")
    assert response.status_code == 201
    # Start of 5 Jan in Tokyo = 4 Jan 15:00 UTC.
    assert response.json()["next_call_date"] == "2025-01-04T15:00:00Z"
    assert response.json()["notes"] == ""


def test_create_monthly_from_31_january(api, restaurant, monkeypatch):
    freeze(monkeypatch, dt.datetime(2025, 1, 31, 12, tzinfo=UTC))
    response = api.post("/call/", {"lead": restaurant.pk, "frequency": "MONTHLY"}, format="json")
    assert response.json()["next_call_date"] == "2025-02-28T00:00:00Z"


def test_create_with_explicit_next_call_date(api, restaurant):
    response = api.post(
        "/call/",
        {"lead": restaurant.pk, "frequency": "DAILY", "next_call_date": "2025-03-01T09:00:00Z"},
        format="json",
    )
    assert response.json()["next_call_date"] == "2025-03-01T09:00:00Z"


def test_one_plan_per_restaurant(api, restaurant):
    CallPlanFactory(restaurant=restaurant)
    response = api.post("/call/", {"lead": restaurant.pk, "frequency": "DAILY"}, format="json")
    assert response.status_code == 400
    assert "lead" in response.json()
    assert CallPlan.objects.count() == 1


def test_record_call_defaults_to_now(api, restaurant, monkeypatch):
    freeze(monkeypatch, dt.datetime(2025, 1, 31, 8, 30, tzinfo=UTC))
    plan = CallPlanFactory(restaurant=restaurant, frequency="MONTHLY")
    response = api.post(f"/call/{plan.pk}/record_call/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["last_called"] == "2025-01-31T08:30:00Z"
    assert response.json()["next_call_date"] == "2025-02-28T08:30:00Z"


def test_set_frequency_without_a_call_counts_from_now(api, restaurant, monkeypatch):
    freeze(monkeypatch, dt.datetime(2024, 2, 29, 14, tzinfo=UTC))
    plan = CallPlanFactory(restaurant=restaurant, frequency="DAILY")
    response = api.patch(
        f"/call/{plan.pk}/set_frequency/", {"frequency": "BIWEEKLY"}, format="json"
    )
    assert response.json()["next_call_date"] == "2024-03-14T14:00:00Z"
    assert response.json()["last_called"] is None


@pytest.mark.parametrize("body", [{}, {"frequency": "YEARLY"}, {"frequency": None}])
def test_set_frequency_needs_a_known_frequency(api, restaurant, body):
    plan = CallPlanFactory(restaurant=restaurant, frequency="DAILY")
    response = api.patch(f"/call/{plan.pk}/set_frequency/", body, format="json")
    assert response.status_code == 400
    assert "frequency" in response.json()
    plan.refresh_from_db()
    assert plan.frequency == "DAILY"
    if body.get("frequency") == "YEARLY":
        for value in ["DAILY", "WEEKLY", "BIWEEKLY", "MONTHLY"]:
            assert value in response.json()["frequency"][0]


def test_set_frequency_is_patch_only(api, restaurant):
    plan = CallPlanFactory(restaurant=restaurant)
    response = api.post(f"/call/{plan.pk}/set_frequency/", {"frequency": "DAILY"}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize(
    "body, field",
    [
        ({"last_called": "2024-12-32T10:00:00Z"}, "last_called"),
        ({"last_called": "soon"}, "last_called"),
        ({"last_called": "9999-12-31T23:00:00Z"}, "last_called"),
    ],
)
def test_record_call_bad_dates(api, restaurant, body, field):
    plan = CallPlanFactory(restaurant=restaurant)
    response = api.post(f"/call/{plan.pk}/record_call/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    plan.refresh_from_db()
    assert plan.last_called is None


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"frequency": "DAILY"}, "lead"),
        ({"lead": "x", "frequency": "DAILY"}, "lead"),
        ({"lead": None, "frequency": "DAILY"}, "lead"),
        ({"frequency": "HOURLY"}, "frequency"),
        ({"frequency": "DAILY", "next_call_date": "2024-02-30T00:00:00Z"}, "next_call_date"),
    ],
)
def test_create_bad_input(api, restaurant, payload, field):
    if "lead" not in payload and field != "lead":
        payload = {"lead": restaurant.pk, **payload}
    response = api.post("/call/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not CallPlan.objects.exists()


def test_plan_for_another_business_restaurant_is_400(api, foreign_restaurant):
    response = api.post(
        "/call/", {"lead": foreign_restaurant.pk, "frequency": "DAILY"}, format="json"
    )
    assert response.status_code == 400
    assert "lead" in response.json()
    assert not CallPlan.objects.exists()


@pytest.mark.parametrize(
    "method, suffix, body",
    [
        ("get", "", {}),
        ("put", "", {"frequency": "MONTHLY"}),
        ("patch", "", {"frequency": "MONTHLY"}),
        ("delete", "", {}),
        ("post", "record_call/", {}),
        ("patch", "set_frequency/", {"frequency": "MONTHLY"}),
    ],
)
def test_outsider_gets_404(outsider_api, restaurant, method, suffix, body):
    plan = CallPlanFactory(restaurant=restaurant, frequency="DAILY")
    response = getattr(outsider_api, method)(f"/call/{plan.pk}/{suffix}", body, format="json")
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.frequency == "DAILY"
    assert plan.last_called is None


def test_today_is_today_in_each_restaurants_zone(api, business, monkeypatch):
    # 2025-03-10 16:00 UTC: already 11 March in Tokyo, still 10 March in Los Angeles.
    freeze(monkeypatch, dt.datetime(2025, 3, 10, 16, tzinfo=UTC))
    tokyo = RestaurantFactory(business=business, timezone="Asia/Tokyo")
    la = RestaurantFactory(business=business, timezone="America/Los_Angeles")
    # 11 March 10:00 in Tokyo = 11 March 01:00 UTC; in LA that is 10 March 18:00.
    moment = dt.datetime(2025, 3, 11, 1, tzinfo=UTC)
    tokyo_plan = CallPlanFactory(restaurant=tokyo, next_call_date=moment)
    CallPlanFactory(restaurant=la, next_call_date=moment + dt.timedelta(days=1))
    response = api.get("/call/today/")
    assert [row["id"] for row in response.json()] == [tokyo_plan.pk]

    # The same moment for the LA restaurant: 10 March 18:00 local, today there too.
    la.call_plan.next_call_date = moment
    la.call_plan.save()
    response = api.get("/call/today/")
    assert sorted(row["id"] for row in response.json()) == sorted([tokyo_plan.pk, la.call_plan.pk])


def test_due_tomorrow_in_los_angeles_is_not_today(api, business, monkeypatch):
    freeze(monkeypatch, dt.datetime(2025, 3, 10, 16, tzinfo=UTC))
    la = RestaurantFactory(business=business, timezone="America/Los_Angeles")
    tokyo = RestaurantFactory(business=business, timezone="Asia/Tokyo")
    # 11 March 09:00 UTC: 11 March 18:00 in Tokyo (today there), 11 March 02:00 in LA (tomorrow).
    moment = dt.datetime(2025, 3, 11, 9, tzinfo=UTC)
    CallPlanFactory(restaurant=la, next_call_date=moment)
    tokyo_plan = CallPlanFactory(restaurant=tokyo, next_call_date=moment)
    response = api.get("/call/today/")
    assert [row["id"] for row in response.json()] == [tokyo_plan.pk]


def test_include_overdue(api, business, monkeypatch):
    freeze(monkeypatch, dt.datetime(2025, 3, 10, 16, tzinfo=UTC))
    lead = RestaurantFactory(business=business, timezone="UTC")
    other = RestaurantFactory(business=business, timezone="UTC")
    later = RestaurantFactory(business=business, timezone="UTC")
    today = CallPlanFactory(restaurant=lead, next_call_date=dt.datetime(2025, 3, 10, 9, tzinfo=UTC))
    overdue = CallPlanFactory(
        restaurant=other, next_call_date=dt.datetime(2025, 3, 1, 9, tzinfo=UTC)
    )
    CallPlanFactory(restaurant=later, next_call_date=dt.datetime(2025, 3, 11, 0, tzinfo=UTC))
    assert [r["id"] for r in api.get("/call/today/").json()] == [today.pk]
    response = api.get("/call/today/?include_overdue=true")
    assert [r["id"] for r in response.json()] == [overdue.pk, today.pk]
    assert response["X-Total-Count"] == "2"
    response = api.get("/call/today/?include_overdue=perhaps")
    assert response.status_code == 400
    assert "include_overdue" in response.json()


def test_today_is_scoped_to_the_business(api, foreign_restaurant, monkeypatch):
    freeze(monkeypatch, dt.datetime(2025, 3, 10, 16, tzinfo=UTC))
    CallPlanFactory(
        restaurant=foreign_restaurant, next_call_date=dt.datetime(2025, 3, 10, tzinfo=UTC)
    )
    assert api.get("/call/today/?include_overdue=true").json() == []


def test_list_filter_and_paging(api, business, restaurant):
    plans = [CallPlanFactory(restaurant=RestaurantFactory(business=business)) for _ in range(3)]
    response = api.get("/call/?limit=2")
    assert [p["id"] for p in response.json()] == [plans[0].pk, plans[1].pk]
    assert response["X-Total-Count"] == "3"
    assert 'rel="next"' in response["Link"]
    response = api.get(f"/call/?lead={plans[2].restaurant_id}")
    assert [p["id"] for p in response.json()] == [plans[2].pk]


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_counts_are_constant(
    api, business, rows, monkeypatch, django_assert_max_num_queries
):
    freeze(monkeypatch, dt.datetime(2025, 3, 10, 16, tzinfo=UTC))
    zones = ["UTC", "Asia/Tokyo", "America/Los_Angeles"]
    for i in range(rows):
        lead = RestaurantFactory(business=business, timezone=zones[i % 3])
        CallPlanFactory(restaurant=lead, next_call_date=dt.datetime(2025, 3, 10, 12, tzinfo=UTC))
    # user + membership + count + page
    with django_assert_max_num_queries(4):
        response = api.get("/call/")
    assert len(response.json()) == rows
    # user + membership + time zones in use + count + page
    with django_assert_max_num_queries(5):
        response = api.get("/call/today/?include_overdue=true")
    assert len(response.json()) == rows
