"""Helpers to post real payloads to the webhook URLs, signed the way the
senders sign them."""

import base64
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from retell.lib.webhook_auth import symmetric

from account import services as account_services

FIXTURES = Path(__file__).parent / "fixtures"
RETELL_API_KEY = "key_test_5c2f0a9e8b7d4c1a"
THUMBTACK_USERNAME = "sparkle-thumbtack"
THUMBTACK_PASSWORD = "tt-password-0123456789"


# The sample call books an appointment on this date. Bookings must start
# within the booking window (booking/validation.py), so replays move it to the
# next December 4 at least a week away: always ahead, always in winter time.
FIXTURE_APPOINTMENT_DATE = "2026-12-04"


def appointment_day(today=None):
    today = today or date.today()
    day = date(today.year, 12, 4)
    return day if day - today >= timedelta(days=7) else date(today.year + 1, 12, 4)


def _rebased(text):
    return text.replace(FIXTURE_APPOINTMENT_DATE, appointment_day().isoformat())


def load(name):
    return json.loads(_rebased((FIXTURES / name).read_text()))


def raw(name):
    return _rebased((FIXTURES / name).read_text()).encode()


def retell_sign(body, api_key=RETELL_API_KEY, timestamp=None):
    """The official retell-sdk signer."""
    text = body.decode() if isinstance(body, bytes) else body
    return symmetric["sign"](text, api_key, timestamp)


def basic(username=THUMBTACK_USERNAME, password=THUMBTACK_PASSWORD):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"


def as_body(payload):
    if isinstance(payload, bytes | str):
        return payload.encode() if isinstance(payload, str) else payload
    return json.dumps(payload).encode()


@pytest.fixture
def retell_business(business):
    credentials = business.credentials
    credentials.retell_api_key = RETELL_API_KEY
    credentials.save()
    return business


@pytest.fixture
def retell_url(business):
    return reverse("webhooks:retell", args=[business.credentials.webhook_secret])


@pytest.fixture
def post_retell(client, retell_business, retell_url, django_capture_on_commit_callbacks):
    """POST a payload to the business's Retell URL, signed with its API key;
    background processing runs before it returns."""

    def post(payload, *, sign=True, signature=None, url=None, **headers):
        body = as_body(payload)
        if sign and signature is None:
            signature = retell_sign(body)
        if signature is not None:
            headers["HTTP_X_RETELL_SIGNATURE"] = signature
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                url or retell_url, data=body, content_type="application/json", **headers
            )

    return post


@pytest.fixture
def thumbtack_business(business):
    credentials = business.credentials
    credentials.thumbtack_username = THUMBTACK_USERNAME
    account_services.credentials_set_thumbtack_password(
        credentials=credentials, password=THUMBTACK_PASSWORD
    )
    credentials.save()
    return business


@pytest.fixture
def post_thumbtack(client, thumbtack_business, django_capture_on_commit_callbacks):
    def post(payload, *, auth=None, slash=True, **headers):
        if auth is not False:
            headers["HTTP_AUTHORIZATION"] = auth or basic()
        url = reverse("webhooks:thumbtack")
        if not slash:
            url = url.rstrip("/")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                url, data=as_body(payload), content_type="application/json", **headers
            )

    return post
