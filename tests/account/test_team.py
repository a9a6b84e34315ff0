import pytest
from django.urls import reverse

from account.models import ApiKey, Membership, User
from account.services import api_key_create

pytestmark = pytest.mark.django_db


def test_owner_adds_member_with_one_time_password(owner_client, business, client):
    response = owner_client.post(
        reverse("account:member_add"),
        {"username": "crew1", "email": "crew1@example.com", "first_name": "Sam", "last_name": "O"},
    )
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="crew1")
    assert user.must_change_password
    assert user.membership.business == business
    assert user.membership.role == Membership.Role.OFFICE

    # The new member signs in and must choose a password before anything else.
    client.post(reverse("account:login"), {"username": "crew1", "password": password})
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("account:change_password")
    response = client.post(
        reverse("account:change_password"),
        {
            "old_password": password,
            "new_password1": "My-own-passphrase-1",
            "new_password2": "My-own-passphrase-1",
        },
    )
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_add_member_rejects_duplicate_email(owner_client, owner):
    response = owner_client.post(
        reverse("account:member_add"), {"username": "x", "email": owner.email.upper()}
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="x").exists()


def test_member_sees_business_but_not_team_page(member_client):
    assert member_client.get(reverse("home")).status_code == 200
    assert member_client.get(reverse("account:team")).status_code == 403
    assert member_client.post(reverse("account:member_add"), {"username": "y"}).status_code == 403


def test_remove_member_disables_sign_in_and_keys(owner_client, member):
    api_key, raw = api_key_create(user=member, name="k")
    url = reverse("account:member_remove", args=[member.membership.pk])
    assert owner_client.get(url).status_code == 200
    assert owner_client.post(url).status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert not Membership.objects.filter(user=member).exists()
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None


def test_owner_cannot_be_removed(owner_client, owner):
    url = reverse("account:member_remove", args=[owner.membership.pk])
    owner_client.post(url)
    assert Membership.objects.filter(user=owner).exists()


def test_outsider_cannot_remove_member(outsider_client, member):
    url = reverse("account:member_remove", args=[member.membership.pk])
    assert outsider_client.post(url).status_code == 404
    assert Membership.objects.filter(user=member).exists()


def test_team_page_query_count(owner_client, business, django_assert_max_num_queries):
    from tests.factories import add_member

    for _ in range(15):
        add_member(business)
    with django_assert_max_num_queries(5):
        assert owner_client.get(reverse("account:team")).status_code == 200


def test_member_home_checklist_has_no_owner_only_links(member_client):
    response = member_client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("account:business_settings_edit").encode() not in response.content
    assert b"Set your prices" in response.content
