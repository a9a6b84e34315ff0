import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_login_page_renders(client):
    response = client.get(reverse("account:login"))
    assert response.status_code == 200
    assert b"Username or email" in response.content


@pytest.mark.parametrize("identifier", ["alice", "ALICE@example.com"])
def test_login_with_username_or_email(client, identifier):
    UserFactory(username="alice", email="alice@example.com")
    response = client.post(reverse("account:login"), {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_honours_safe_next_and_ignores_unsafe_next(client):
    UserFactory(username="alice")
    url = reverse("account:login")
    response = client.post(
        url, {"username": "alice", "password": PASSWORD, "next": "/account/profile/"}
    )
    assert response["Location"] == "/account/profile/"
    client.logout()
    response = client.post(
        url, {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_clear_message(client):
    UserFactory(username="alice")
    response = client.post(reverse("account:login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"do not match" in response.content
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_login(client, settings):
    UserFactory(username="alice")
    url = reverse("account:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "alice", "password": "wrong"})
    response = client.post(url, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_register_creates_user_logs_in_and_asks_for_business(client):
    response = client.post(
        reverse("account:register"),
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password1": "a-Long-unique-passphrase-42",
            "password2": "a-Long-unique-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account:register_business")
    user = User.objects.get(username="newbie")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_register_rejects_duplicate_email_case_insensitively_and_weak_password(client):
    UserFactory(username="alice", email="alice@example.com")
    response = client.post(
        reverse("account:register"),
        {
            "username": "alice2",
            "email": "ALICE@Example.com",
            "password1": "password",
            "password2": "password",
        },
    )
    assert response.status_code == 200
    assert b"A user with this email already exists." in response.content
    assert b"This password is too common." in response.content
    assert not User.objects.filter(username="alice2").exists()


def test_logout_get_confirms_and_post_logs_out(owner_client):
    response = owner_client.get(reverse("account:logout"))
    assert response.status_code == 200
    assert b"Log out of Fieldbook?" in response.content
    assert "_auth_user_id" in owner_client.session
    response = owner_client.post(reverse("account:logout"))
    assert response["Location"] == reverse("account:login")
    assert "_auth_user_id" not in owner_client.session


def test_logout_get_when_anonymous_redirects_to_login(client):
    response = client.get(reverse("account:logout"))
    assert response["Location"] == reverse("account:login")


def test_home_sends_anonymous_to_login_and_users_without_business_to_register(client):
    assert client.get("/")["Location"] == reverse("account:login")
    client.force_login(UserFactory())
    assert client.get("/")["Location"] == reverse("account:register_business")


def test_home_shows_checklist_that_ticks_itself(owner_client, business):
    response = owner_client.get("/")
    assert response.status_code == 200
    checklist = {item["label"]: item["done"] for item in response.context["checklist"]}
    assert checklist["Set your prices"] is False
    owner_client.post(
        reverse("account:business_settings_edit"),
        {
            "base_price_standard": "10",
            "base_price_deep": "10",
            "base_price_move_in_out": "10",
            "base_price_airbnb": "10",
            "price_per_bedroom": "20",
            "price_per_bathroom": "15",
            "sqft_rate_standard": "0.05",
            "sqft_rate_deep": "0.1",
            "sqft_rate_move_in_out": "0.12",
            "sqft_rate_airbnb": "0.06",
            "deposit_amount": "0",
            "tax_rate": "8",
            "default_duration_minutes": "180",
            "invoice_due_days": "14",
            "invoice_prefix": "INV-",
        },
    )
    response = owner_client.get("/")
    checklist = {item["label"]: item["done"] for item in response.context["checklist"]}
    assert checklist["Set your prices"] is True


def test_failures_across_usernames_lock_the_address(client, settings):
    UserFactory(username="alice")
    url = reverse("account:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": f"guess{n}", "password": "wrong"})
    response = client.post(url, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_for_one_user_lock_that_user_from_any_address(settings):
    from django.test import Client

    UserFactory(username="alice")
    url = reverse("account:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post(url, {"username": "alice", "password": "x"})
    response = Client(REMOTE_ADDR="10.0.1.1").post(url, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
