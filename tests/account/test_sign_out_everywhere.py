"""A password change and "sign out everywhere" end every other browser
session and every API token issued before them; a user who must still
replace a one-time password gets no API access at all."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from account import services
from account.models import ApiKey
from api.authentication import issue_tokens
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-Long-passphrase-7"
API_URL = "/lead/restaurants/"


def sign_in(username="owner", password=PASSWORD):
    """A browser signed in through the real sign-in page."""
    client = Client()
    response = client.post(reverse("account:login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return client


def obtain(username="owner", password=PASSWORD):
    return APIClient().post(
        "/api/token/", {"username": username, "password": password}, format="json"
    )


def tokens(username="owner", password=PASSWORD):
    response = obtain(username, password)
    assert response.status_code == 200, response.content
    return response.json()


def api_get(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get(API_URL)


def refresh(refresh_token):
    return APIClient().post("/api/token/refresh/", {"refresh": refresh_token}, format="json")


def change_password(client, old=PASSWORD, new=NEW_PASSWORD):
    return client.post(
        reverse("account:change_password"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def signed_in(client):
    return client.get(reverse("account:profile")).status_code == 200


# --- Password change ----------------------------------------------------------------


def test_password_change_ends_tokens_and_other_sessions(business, owner):
    first = tokens()
    rotated = refresh(first["refresh"]).json()  # a rotated token is ended too
    second = tokens()
    here, elsewhere = sign_in(), sign_in()
    assert api_get(second["access"]).status_code == 200

    response = change_password(here)
    assert response.status_code == 302
    assert response["Location"] == reverse("account:profile")

    for pair in (first, rotated, second):
        response = refresh(pair["refresh"])
        assert response.status_code == 401
        assert "access" not in response.json()
        response = api_get(pair["access"])
        assert response.status_code == 401
        assert response.json()["code"] == "token_revoked"
    assert signed_in(here)
    assert not signed_in(elsewhere)

    # Signing in again with the new password works, on both.
    assert obtain(password=PASSWORD).status_code == 401
    fresh = tokens(password=NEW_PASSWORD)
    assert api_get(fresh["access"]).status_code == 200
    assert refresh(fresh["refresh"]).status_code == 200
    assert signed_in(sign_in(password=NEW_PASSWORD))


def test_failed_password_change_ends_nothing(business, owner):
    pair = tokens()
    here = sign_in()
    response = change_password(here, old="not-my-password")
    assert response.status_code == 400
    assert api_get(pair["access"]).status_code == 200
    assert refresh(pair["refresh"]).status_code == 200


def test_every_outstanding_refresh_token_is_blacklisted(business, owner):
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    tokens()
    tokens()
    change_password(sign_in())
    outstanding = OutstandingToken.objects.filter(user=owner)
    assert outstanding.count() == 2
    assert all(hasattr(token, "blacklistedtoken") for token in outstanding)


def test_forced_first_sign_in_change_ends_earlier_tokens(business, member):
    member.must_change_password = True
    member.save(update_fields=["must_change_password"])
    earlier = issue_tokens(member)  # issued before the one-time password was set
    browser = sign_in("member")
    assert browser.get("/").url == reverse("account:change_password")

    response = change_password(browser)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert refresh(str(earlier)).status_code == 401
    assert api_get(str(earlier.access_token)).status_code == 401
    pair = tokens("member", NEW_PASSWORD)
    assert api_get(pair["access"]).status_code == 200


class QuickPBKDF2(PBKDF2PasswordHasher):
    iterations = 2


def test_a_password_hash_upgrade_at_sign_in_is_not_a_change(business, owner, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.QuickPBKDF2"]
    owner.password = PBKDF2PasswordHasher().encode(PASSWORD, "somesalt", iterations=1)
    owner.save(update_fields=["password"])
    pair = tokens()
    owner.refresh_from_db()
    assert owner.password.startswith("pbkdf2_sha256$2$")  # upgraded during sign-in
    assert owner.token_version == 0
    assert api_get(pair["access"]).status_code == 200
    assert refresh(pair["refresh"]).status_code == 200


def test_password_set_elsewhere_also_ends_tokens(business, owner):
    """The rule lives on the model: the admin and `changepassword` set
    passwords through set_password() and save() too."""
    pair = tokens()
    owner.set_password(NEW_PASSWORD)
    owner.save()
    assert api_get(pair["access"]).status_code == 401
    assert refresh(pair["refresh"]).status_code == 401


# --- Sign out everywhere -----------------------------------------------------------------


def test_profile_offers_sign_out_everywhere_and_get_only_confirms(business, owner):
    here = sign_in()
    page = here.get(reverse("account:profile")).content.decode()
    assert reverse("account:sign_out_everywhere") in page
    assert "API keys keep working unless" in page
    pair = tokens()
    response = here.get(reverse("account:sign_out_everywhere"))
    assert response.status_code == 200
    assert b"This browser stays signed in" in response.content
    assert api_get(pair["access"]).status_code == 200
    owner.refresh_from_db()
    assert owner.token_version == 0


def test_sign_out_everywhere_ends_tokens_and_other_sessions(business, owner):
    _, raw_key = services.api_key_create(user=owner, name="Reporting")
    pair = tokens()
    here, elsewhere = sign_in(), sign_in()

    response = here.post(reverse("account:sign_out_everywhere"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account:profile")

    assert refresh(pair["refresh"]).status_code == 401
    assert api_get(pair["access"]).status_code == 401
    assert signed_in(here)
    assert not signed_in(elsewhere)
    # The session API of this browser still works; another one does not.
    assert here.get(API_URL, HTTP_ACCEPT="application/json").status_code == 200
    # API keys are separate credentials and were kept.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    assert api.get(API_URL).status_code == 200
    # Signing in again works.
    fresh = tokens()
    assert api_get(fresh["access"]).status_code == 200
    assert refresh(fresh["refresh"]).status_code == 200
    assert signed_in(sign_in())


def test_sign_out_everywhere_can_revoke_api_keys(business, owner):
    _, raw_key = services.api_key_create(user=owner, name="Reporting")
    here = sign_in()
    response = here.post(reverse("account:sign_out_everywhere"), {"revoke_api_keys": "on"})
    assert response.status_code == 302
    assert not ApiKey.objects.filter(user=owner, revoked_at__isnull=True).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    assert api.get(API_URL).status_code == 401
    assert signed_in(here)


def test_sign_out_everywhere_needs_a_signed_in_user(db):
    response = Client().post(reverse("account:sign_out_everywhere"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))


# --- One-time passwords ------------------------------------------------------------------


@pytest.fixture
def new_member(business):
    user, password = services.member_create(
        business=business, username="newbie", email="newbie@example.com"
    )
    return user, password


def test_one_time_password_gets_no_api_token(new_member):
    user, password = new_member
    response = obtain("newbie", password)
    assert response.status_code == 403
    body = response.json()
    assert "one-time password" in body["detail"]
    assert "access" not in body and "refresh" not in body


def test_one_time_password_user_has_no_api_access(new_member):
    user, password = new_member
    _, raw_key = services.api_key_create(user=user, name="Early key")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    response = api.get(API_URL)
    assert response.status_code == 403
    assert "one-time password" in response.json()["detail"]

    jwt = APIClient()
    jwt.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(user).access_token}")
    assert jwt.get(API_URL).status_code == 403

    browser = sign_in("newbie", password)
    response = browser.get(API_URL, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert "one-time password" in response.json()["detail"]
    # Pages still send the user to choose a password.
    assert browser.get("/").url == reverse("account:change_password")

    # Once the password is changed, everything works.
    assert change_password(browser, old=password).status_code == 302
    assert api.get(API_URL).status_code == 200
    assert browser.get(API_URL, HTTP_ACCEPT="application/json").status_code == 200
    pair = tokens("newbie", NEW_PASSWORD)
    assert api_get(pair["access"]).status_code == 200


def test_one_time_password_user_cannot_refresh(new_member):
    user, _ = new_member
    response = refresh(str(issue_tokens(user)))
    assert response.status_code == 403
    assert "one-time password" in response.json()["detail"]
