"""Thumbtack's HTTP Basic credentials: a generated secret stored as a keyed
digest (fast, constant-time), and wrong credentials counted per username and
per client address, answered 429 past the limit."""

import time
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from account import services as account_services
from webhooks.models import WebhookEvent

from .conftest import THUMBTACK_PASSWORD, THUMBTACK_USERNAME, basic, raw

pytestmark = pytest.mark.django_db

NEGOTIATION = "thumbtack/negotiation_created.json"
LIMIT = 3
COOLOFF_SECONDS = 600
THUMBTACK = "198.51.100.7"  # the address the real sender posts from
ATTACKER = "203.0.113.66"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    import datetime as dt

    settings.THUMBTACK_AUTH_FAILURE_LIMIT = LIMIT
    settings.THUMBTACK_AUTH_COOLOFF = dt.timedelta(seconds=COOLOFF_SECONDS)


@pytest.fixture
def deliver(thumbtack_business, django_capture_on_commit_callbacks):
    """POST the negotiation fixture from `address` with `auth`."""
    counter = iter(range(1, 10_000))

    def post(auth=None, address=THUMBTACK):
        body = raw(NEGOTIATION).replace(
            b"590301122334455667", str(590301122334455667 + next(counter)).encode()
        )
        headers = {"REMOTE_ADDR": address}
        if auth is not False:
            headers["HTTP_AUTHORIZATION"] = auth or basic()
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                reverse("webhooks:thumbtack"),
                data=body,
                content_type="application/json",
                **headers,
            )

    return post


def wrong(username=THUMBTACK_USERNAME):
    return basic(username=username, password="not-the-password-0000")


def assert_limited(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= COOLOFF_SECONDS
    assert response.json() == {"status": "too many failed attempts"}


# --- The rate limit -------------------------------------------------------------------


def test_wrong_password_is_refused_with_429_after_the_limit(deliver):
    for _ in range(LIMIT - 1):
        response = deliver(wrong(), ATTACKER)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic realm=")
    # The failure that reaches the limit is answered with the lock itself.
    assert_limited(deliver(wrong(), ATTACKER))
    assert_limited(deliver(wrong(), ATTACKER))
    # Even the right password is refused for this username, from any address
    # that has not delivered for it before: guessing stops here.
    assert_limited(deliver(basic(), ATTACKER))
    assert_limited(deliver(basic(), "192.0.2.1"))
    assert not WebhookEvent.objects.exists()


def test_failures_are_counted_per_username_across_addresses(deliver):
    for n in range(LIMIT):
        deliver(wrong(), f"192.0.2.{n + 1}")
    assert_limited(deliver(basic(), "192.0.2.200"))


def test_the_real_sender_keeps_delivering_while_its_username_is_locked(deliver):
    assert deliver(basic(), THUMBTACK).status_code == 202
    for _ in range(LIMIT):
        deliver(wrong(), ATTACKER)
    assert_limited(deliver(wrong(), ATTACKER))
    # Thumbtack's address has delivered with the right password before: its
    # deliveries still get their password checked, and accepted.
    assert deliver(basic(), THUMBTACK).status_code == 202
    assert deliver(basic(), THUMBTACK).status_code == 202
    # A wrong password from that address is still refused and counted.
    assert_limited(deliver(wrong(), THUMBTACK))
    assert WebhookEvent.objects.count() == 3


def test_a_locked_address_still_passes_correct_credentials(deliver):
    """Thumbtack posts for every business from shared addresses: failures
    from one address (another business's stale password, or an attacker
    behind the same address) must not stop correct deliveries from it."""
    for n in range(LIMIT):
        response = deliver(wrong(f"someone-else-{n}"), THUMBTACK)
    assert_limited(response)
    assert_limited(deliver(wrong("yet-another"), THUMBTACK))
    # This username never delivered from here before, and still gets in.
    assert deliver(basic(), THUMBTACK).status_code == 202
    # Wrong credentials from the locked address stay refused.
    assert_limited(deliver(wrong(), THUMBTACK))


def test_unknown_usernames_are_counted_too(deliver):
    for n in range(LIMIT - 1):
        assert deliver(wrong("nobody"), f"192.0.2.{n + 1}").status_code == 401
    assert_limited(deliver(wrong("nobody"), "192.0.2.99"))
    assert_limited(deliver(wrong("NoBody"), "192.0.2.98"))


def test_case_variants_of_a_username_share_its_counter(deliver):
    for n in range(LIMIT):
        deliver(wrong(THUMBTACK_USERNAME.upper()), f"192.0.2.{n + 1}")
    assert_limited(deliver(basic(), "192.0.2.200"))


def test_malformed_headers_count_per_address(deliver):
    for garbage in ["Basic not-base64!!", "Bearer abc", "Basic dXNlcm5hbWU="][:LIMIT]:
        response = deliver(garbage, ATTACKER)
    assert_limited(response)
    assert deliver(basic(), THUMBTACK).status_code == 202


def test_a_request_without_credentials_is_never_rate_limited(deliver):
    """A client that waits for the challenge before sending credentials."""
    for _ in range(LIMIT + 2):
        response = deliver(False, THUMBTACK)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic realm=")


def test_the_lock_ends_after_the_cool_off(deliver, monkeypatch):
    for _ in range(LIMIT):
        deliver(wrong(), ATTACKER)
    assert_limited(deliver(basic(), ATTACKER))
    later = time.time() + COOLOFF_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert deliver(basic(), ATTACKER).status_code == 202
    assert deliver(wrong(), ATTACKER).status_code == 401


def test_unknown_username_and_wrong_password_look_the_same(deliver):
    unknown = deliver(wrong("nobody-at-all"), ATTACKER)
    bad_password = deliver(wrong(), "192.0.2.50")
    for response in (unknown, bad_password):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == (
            'Basic realm="Fieldbook Thumbtack webhook", charset="UTF-8"'
        )
    assert unknown.content == bad_password.content


# --- The stored secret -------------------------------------------------------------------


def test_password_is_stored_as_a_keyed_digest(thumbtack_business, settings):
    stored = thumbtack_business.credentials.thumbtack_password_hash
    assert stored.startswith("hmac-sha256$")
    assert len(stored) == len("hmac-sha256$") + 64
    assert THUMBTACK_PASSWORD not in stored
    assert account_services.thumbtack_password_matches(THUMBTACK_PASSWORD, stored)
    assert not account_services.thumbtack_password_matches(THUMBTACK_PASSWORD + "x", stored)
    # The digest depends on the server key: a database copy alone is not enough.
    settings.CREDENTIAL_DIGEST_KEY = "another-server-key"
    assert not account_services.thumbtack_password_matches(THUMBTACK_PASSWORD, stored)


def test_secret_key_fallbacks_keep_digests_valid(thumbtack_business, settings):
    stored = thumbtack_business.credentials.thumbtack_password_hash
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-for-this-test"
    assert account_services.thumbtack_password_matches(THUMBTACK_PASSWORD, stored)


def test_a_correct_credential_needs_no_password_hasher(deliver):
    # check_password() and make_password() find their hasher through these,
    # however they were imported.
    refuse = mock.Mock(side_effect=AssertionError("password hasher used"))
    with (
        mock.patch("django.contrib.auth.hashers.identify_hasher", refuse),
        mock.patch("django.contrib.auth.hashers.get_hasher", refuse),
    ):
        assert deliver(basic()).status_code == 202
        assert deliver(wrong()).status_code == 401
        assert deliver(wrong("nobody")).status_code == 401
    refuse.assert_not_called()


def test_checking_a_credential_is_fast(thumbtack_business, settings):
    # The production password hasher (the tests otherwise use a fast one).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    stored = thumbtack_business.credentials.thumbtack_password_hash
    started = time.perf_counter()
    for _ in range(200):
        assert account_services.thumbtack_password_matches(THUMBTACK_PASSWORD, stored)
    # A PBKDF2 check takes tens to hundreds of milliseconds each.
    assert (time.perf_counter() - started) / 200 < 0.005


def test_the_digest_is_compared_in_constant_time(deliver, thumbtack_business):
    import hmac

    stored = thumbtack_business.credentials.thumbtack_password_hash
    with mock.patch("account.services.hmac.compare_digest", wraps=hmac.compare_digest) as spy:
        assert deliver(basic()).status_code == 202
        assert deliver(wrong(), "192.0.2.1").status_code == 401
    compared = [call.args for call in spy.call_args_list]
    assert all(isinstance(a, bytes) and isinstance(b, bytes) for a, b in compared)
    assert sum(stored.encode() in args for args in compared) == 2


def test_an_unknown_username_costs_one_digest_like_a_known_one(deliver):
    with mock.patch(
        "account.services.thumbtack_password_digest",
        wraps=account_services.thumbtack_password_digest,
    ) as spy:
        deliver(wrong("nobody"), ATTACKER)
        unknown_calls = spy.call_count
        deliver(wrong(), "192.0.2.1")
    assert unknown_calls == spy.call_count - unknown_calls >= 1


# --- Passwords saved before they were generated ---------------------------------------------


@pytest.fixture
def legacy_business(business):
    credentials = business.credentials
    credentials.thumbtack_username = THUMBTACK_USERNAME
    credentials.thumbtack_password_hash = make_password("typed-by-the-owner-1")
    credentials.save()
    return business


def test_a_legacy_password_hash_keeps_working_until_regenerated(
    legacy_business, owner_client, django_capture_on_commit_callbacks
):
    def post(password):
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                reverse("webhooks:thumbtack"),
                data=raw(NEGOTIATION),
                content_type="application/json",
                HTTP_AUTHORIZATION=basic(password=password),
            )

    assert post("typed-by-the-owner-1").status_code == 202
    assert post("typed-by-the-owner-2").status_code == 401
    page = owner_client.get(reverse("account:credentials_edit"))
    assert b"Generate a new Thumbtack password." in page.content

    response = owner_client.post(
        reverse("account:credentials_generate_thumbtack_password"), {"confirm_replace": "on"}
    )
    new_password = response.context["new_thumbtack_password"]
    assert post("typed-by-the-owner-1").status_code == 401
    assert post(new_password).status_code == 200  # a repeat of the first delivery
    legacy_business.credentials.refresh_from_db()
    assert not legacy_business.credentials.thumbtack_password_is_legacy
    page = owner_client.get(reverse("account:credentials_edit"))
    assert b"Generate a new Thumbtack password." not in page.content
