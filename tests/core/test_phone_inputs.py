"""Every phone input (forms and API) stores E.164, read in the business's
region, and refuses what is not a phone number with one clear message."""

import pytest
from django.urls import reverse

from account.models import Business, BusinessCredentials
from booking.models import Booking
from contact.models import Contact
from restaurants.models import Restaurant
from tests.api.conftest import token_client
from tests.booking.test_booking_views import form_data
from tests.factories import UserFactory
from tests.restaurants.factories import RestaurantFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Enter a valid phone number, such as +1 512 555 0143."


def test_api_contacts_and_restaurants_store_e164_and_refuse_bad_phones(owner, business):
    api = token_client(owner)
    restaurant = RestaurantFactory(business=business)
    response = api.post(
        "/contact/contacts/",
        {"restaurant": restaurant.pk, "name": "Sam", "phone": "(512) 555-0143"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["phone"] == "+15125550143"
    assert isinstance(response.json()["phone"], str)

    response = api.post(
        "/contact/contacts/",
        {"restaurant": restaurant.pk, "name": "Pat", "phone": "call me"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"phone": [MESSAGE]}
    assert Contact.objects.count() == 1

    response = api.post("/lead/restaurants/", {"name": "Taqueria", "phone": "555"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"phone": [MESSAGE]}
    response = api.patch(
        f"/lead/restaurants/{restaurant.pk}/", {"phone": "512.555.0177"}, format="json"
    )
    assert response.json()["phone"] == "+15125550177"
    assert Restaurant.objects.get(pk=restaurant.pk).phone == "+15125550177"
    response = api.patch(f"/lead/restaurants/{restaurant.pk}/", {"phone": ""}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == ""


def test_api_reads_numbers_in_the_callers_business_region(owner, business):
    business.phone = "+442079460018"
    business.save()
    response = token_client(owner).post(
        "/lead/restaurants/", {"name": "The Crown", "phone": "020 7946 0958"}, format="json"
    )
    assert response.json()["phone"] == "+442079460958"


def test_booking_form_stores_e164_and_refuses_bad_phones(owner_client, business):
    response = owner_client.post(
        reverse("booking:create"), form_data(business, customer_phone="not a phone")
    )
    assert response.status_code == 400
    # The booking form names the field before the phone rule's own words.
    assert "The phone number: enter a valid phone number, such as +1 512 555 0143." in (
        response.content.decode()
    )
    assert not Booking.objects.exists()
    response = owner_client.post(
        reverse("booking:create"), form_data(business, customer_phone="(512) 555-0143")
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.customer_phone == "+15125550143"
    # The edit form shows it as people read it.
    page = owner_client.get(reverse("booking:edit", args=[booking.public_id])).content.decode()
    assert 'value="(512) 555-0143"' in page


def test_business_registration_reads_the_phone_in_the_country_of_its_currency(client):
    client.force_login(UserFactory())
    details = {
        "name": "Maple Maids",
        "email": "hi@maple.example.com",
        "phone": "020 7946 0958",
        "address": "",
        "timezone": "Europe/London",
        "currency": "GBP",
    }
    response = client.post(reverse("account:register_business"), details)
    assert response.status_code == 302
    business = Business.objects.get(name="Maple Maids")
    assert business.phone == "+442079460958"
    assert not business.uses_12_hour_clock  # UK default


def test_business_edit_and_credentials_refuse_bad_phones(owner_client, business):
    from tests.account.test_business import BUSINESS

    response = owner_client.post(reverse("account:business_edit"), {**BUSINESS, "phone": "12"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    response = owner_client.post(reverse("account:credentials_edit"), {"voice_agent_phone": "nope"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    response = owner_client.post(
        reverse("account:credentials_edit"), {"voice_agent_phone": "512 555 0199"}
    )
    assert response.status_code == 302
    assert BusinessCredentials.objects.get(business=business).voice_agent_phone == "+15125550199"
