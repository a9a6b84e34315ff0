"""Every list search reads its term in one place (NUL never reaches the
database) and matches phones by one rule: three or more digits, however
they are written, match the digits of the stored E.164 number."""

import pytest
from django.urls import reverse

from leads.models import Lead
from tests.booking.factories import make_booking
from tests.restaurants.factories import RestaurantFactory

pytestmark = pytest.mark.django_db

NUL_TERMS = ["%00", "\x00", "a\x00b", "512\x00555"]


@pytest.mark.parametrize("term", NUL_TERMS)
@pytest.mark.parametrize("url", ["crm:home", "booking:list", "booking:invoice_list", "leads:list"])
def test_nul_in_any_page_search_is_not_an_error(owner_client, business, url, term):
    response = owner_client.get(reverse(url), {"q": term})
    assert response.status_code == 200


def test_nul_in_the_api_search_is_not_an_error(business, owner):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(owner)
    RestaurantFactory(business=business, name="Alpha Grill")
    for term in NUL_TERMS:
        response = client.get("/lead/restaurants/", {"search": term})
        assert response.status_code == 200, term


@pytest.mark.parametrize(
    "term", ["512-555-0143", "(512) 555-0143", "+1 512 555 0143", "5550143", "0143"]
)
def test_the_three_list_searches_match_phones_one_way(owner_client, business, owner, term):
    from rest_framework.test import APIClient

    booking = make_booking(business, customer_phone="+15125550143", customer_first_name="Hit")
    make_booking(business, customer_phone="+15125550999", customer_first_name="Miss")
    lead = Lead.objects.create(business=business, name="Hit", phone="+15125550143")
    Lead.objects.create(business=business, name="Miss", phone="+15125550999")
    restaurant = RestaurantFactory(business=business, name="Hit", phone="+15125550143")
    RestaurantFactory(business=business, name="Miss", phone="+15125550999")

    response = owner_client.get(reverse("booking:list"), {"q": term})
    assert list(response.context["bookings"]) == [booking]
    response = owner_client.get(reverse("leads:list"), {"q": term})
    assert list(response.context["page_obj"]) == [lead]
    response = owner_client.get(reverse("crm:home"), {"q": term})
    assert list(response.context["page_obj"]) == [restaurant]
    api = APIClient()
    api.force_authenticate(owner)
    response = api.get("/lead/restaurants/", {"search": term})
    assert [row["id"] for row in response.json()] == [restaurant.pk]


def test_a_uk_number_typed_with_its_trunk_prefix_is_found(owner_client, business):
    business.phone = "+442079460018"
    business.save()
    lead = Lead.objects.create(business=business, name="Local", phone="+442079460958")
    response = owner_client.get(reverse("leads:list"), {"q": "020 7946 0958"})
    assert list(response.context["page_obj"]) == [lead]


def test_words_with_digits_are_not_phone_searches(owner_client, business):
    make_booking(business, customer_phone="+15125554512", customer_first_name="Phone")
    hit = make_booking(business, customer_first_name="Apt", customer_company="Unit 4512")
    response = owner_client.get(reverse("booking:list"), {"q": "Unit 4512"})
    assert list(response.context["bookings"]) == [hit]
