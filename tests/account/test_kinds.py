"""What a business does (`account.kinds`): registration asks it, the owner
changes it, and navigation, the dashboard, the checklist and the pages
follow it. A page of a domain the business does not offer answers 404."""

import datetime as dt

import pytest
from django.urls import reverse

from account import kinds
from account.models import Business
from tests.factories import UserFactory
from tests.restaurants.factories import RestaurantFactory

pytestmark = pytest.mark.django_db

HOME_PAGES = [
    "booking:list",
    "booking:calendar",
    "booking:invoice_list",
    "leads:list",
    "account:business_settings_edit",
    "account:addon_list",
    "account:credentials_edit",
    "webhooks:inbox",
    "webhooks:integration_list",
    "booking:my_jobs",
    "customers:list",
    "customers:export",
    "notify:settings",
]
RESTAURANT_PAGES = ["crm:home", "crm:board", "crm:calls_today", "crm:performance"]


def set_kind(business, kind):
    business.kind = kind
    business.save()


def test_rule():
    home, restaurants, both = (Business(kind=k) for k in ("home", "restaurants", "both"))
    assert home.offers_home_services and not home.offers_restaurants
    assert restaurants.offers_restaurants and not restaurants.offers_home_services
    assert both.offers_home_services and both.offers_restaurants
    assert not kinds.offers_home_services(None) and not kinds.offers_restaurants(None)


def test_existing_and_new_businesses_do_both(business):
    assert business.kind == "both"


def test_registration_asks_what_the_business_does(client):
    user = UserFactory(username="newbie")
    client.force_login(user)
    page = client.get(reverse("account:register_business")).content.decode()
    assert "What does the business do?" in page and 'value="restaurants"' in page
    response = client.post(
        reverse("account:register_business"),
        {
            "name": "Taco Sales",
            "kind": "restaurants",
            "email": "sales@example.com",
            "timezone": "America/Chicago",
            "currency": "USD",
        },
    )
    assert response.status_code == 302
    assert Business.objects.get(name="Taco Sales").kind == "restaurants"


def test_unknown_kind_is_a_form_error(client):
    client.force_login(UserFactory(username="newbie"))
    response = client.post(
        reverse("account:register_business"),
        {"name": "X", "kind": "spaceships", "email": "x@example.com", "timezone": "UTC"},
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Business.objects.exists()


def test_owner_changes_it_in_the_business_details(owner_client, business):
    data = {
        "name": business.name,
        "kind": "home",
        "email": business.email,
        "phone": "",
        "address": "",
        "timezone": business.timezone,
        "currency": business.currency,
    }
    response = owner_client.post(reverse("account:business_edit"), data)
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.kind == "home"


@pytest.mark.parametrize("name", RESTAURANT_PAGES)
def test_cleaning_only_business_has_no_restaurant_pages(owner_client, business, name):
    set_kind(business, "home")
    assert owner_client.get(reverse(name)).status_code == 404


def test_cleaning_only_business_has_no_restaurant_row_pages(owner_client, business):
    restaurant = RestaurantFactory(business=business)
    set_kind(business, "home")
    assert owner_client.get(reverse("crm:detail", args=[restaurant.pk])).status_code == 404


@pytest.mark.parametrize("name", HOME_PAGES)
def test_restaurants_only_business_has_no_home_service_pages(owner_client, business, name):
    set_kind(business, "restaurants")
    assert owner_client.get(reverse(name)).status_code == 404


def test_the_api_is_not_gated(owner_client, business):
    set_kind(business, "home")
    assert owner_client.get("/lead/restaurants/").status_code == 200


def test_cleaning_only_navigation_dashboard_and_checklist(owner_client, business):
    set_kind(business, "home")
    response = owner_client.get(reverse("home"))
    html = response.content.decode()
    assert reverse("crm:home") not in html
    assert "Restaurants" not in html
    assert reverse("booking:list") in html and reverse("leads:list") in html
    templates = {panel["template"] for panel in response.context["panels"]}
    assert templates == {"booking/_dashboard.html", "leads/_dashboard.html"}
    labels = [item["label"] for item in response.context["checklist"]]
    assert "Add your first restaurant" not in labels and "Set your prices" in labels


def test_restaurants_only_navigation_dashboard_and_checklist(owner_client, business):
    set_kind(business, "restaurants")
    response = owner_client.get(reverse("home"))
    html = response.content.decode()
    for name in HOME_PAGES:
        assert f'href="{reverse(name)}"' not in html, name
    assert "Retell" not in html and "Thumbtack" not in html
    assert reverse("crm:home") in html
    templates = {panel["template"] for panel in response.context["panels"]}
    assert templates == {"crm/_dashboard.html"}
    labels = [item["label"] for item in response.context["checklist"]]
    assert labels == [
        "Add your first restaurant",
        "Plan regular calls to a restaurant",
        "Log a restaurant's first order",
    ]


def test_both_sees_everything(owner_client, business):
    html = owner_client.get(reverse("home")).content.decode()
    assert reverse("crm:home") in html and reverse("booking:list") in html


# --- the person's time zone --------------------------------------------------------


def test_profile_time_zone(owner_client, owner, business):
    page = owner_client.get(reverse("account:profile")).content.decode()
    assert "Same as the business (America/Chicago)" in page
    data = {
        "first_name": "O",
        "last_name": "W",
        "email": owner.email,
        "phone": "",
        "time_zone": "Europe/Berlin",
    }
    response = owner_client.post(reverse("account:profile_update"), data)
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Berlin"
    response = owner_client.post(
        reverse("account:profile_update"), {**data, "time_zone": "Mars/Olympus"}
    )
    assert response.status_code in (200, 400)
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("", dt.date(2025, 3, 10)),  # the business's: Chicago, 23:30
        ("Europe/Berlin", dt.date(2025, 3, 11)),  # 06:30 the next morning
        ("Pacific/Honolulu", dt.date(2025, 3, 10)),
    ],
)
def test_today_across_time_zones(owner, business, zone, expected):
    from account.zones import user_day_bounds, user_today

    now = dt.datetime(2025, 3, 11, 4, 30, tzinfo=dt.UTC)
    owner.time_zone = zone
    assert user_today(owner, business, now) == expected
    start, end = user_day_bounds(owner, business, now=now)
    assert start <= now < end and end - start == dt.timedelta(days=1)


def test_unknown_stored_zone_falls_back_to_the_business(owner, business):
    from account.zones import user_tzinfo

    owner.time_zone = "Nowhere/Land"
    assert user_tzinfo(owner, business) == business.tzinfo
