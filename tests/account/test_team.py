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


def test_owner_adds_a_cleaner(owner_client, business):
    response = owner_client.post(
        reverse("account:member_add"),
        {"username": "maria", "email": "maria@example.com", "role": "cleaner"},
    )
    assert response.status_code == 200
    assert User.objects.get(username="maria").membership.role == Membership.Role.CLEANER


def test_add_member_refuses_an_unknown_role(owner_client, business):
    response = owner_client.post(
        reverse("account:member_add"),
        {"username": "boss2", "email": "boss2@example.com", "role": "owner"},
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="boss2").exists()


def test_owner_changes_a_members_role(owner_client, member):
    url = reverse("account:member_edit", args=[member.membership.pk])
    page = owner_client.get(url)
    assert page.status_code == 200 and b"Cleaner" in page.content
    response = owner_client.post(url, {"role": "cleaner"})
    assert response.status_code == 302
    member.membership.refresh_from_db()
    assert member.membership.role == Membership.Role.CLEANER
    team = owner_client.get(reverse("account:team")).content.decode()
    assert "Cleaner" in team and url in team


def test_member_role_bad_input_changes_nothing(owner_client, member):
    url = reverse("account:member_edit", args=[member.membership.pk])
    for data in ({"role": "owner"}, {"role": ""}, {}):
        assert owner_client.post(url, data).status_code == 400
    member.membership.refresh_from_db()
    assert member.membership.role == Membership.Role.OFFICE


def test_the_owners_role_is_not_changed(owner_client, owner):
    url = reverse("account:member_edit", args=[owner.membership.pk])
    assert owner_client.post(url, {"role": "cleaner"}).status_code == 302
    owner.membership.refresh_from_db()
    assert owner.membership.role == Membership.Role.OWNER


def test_member_role_is_for_the_owner_of_the_business(
    member_client, cleaner_client, outsider_client, member, client
):
    url = reverse("account:member_edit", args=[member.membership.pk])
    assert member_client.post(url, {"role": "cleaner"}).status_code == 403
    assert cleaner_client.get(url).status_code == 403
    assert outsider_client.post(url, {"role": "cleaner"}).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    member.membership.refresh_from_db()
    assert member.membership.role == Membership.Role.OFFICE


def test_members_become_office_in_the_data_migration(member):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("account.migrations.0006_membership_roles")
    Membership.objects.filter(pk=member.membership.pk).update(role="member")
    migration.member_to_office(apps, None)
    member.membership.refresh_from_db()
    assert member.membership.role == Membership.Role.OFFICE
    assert Membership.objects.filter(role=Membership.Role.OWNER).count() == 1
