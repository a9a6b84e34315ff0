"""Sign-in lockout counts failures per account, whatever identifier was typed
(username in any case, email in any case), on the HTML sign-in page and on
`POST /api/token/` alike."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SPELLINGS = ["victim1", "VICTIM1", "Victim1", "victim1@example.com", "VICTIM1@Example.COM"]


@pytest.fixture
def victim(db):
    return UserFactory(username="victim1", email="victim1@example.com")


def html_login(identifier, password=PASSWORD, address="10.1.0.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("account:login"), {"username": identifier, "password": password})
    return response, client


def api_login(identifier, password=PASSWORD, address="10.1.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/token/", {"username": identifier, "password": password}, format="json"
    )


def fail_from_many_addresses(settings, identifier, via):
    """Reach the per-account limit without reaching any per-address limit."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        address = f"10.2.0.{n + 1}"
        if via == "html":
            html_login(identifier, "wrong", address)
        else:
            api_login(identifier, "wrong", address)


@pytest.mark.parametrize("locked_with", SPELLINGS)
@pytest.mark.parametrize("via", ["html", "api"])
def test_lock_with_one_spelling_refuses_every_spelling(victim, settings, locked_with, via):
    fail_from_many_addresses(settings, locked_with, via)
    for spelling in SPELLINGS:
        response, client = html_login(spelling, address="10.3.0.1")
        assert response.status_code == 429, spelling
        assert b"Too many failed sign-in attempts" in response.content
        assert "_auth_user_id" not in client.session
        response = api_login(spelling, address="10.3.0.2")
        assert response.status_code == 429, spelling
        assert "access" not in response.json()


def test_failures_under_different_spellings_add_up(victim, settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        html_login(SPELLINGS[n % len(SPELLINGS)], "wrong", f"10.4.0.{n + 1}")
    response, _ = html_login("victim1", address="10.4.1.1")
    assert response.status_code == 302  # still under the limit: signs in
    # Success reset the count: a full set of failures is needed again.
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        api_login(SPELLINGS[-1 - n % len(SPELLINGS)], "wrong", f"10.4.2.{n + 1}")
    assert api_login("VICTIM1@example.com", address="10.4.3.1").status_code == 200
    for n in range(settings.AXES_FAILURE_LIMIT):
        api_login(SPELLINGS[n % len(SPELLINGS)], "wrong", f"10.4.4.{n + 1}")
    assert api_login("victim1", address="10.4.5.1").status_code == 429


def test_successful_api_sign_in_resets_the_count(victim, settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        api_login("victim1", "wrong", f"10.5.0.{n + 1}")
    assert api_login("Victim1", address="10.5.1.1").status_code == 200
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        api_login("victim1", "wrong", f"10.5.2.{n + 1}")
    response, _ = html_login("victim1", address="10.5.3.1")
    assert response.status_code == 302


def test_unknown_identifiers_are_counted_case_insensitively(db, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        spelling = "Ghost" if n % 2 else "GHOST"
        html_login(spelling, "wrong", f"10.6.0.{n + 1}")
    response, _ = html_login("ghost", "wrong", "10.6.1.1")
    assert response.status_code == 429
    # Another account is not affected.
    UserFactory(username="bystander")
    response, _ = html_login("bystander", address="10.6.1.2")
    assert response.status_code == 302


def test_per_address_lockout_still_works_across_accounts(victim, settings):
    UserFactory(username="other", email="other@example.com")
    for n in range(settings.AXES_FAILURE_LIMIT):
        api_login(f"guess{n}", "wrong", "10.7.0.1")
    response, _ = html_login("other@example.com", address="10.7.0.1")
    assert response.status_code == 429
    assert api_login("victim1", address="10.7.0.1").status_code == 429
    # The same accounts sign in from another address.
    assert api_login("victim1", address="10.7.0.2").status_code == 200
