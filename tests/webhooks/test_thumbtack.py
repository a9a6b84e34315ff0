from decimal import Decimal

import pytest

from leads.models import Lead, LeadActivity, LeadMessage
from webhooks.models import WebhookEvent
from webhooks.thumbtack import parse_money

from .conftest import THUMBTACK_USERNAME, basic, load, raw

pytestmark = pytest.mark.django_db

NEGOTIATION = "thumbtack/negotiation_created.json"
MESSAGE = "thumbtack/message_from_customer.json"


@pytest.mark.parametrize("name", [NEGOTIATION, MESSAGE])
def test_every_fixture_is_accepted_as_sent(post_thumbtack, business, name):
    response = post_thumbtack(raw(name))
    assert response.status_code == 202
    event = WebhookEvent.objects.get(business=business)
    assert event.payload == load(name)
    assert event.status == WebhookEvent.Status.PROCESSED


def test_negotiation_creates_a_lead(post_thumbtack, business):
    post_thumbtack(raw(NEGOTIATION))
    lead = Lead.objects.get(business=business)
    assert lead.source == Lead.Source.THUMBTACK
    assert lead.name == "Dana Whitfield"
    assert lead.phone == "+15125550188"
    assert lead.external_id == "590301122334455667"
    assert lead.service_wanted == "Plumbing Pipe Repair"
    assert lead.estimate_total == Decimal("175.00")
    details = lead.thumbtack
    assert details["description"].startswith("Water heater closet")
    assert details["location"]["city"] == "Austin"
    assert details["details"][1] == {"question": "What needs repair?", "answer": "Leaking pipe"}
    # Stored as read (ISO 8601 with the offset), so that every page can show them.
    assert details["proposed_times"] == [
        {"start": "2026-03-05T15:00:00+00:00", "end": "2026-03-05T18:00:00+00:00"}
    ]
    event = WebhookEvent.objects.get()
    assert event.dedupe_key == "negotiation:590301122334455667"
    assert event.lead == lead


def test_message_after_lead_is_attached(post_thumbtack, business):
    post_thumbtack(raw(NEGOTIATION))
    post_thumbtack(raw(MESSAGE))
    lead = Lead.objects.get()
    message = lead.messages.get()
    assert message.message_id == "590301998877665544"
    assert message.sender == "Customer"
    assert message.sender_name == "Dana W."
    assert message.text.startswith("Can someone come Thursday")
    assert message.sent_at.isoformat() == "2026-03-04T15:40:09+00:00"
    assert lead.activities.filter(kind=LeadActivity.Kind.MESSAGE).count() == 1


def test_message_before_lead_is_kept_and_attached_later(post_thumbtack, business):
    post_thumbtack(raw(MESSAGE))
    message = LeadMessage.objects.get()
    assert message.lead is None
    assert not Lead.objects.exists()
    post_thumbtack(raw(NEGOTIATION))
    message.refresh_from_db()
    assert message.lead == Lead.objects.get()


def test_duplicate_deliveries_are_processed_once(post_thumbtack, business):
    for _ in range(2):
        post_thumbtack(raw(NEGOTIATION))
        post_thumbtack(raw(MESSAGE))
    assert Lead.objects.count() == 1
    assert LeadMessage.objects.count() == 1
    # Counted on the two originals, not stored again.
    assert WebhookEvent.objects.count() == 2
    assert sorted(WebhookEvent.objects.values_list("duplicate_count", flat=True)) == [1, 1]
    second = post_thumbtack(raw(MESSAGE))
    assert second.status_code == 200
    assert second.json() == {"status": "duplicate"}


def test_url_without_trailing_slash(post_thumbtack):
    assert post_thumbtack(raw(NEGOTIATION), slash=False).status_code == 202


@pytest.mark.parametrize(
    "auth",
    [
        False,
        basic(password="wrong-password-123"),
        basic(username="nobody"),
        basic(username=THUMBTACK_USERNAME.upper()),
        "Basic not-base64!!",
        "Bearer abc",
        "Basic " + "dXNlcm5hbWU=",  # no colon
    ],
    ids=["missing", "wrong-password", "unknown-user", "case", "garbage", "bearer", "no-colon"],
)
def test_bad_basic_auth_is_401(post_thumbtack, auth):
    response = post_thumbtack(raw(NEGOTIATION), auth=auth)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic realm=")
    assert not WebhookEvent.objects.exists()


def test_business_without_thumbtack_credentials_rejects(client, business):
    response = client.post(
        "/thumbtack-webhook/",
        data=raw(NEGOTIATION),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic(),
    )
    assert response.status_code == 401


def test_bad_json_is_400(post_thumbtack):
    assert post_thumbtack(b"{oops").status_code == 400
    assert post_thumbtack(b"[]").status_code == 400
    assert not WebhookEvent.objects.exists()


def test_unknown_event_is_stored_and_ignored(post_thumbtack, business):
    payload = load(MESSAGE)
    payload["event"]["eventType"] = "ReviewCreatedV4"
    response = post_thumbtack(payload)
    assert response.status_code == 202
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.IGNORED
    assert not Lead.objects.exists()
    assert not LeadMessage.objects.exists()


def test_oversize_is_413(post_thumbtack):
    payload = load(NEGOTIATION)
    payload["data"]["request"]["description"] = "x" * (1024 * 1024 + 1)
    assert post_thumbtack(payload).status_code == 413


def test_deprecated_v2_lead(post_thumbtack, business):
    payload = {
        "leadID": "437282348573",
        "createTimestamp": "1767287415",
        "request": {
            "category": "House Cleaning",
            "title": "House Cleaning",
            "description": "Two-bedroom apartment, monthly.",
            "location": {"city": "Austin", "state": "TX", "zipCode": "78704"},
            "details": [{"question": "How often?", "answer": "Monthly"}],
        },
        "customer": {"customerID": "1", "name": "Lee Park", "phone": "512-555-0177"},
        "business": {"businessID": "468046965846925323", "name": "Sparkle"},
    }
    assert post_thumbtack(payload).status_code == 202
    lead = Lead.objects.get()
    assert lead.name == "Lee Park"
    assert lead.phone == "+15125550177"
    assert lead.service_wanted == "House Cleaning"
    assert lead.thumbtack["created_at"].startswith("2026-01-01T17:10:15")
    assert WebhookEvent.objects.get().dedupe_key == "negotiation:437282348573"


def test_thumbtack_lead_matching_an_open_lead_goes_on_its_timeline(post_thumbtack, business):
    existing = Lead.objects.create(business=business, name="Dana W", phone="+15125550188")
    post_thumbtack(raw(NEGOTIATION))
    post_thumbtack(raw(MESSAGE))
    assert Lead.objects.count() == 1
    existing.refresh_from_db()
    assert existing.activities.filter(kind=LeadActivity.Kind.REPEAT).exists()
    assert existing.thumbtack["category"] == "Plumbing Pipe Repair"
    assert existing.messages.count() == 1


def test_a_closed_lead_is_not_reused(post_thumbtack, business):
    Lead.objects.create(
        business=business, name="Dana", phone="+15125550188", status=Lead.Status.LOST
    )
    post_thumbtack(raw(NEGOTIATION))
    assert Lead.objects.count() == 2


@pytest.mark.parametrize(
    ("raw_value", "expected"),
    [
        ("$1,234.56", Decimal("1234.56")),
        ("$175.00", Decimal("175.00")),
        ("175", Decimal("175.00")),
        (175, Decimal("175.00")),
        ("USD 99.5", Decimal("99.50")),
        ("", None),
        (None, None),
        ("free", None),
    ],
)
def test_parse_money(raw_value, expected):
    assert parse_money(raw_value) == expected
