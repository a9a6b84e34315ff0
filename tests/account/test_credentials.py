import pytest
from django.urls import reverse

from account import services
from account.models import BusinessCredentials

pytestmark = pytest.mark.django_db


def test_credentials_page_shows_urls_and_retell_fields(owner_client, business):
    response = owner_client.get(reverse("account:credentials_edit"))
    assert response.status_code == 200
    secret = business.credentials.webhook_secret
    assert f"/webhook/{secret}/".encode() in response.content
    assert b"/thumbtack-webhook/" in response.content
    names = {field["name"] for field in response.context["retell_fields"]}
    assert {
        "appointment_booked",
        "service_type",
        "appointment_datetime",
        "oven",
        "windows",
    } <= names


def test_save_credentials_masks_keys_and_takes_no_typed_thumbtack_password(owner_client, business):
    response = owner_client.post(
        reverse("account:credentials_edit"),
        {
            "retell_api_key": "key_abcdef123456",
            "voice_agent_phone": "+15125550100",
            "thumbtack_username": "sparkle",
            "thumbtack_password": "a-very-long-password",
            "thumbtack_business_id": "4680",
        },
    )
    assert response.status_code == 302
    credentials = BusinessCredentials.objects.get(business=business)
    assert credentials.retell_api_key == "key_abcdef123456"
    assert credentials.thumbtack_username == "sparkle"
    # The Thumbtack password is generated, never typed: a posted one is ignored.
    assert credentials.thumbtack_password_hash == ""
    page = owner_client.get(reverse("account:credentials_edit")).content
    assert b"key_abcdef123456" not in page
    assert b'name="thumbtack_password"' not in page
    assert b"Generate Thumbtack password" in page
    # Empty secret fields keep the stored values.
    owner_client.post(
        reverse("account:credentials_edit"),
        {"voice_agent_phone": "", "thumbtack_username": "sparkle", "thumbtack_business_id": ""},
    )
    credentials.refresh_from_db()
    assert credentials.retell_api_key == "key_abcdef123456"


def test_thumbtack_username_is_unique_across_businesses(owner_client, business, other_business):
    other_business.credentials.thumbtack_username = "taken"
    other_business.credentials.save()
    response = owner_client.post(
        reverse("account:credentials_edit"), {"thumbtack_username": "taken"}
    )
    assert response.status_code == 400
    assert b"This username is taken" in response.content
    business.credentials.refresh_from_db()
    assert business.credentials.thumbtack_username is None


def test_saving_a_username_asks_for_a_generated_password(owner_client, business):
    response = owner_client.post(
        reverse("account:credentials_edit"), {"thumbtack_username": "mine"}, follow=True
    )
    assert response.status_code == 200
    assert b"Now generate the Thumbtack password." in response.content
    assert b"no password yet" in response.content
    assert not response.context["credentials"].thumbtack_connected


GENERATE = reverse("account:credentials_generate_thumbtack_password")


def set_username(business, username="sparkle-tt"):
    credentials = business.credentials
    credentials.thumbtack_username = username
    credentials.save()
    return credentials


def test_generate_thumbtack_password_shows_it_once(owner_client, business):
    credentials = set_username(business)
    response = owner_client.post(GENERATE)
    assert response.status_code == 200
    password = response.context["new_thumbtack_password"]
    assert len(password) >= 43  # 256 bits, URL-safe
    assert password.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    credentials.refresh_from_db()
    assert credentials.thumbtack_connected
    assert password not in credentials.thumbtack_password_hash
    assert services.thumbtack_password_matches(password, credentials.thumbtack_password_hash)
    # Shown once: the page never shows it again.
    page = owner_client.get(reverse("account:credentials_edit"))
    assert password.encode() not in page.content
    assert page.context["new_thumbtack_password"] is None


def test_replacing_a_thumbtack_password_must_be_confirmed(owner_client, business):
    credentials = set_username(business)
    first = owner_client.post(GENERATE).context["new_thumbtack_password"]
    response = owner_client.post(GENERATE)
    assert response.status_code == 400
    assert b"Tick the box" in response.content
    credentials.refresh_from_db()
    assert services.thumbtack_password_matches(first, credentials.thumbtack_password_hash)

    second = owner_client.post(GENERATE, {"confirm_replace": "on"}).context[
        "new_thumbtack_password"
    ]
    assert second != first
    credentials.refresh_from_db()
    assert services.thumbtack_password_matches(second, credentials.thumbtack_password_hash)
    assert not services.thumbtack_password_matches(first, credentials.thumbtack_password_hash)


def test_generate_needs_a_username_and_a_post(owner_client, business):
    response = owner_client.post(GENERATE, follow=True)
    assert b"Save a Thumbtack username first" in response.content
    business.credentials.refresh_from_db()
    assert business.credentials.thumbtack_password_hash == ""
    set_username(business)
    assert owner_client.get(GENERATE).status_code == 302
    business.credentials.refresh_from_db()
    assert business.credentials.thumbtack_password_hash == ""


def test_clearing_the_username_disconnects_thumbtack(owner_client, business):
    set_username(business)
    owner_client.post(GENERATE)
    owner_client.post(reverse("account:credentials_edit"), {"thumbtack_username": ""})
    business.credentials.refresh_from_db()
    assert business.credentials.thumbtack_username is None
    assert business.credentials.thumbtack_password_hash == ""


def test_member_cannot_generate_thumbtack_password(member_client, business):
    set_username(business)
    assert member_client.post(GENERATE).status_code == 403
    business.credentials.refresh_from_db()
    assert business.credentials.thumbtack_password_hash == ""


def test_generate_secret_rotates_on_post_only(owner_client, business):
    old = business.credentials.webhook_secret
    url = reverse("account:credentials_generate_secret")
    assert owner_client.get(url).status_code == 302
    business.credentials.refresh_from_db()
    assert business.credentials.webhook_secret == old
    assert owner_client.post(url).status_code == 302
    business.credentials.refresh_from_db()
    assert business.credentials.webhook_secret != old
    assert len(business.credentials.webhook_secret) >= 43


def test_member_cannot_rotate_secret(member_client, business):
    old = business.credentials.webhook_secret
    assert member_client.post(reverse("account:credentials_generate_secret")).status_code == 403
    business.credentials.refresh_from_db()
    assert business.credentials.webhook_secret == old
