"""Admin pages for the restaurant CRM render with data."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.restaurants.factories import CallPlanFactory, ContactFactory, OrderFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "restaurants/restaurant",
    "restaurants/restaurantstatuschange",
    "contact/contact",
    "track/interaction",
    "track/order",
    "call/callplan",
]


@pytest.mark.parametrize("page", PAGES)
def test_admin_changelist_and_search(business, page):
    order = OrderFactory(interaction__restaurant__business=business)
    ContactFactory(restaurant=order.interaction.restaurant)
    CallPlanFactory(restaurant=order.interaction.restaurant)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin, backend="account.backends.UsernameOrEmailBackend")
    response = client.get(f"/admin/{page}/")
    assert response.status_code == 200
    assert client.get(f"/admin/{page}/", {"q": "Bistro"}).status_code == 200
    assert client.get(f"/admin/{page}/add/").status_code == 200
