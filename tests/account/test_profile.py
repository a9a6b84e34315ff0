import pytest
from django.urls import reverse

from account.models import ApiKey
from account.services import api_key_authenticate
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_requires_login(client):
    response = client.get(reverse("account:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))


def test_profile_shows_details_and_business(owner_client, business):
    response = owner_client.get(reverse("account:profile"))
    assert response.status_code == 200
    assert business.name.encode() in response.content
    assert reverse("account:business_settings_edit").encode() in response.content


def test_post_only_paths_show_their_page_on_get(owner_client, owner):
    for name in ("profile_update", "update_credentials"):
        response = owner_client.get(reverse(f"account:{name}"))
        assert response.status_code == 200
        assert b"Personal details" in response.content
    owner.refresh_from_db()
    assert owner.first_name == "Pat"


def test_profile_update(owner_client, owner):
    response = owner_client.post(
        reverse("account:profile_update"),
        {
            "first_name": "Dana",
            "last_name": "Reyes",
            "email": "dana@example.com",
            "phone": "(512) 555-0143",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.first_name, owner.email, owner.phone) == (
        "Dana",
        "dana@example.com",
        "+15125550143",
    )


def test_profile_update_refuses_a_phone_that_is_not_a_number(owner_client, owner):
    response = owner_client.post(
        reverse("account:profile_update"),
        {"first_name": "Dana", "last_name": "Reyes", "email": "dana@example.com", "phone": "555"},
    )
    assert response.status_code == 400
    assert b"Enter a valid phone number, such as +1 512 555 0143." in response.content
    owner.refresh_from_db()
    assert owner.phone == ""


def test_profile_update_bad_email_rerenders_and_writes_nothing(owner_client, owner):
    UserFactory(email="taken@example.com")
    response = owner_client.post(
        reverse("account:profile_update"),
        {"first_name": "X", "last_name": "Y", "email": "TAKEN@example.com", "phone": ""},
    )
    assert response.status_code == 400
    assert b"A user with this email already exists." in response.content
    owner.refresh_from_db()
    assert owner.first_name == "Pat"


def test_change_password_keeps_session(owner_client, owner):
    response = owner_client.post(
        reverse("account:change_password"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-Long-passphrase-7",
            "new_password2": "another-Long-passphrase-7",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("another-Long-passphrase-7")
    assert owner_client.get(reverse("account:profile")).status_code == 200


def test_change_password_with_wrong_old_password_fails(owner_client, owner):
    response = owner_client.post(
        reverse("account:change_password"),
        {
            "old_password": "wrong",
            "new_password1": "x-Long-pass-99",
            "new_password2": "x-Long-pass-99",
        },
    )
    assert response.status_code == 400
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_update_sign_in_details_needs_current_password(owner_client, owner):
    url = reverse("account:update_credentials")
    response = owner_client.post(
        url,
        {
            "action": "signin",
            "username": "boss",
            "email": "boss@example.com",
            "current_password": "no",
        },
    )
    assert response.status_code == 400
    assert b"Your current password is not correct." in response.content
    owner.refresh_from_db()
    assert owner.username == "owner"
    response = owner_client.post(
        url,
        {
            "action": "signin",
            "username": "boss",
            "email": "boss@example.com",
            "current_password": PASSWORD,
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.username == "boss"


def test_api_key_is_shown_once_stored_hashed_and_revocable(owner_client, owner):
    url = reverse("account:update_credentials")
    response = owner_client.post(url, {"action": "create_key", "name": "Reporting"})
    assert response.status_code == 200
    raw = response.context["new_api_key"]
    api_key = ApiKey.objects.get(user=owner)
    assert raw.startswith(f"fb_{api_key.prefix}_")
    assert raw not in api_key.key_hash
    assert api_key_authenticate(raw) == api_key
    assert api_key_authenticate(raw + "x") is None
    # The key is not shown again.
    assert raw.encode() not in owner_client.get(reverse("account:profile")).content

    response = owner_client.post(url, {"action": "revoke_key", "key_id": api_key.pk})
    assert response.status_code == 302
    assert api_key_authenticate(raw) is None


def test_api_key_needs_a_name(owner_client, owner):
    response = owner_client.post(
        reverse("account:update_credentials"), {"action": "create_key", "name": ""}
    )
    assert response.status_code == 400
    assert not ApiKey.objects.filter(user=owner).exists()


def test_cannot_revoke_someone_elses_key(owner_client, outsider):
    from account.services import api_key_create

    api_key, raw = api_key_create(user=outsider, name="theirs")
    owner_client.post(
        reverse("account:update_credentials"), {"action": "revoke_key", "key_id": api_key.pk}
    )
    assert api_key_authenticate(raw) is not None
