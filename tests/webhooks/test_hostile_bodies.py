"""Whatever a sender puts in a body, the webhooks answer 2xx (stored) or 4xx
(refused, nothing stored), never 5xx; what is stored is storable on any
database (no NUL characters, no unencodable text, ids that fit)."""

import json
import time

import pytest

from leads.models import Lead, LeadMessage
from webhooks import auth
from webhooks.models import WebhookEvent

from .conftest import RETELL_API_KEY, load, raw

pytestmark = pytest.mark.django_db

DEEP = b"[" * 100_000 + b"]" * 100_000
CALL_STARTED = raw("retell/call_started.json")
NEGOTIATION = "thumbtack/negotiation_created.json"
MESSAGE = "thumbtack/message_from_customer.json"


def nested(levels):
    return b'{"a":' * levels + b"1" + b"}" * levels


def with_extra(extra):
    """call_started with `extra` (raw JSON bytes) as one more value."""
    return CALL_STARTED.rstrip()[:-1] + b', "extra": ' + extra + b"}"


REFUSED = {
    "deep-array": DEEP,
    "deep-object": nested(100_000),
    "deep-inside-a-payload": with_extra(DEEP),
    "one-level-too-deep": with_extra(nested(64)),
    "invalid-utf8": with_extra(b'"\xff\xfe\xfd"'),
    "utf16": CALL_STARTED.decode().encode("utf-16"),
    "top-level-array": b"[" + CALL_STARTED + b"]",
    "top-level-string": b'"call_started"',
    "top-level-number": b"42",
    "top-level-null": b"null",
    "nan": with_extra(b"NaN"),
    "infinity": with_extra(b"-Infinity"),
    "float-overflow": with_extra(b"1e400"),
    "integer-too-long": with_extra(b"9" * 5000),
    "truncated": CALL_STARTED[:-10],
    "empty": b"",
}


@pytest.mark.parametrize("body", REFUSED.values(), ids=REFUSED.keys())
def test_retell_refuses_bodies_it_cannot_store_with_400(post_retell, body):
    # Correctly signed over the raw bytes: only the body is at fault.
    signature = auth.retell_signature(body, RETELL_API_KEY, int(time.time() * 1000))
    response = post_retell(body, signature=signature)
    assert response.status_code == 400
    assert response.json()["status"].startswith("invalid JSON")
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("body", REFUSED.values(), ids=REFUSED.keys())
def test_thumbtack_refuses_bodies_it_cannot_store_with_400(post_thumbtack, body):
    assert post_thumbtack(body).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_deep_but_within_the_limit_is_stored(post_retell):
    assert post_retell(with_extra(nested(62))).status_code == 202
    assert WebhookEvent.objects.get().payload["extra"]["a"]["a"]


def _has_nul(value):
    return "\\u0000" in json.dumps(value)


def test_nul_in_strings_and_keys_is_stripped_before_storing(post_retell, business):
    payload = load("retell/call_analyzed_booking.json")
    data = payload["call"]["call_analysis"]["custom_analysis_data"]
    data["first_name"] = "Ma\u0000ria"
    data["no\u0000tes"] = data.pop("notes").replace(" ", "\u0000 ")
    data["last_name"] = "\ud800Lopez"  # a lone surrogate cannot be encoded either
    payload["call"]["call_id"] = "call_\u0000nul"
    payload["x\u0000"] = {"\u0000": ["\u0000"]}
    response = post_retell(json.dumps(payload).encode())
    assert response.status_code == 202
    event = WebhookEvent.objects.get()
    assert not _has_nul(event.payload)
    assert event.dedupe_key == "call_analyzed:call_nul"
    assert event.status == WebhookEvent.Status.PROCESSED, event.error
    lead = Lead.objects.get()
    assert lead.name == "Maria \ufffdLopez"
    assert lead.retell["custom_analysis_data"]["notes"] == "Gate code 4412. Two friendly dogs."
    assert not _has_nul(lead.details)


def test_thumbtack_ids_of_500_characters_are_hashed_into_keys(post_thumbtack, business):
    long_id = "9" * 500
    negotiation = load(NEGOTIATION)
    negotiation["data"]["negotiationID"] = long_id
    message = load(MESSAGE)
    message["data"]["negotiationID"] = long_id
    message["data"]["messageID"] = "m" * 500
    assert post_thumbtack(message).status_code == 202
    assert post_thumbtack(negotiation).status_code == 202
    events = {e.event_type: e for e in WebhookEvent.objects.all()}
    assert events["NegotiationCreatedV4"].dedupe_key.startswith("negotiation:sha256:")
    assert events["MessageCreatedV4"].dedupe_key.startswith("message:sha256:")
    assert all(len(e.dedupe_key) <= 200 for e in events.values())
    assert all(e.status == WebhookEvent.Status.PROCESSED for e in events.values())
    lead = Lead.objects.get()
    assert len(lead.external_id) <= 100
    assert LeadMessage.objects.get().lead == lead  # the message found its lead
    # A repeat still matches its original.
    assert post_thumbtack(negotiation).json() == {"status": "duplicate"}
    assert WebhookEvent.objects.count() == 2


def test_retell_call_id_and_event_type_of_500_characters(post_retell, business):
    payload = load("retell/call_analyzed_booking.json")
    payload["call"]["call_id"] = "c" * 500
    assert post_retell(payload).status_code == 202
    payload = {"event": "e" * 500, "call": {"call_id": "call_1"}}
    assert post_retell(payload).status_code == 202
    analysed, other = WebhookEvent.objects.order_by("pk")
    assert analysed.status == WebhookEvent.Status.PROCESSED, analysed.error
    assert len(analysed.dedupe_key) <= 200
    assert len(Lead.objects.get().external_id) <= 100
    assert other.event_type == "e" * 100
    assert other.status == WebhookEvent.Status.IGNORED


ODD_BUT_JSON = [
    {"event": 5},
    {"event": ["call_analyzed"]},
    {"event": "call_analyzed"},
    {"event": "call_analyzed", "call": []},
    {"event": "call_analyzed", "call": {"call_id": {"a": 1}}},
    {"event": "call_analyzed", "call": {"call_id": "c", "call_analysis": "x"}},
    {
        "event": "call_analyzed",
        "call": {
            "call_id": "c2",
            "from_number": ["+1"],
            "duration_ms": "1e999",
            "call_analysis": {"custom_analysis_data": {"appointment_booked": True, "oven": []}},
        },
    },
    {"event": {"eventType": ["x"]}, "data": []},
    {"event": {"eventType": "NegotiationCreatedV4"}, "data": {"negotiationID": {"a": 1}}},
    {
        "event": {"eventType": "NegotiationCreatedV4"},
        "data": {
            "negotiationID": "n1",
            "customer": "Dana",
            "request": {"proposedTimes": "soon", "details": [1, "a", None], "location": 5},
            "estimate": {"total": "1e999999"},
        },
    },
    {
        "event": {"eventType": "MessageCreatedV4"},
        "data": {"messageID": 1, "negotiationID": 2, "sentAt": 10**20, "from": None},
    },
    {"leadID": "v2", "createTimestamp": "99999999999999999999", "customer": []},
]


@pytest.mark.parametrize("payload", ODD_BUT_JSON)
def test_odd_payloads_never_answer_5xx(post_retell, post_thumbtack, payload):
    for post in (post_retell, post_thumbtack):
        response = post(json.dumps(payload).encode())
        assert response.status_code < 500
    for event in WebhookEvent.objects.all():
        assert event.status != WebhookEvent.Status.RECEIVED
        if event.status == WebhookEvent.Status.FAILED:
            assert event.error.startswith("PayloadError"), event.error
