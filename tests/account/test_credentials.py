import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

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


def test_save_credentials_hashes_thumbtack_password_and_masks_keys(owner_client, business):
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
    assert credentials.thumbtack_password_hash != "a-very-long-password"
    assert check_password("a-very-long-password", credentials.thumbtack_password_hash)
    page = owner_client.get(reverse("account:credentials_edit")).content
    assert b"key_abcdef123456" not in page
    assert b"a-very-long-password" not in page
    # Empty secret fields keep the stored values.
    owner_client.post(
        reverse("account:credentials_edit"),
        {"voice_agent_phone": "", "thumbtack_username": "sparkle", "thumbtack_business_id": ""},
    )
    credentials.refresh_from_db()
    assert credentials.retell_api_key == "key_abcdef123456"
    assert check_password("a-very-long-password", credentials.thumbtack_password_hash)


def test_thumbtack_username_is_unique_across_businesses(owner_client, business, other_business):
    other_business.credentials.thumbtack_username = "taken"
    other_business.credentials.save()
    response = owner_client.post(
        reverse("account:credentials_edit"),
        {"thumbtack_username": "taken", "thumbtack_password": "a-very-long-password"},
    )
    assert response.status_code == 400
    assert b"This username is taken" in response.content
    business.credentials.refresh_from_db()
    assert business.credentials.thumbtack_username is None


def test_thumbtack_username_needs_a_password(owner_client, business):
    response = owner_client.post(
        reverse("account:credentials_edit"), {"thumbtack_username": "mine"}
    )
    assert response.status_code == 400
    assert b"Set a password" in response.content


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
