"""Fixtures for the JSON API: clients holding a real access token."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.restaurants.factories import RestaurantFactory


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def api(owner, business):
    """The owner, authenticated with a JWT access token."""
    return token_client(owner)


@pytest.fixture
def member_api(member):
    return token_client(member)


@pytest.fixture
def outsider_api(outsider, other_business):
    return token_client(outsider)


@pytest.fixture
def restaurant(business, owner):
    return RestaurantFactory(business=business, assigned_to=owner, timezone="UTC")


@pytest.fixture
def foreign_restaurant(other_business, outsider):
    return RestaurantFactory(business=other_business, assigned_to=outsider, name="Rival Diner")
