"""Tokens, the three ways to authenticate, anonymous 401 and the shared
login lockout."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from account import services as account_services
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIST_URLS = ["/lead/restaurants/", "/contact/contacts/", "/track/interactions/", "/call/"]


def obtain(client, username="owner", password=PASSWORD):
    return client.post("/api/token/", {"username": username, "password": password}, format="json")


def test_token_obtain_use_and_refresh_with_rotation(business, restaurant):
    client = APIClient()
    response = obtain(client)
    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    response = client.get("/lead/restaurants/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [restaurant.pk]

    anonymous = APIClient()
    response = anonymous.post("/api/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 200
    refreshed = response.json()
    assert set(refreshed) == {"access", "refresh"}
    assert refreshed["refresh"] != tokens["refresh"]

    # The old refresh token was blacklisted on rotation.
    response = anonymous.post("/api/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 401
    assert "detail" in response.json()

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed['access']}")
    assert client.get("/lead/restaurants/").status_code == 200


def test_access_token_lives_fifteen_minutes(business, owner):
    token = AccessToken.for_user(owner)
    assert token["exp"] - token["iat"] == 15 * 60
    token.set_exp(lifetime=-dt.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/lead/restaurants/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_refresh_token_lives_seven_days(business, owner, settings):
    from rest_framework_simplejwt.tokens import RefreshToken

    refresh = RefreshToken.for_user(owner)
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600


def test_wrong_password_is_401_json(business):
    response = obtain(APIClient(), password="wrong")
    assert response.status_code == 401
    assert response.json() == {"detail": "No active account found with the given credentials."}
    assert "access" not in response.json()


def test_missing_credentials_are_field_errors(db):
    response = APIClient().post("/api/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_failed_token_requests_lock_the_html_login(business, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert obtain(client, password="wrong").status_code == 401
    # The failure that reaches the limit is answered with the lockout itself.
    assert obtain(client, password="wrong").status_code == 429
    # Even the right password is now refused, on the API…
    response = obtain(client)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    # …and on the HTML sign-in page.
    html = Client()
    response = html.post(reverse("account:login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in html.session


def test_failed_html_logins_lock_the_token_endpoint(business, settings):
    html = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        html.post(reverse("account:login"), {"username": "owner", "password": "wrong"})
    response = obtain(APIClient())
    assert response.status_code == 429
    assert "access" not in response.json()


@pytest.mark.parametrize("url", LIST_URLS + ["/call/today/", "/track/interactions/orders/"])
def test_anonymous_is_401_json(db, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_garbage_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = client.get("/call/")
    assert response.status_code == 401


def test_user_without_business_is_403(db):
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    response = client.get("/call/")
    assert response.status_code == 403
    assert "Register a business" in response.json()["detail"]


def test_api_key_authentication(business, owner, restaurant):
    _, raw = account_services.api_key_create(user=owner, name="Zapier")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    response = client.get("/lead/restaurants/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [restaurant.pk]

    client.credentials(HTTP_AUTHORIZATION="Api-Key fb_nope_nope")
    assert client.get("/lead/restaurants/").status_code == 401


def test_revoked_api_key_is_refused(business, owner):
    api_key, raw = account_services.api_key_create(user=owner, name="Old")
    account_services.api_key_revoke(api_key=api_key)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get("/call/").status_code == 401


def test_session_authentication_requires_csrf(business, owner, restaurant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner, backend="account.backends.UsernameOrEmailBackend")
    response = client.get("/lead/restaurants/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [restaurant.pk]

    payload = {"name": "Chez Session"}
    response = client.post("/lead/restaurants/", payload, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]

    client.get(reverse("account:profile"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/lead/restaurants/", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201
    # Datetimes stay UTC even though the session activates the business's zone.
    assert response.json()["created_at"].endswith("Z")


def test_browsable_api_renders_for_a_signed_in_user(owner_client):
    response = owner_client.get("/lead/restaurants/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Restaurant" in response.content


@pytest.mark.parametrize("url", LIST_URLS + ["/call/today/", "/track/interactions/orders/"])
def test_browsable_api_renders_every_list(owner_client, url):
    response = owner_client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"<html" in response.content


def test_teammate_uses_the_same_business(member_api, restaurant):
    response = member_api.get("/lead/restaurants/")
    assert [row["id"] for row in response.json()] == [restaurant.pk]
    response = member_api.patch(
        f"/lead/restaurants/{restaurant.pk}/", {"notes": "Seen by the team"}, format="json"
    )
    assert response.status_code == 200
