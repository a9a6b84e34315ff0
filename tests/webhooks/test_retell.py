import json
import time

import pytest
from django.urls import reverse
from retell.lib import verify as retell_verify

from leads.models import Lead, LeadActivity
from webhooks import auth
from webhooks.models import WebhookEvent

from .conftest import RETELL_API_KEY, as_body, load, raw, retell_sign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["retell/call_started.json", "retell/call_ended.json", "retell/call_analyzed_booking.json"],
)
def test_every_fixture_is_accepted_as_sent(post_retell, business, name):
    response = post_retell(raw(name))
    assert response.status_code == 202
    assert response.json() == {"status": "received"}
    event = WebhookEvent.objects.get(business=business)
    assert event.payload == load(name)
    assert event.status == WebhookEvent.Status.PROCESSED
    assert event.attempts == 1


def test_call_started_and_ended_are_stored_without_a_lead(post_retell, business):
    post_retell(raw("retell/call_started.json"))
    post_retell(raw("retell/call_ended.json"))
    events = WebhookEvent.objects.filter(business=business).order_by("pk")
    assert [e.event_type for e in events] == ["call_started", "call_ended"]
    assert [e.dedupe_key for e in events] == [
        "call_started:call_7f3c2a9e4b1d46c8a0e5f19d2b6c8e01",
        "call_ended:call_7f3c2a9e4b1d46c8a0e5f19d2b6c8e01",
    ]
    assert not Lead.objects.exists()


def test_call_analyzed_creates_a_lead_with_the_call(post_retell, business):
    post_retell(raw("retell/call_analyzed_booking.json"))
    lead = Lead.objects.get(business=business)
    assert lead.source == Lead.Source.RETELL
    assert lead.name == "Maria Lopez"
    assert lead.phone == "+15125550143"
    assert lead.email == "maria.lopez@example.com"
    assert lead.service_wanted == "Deep clean"
    assert lead.external_id == "call_2c4e6a8b0d1f43a5b7c9e1f3a5c7e9b1"
    call = lead.details["retell"]
    assert call["summary"].startswith("Maria Lopez booked a deep clean")
    assert call["sentiment"] == "Positive"
    assert "How many bedrooms" in call["transcript"]
    assert call["recording_url"].endswith("recording.wav")
    assert call["duration_seconds"] == 108
    event = WebhookEvent.objects.get()
    assert event.lead == lead


def test_call_analyzed_without_custom_data_uses_caller_id(post_retell, business):
    payload = load("retell/call_analyzed_booking.json")
    payload["call"]["call_analysis"]["custom_analysis_data"] = {}
    post_retell(payload)
    lead = Lead.objects.get(business=business)
    assert lead.phone == "+15125550143"
    assert lead.name == "Caller +15125550143"
    assert not lead.activities.filter(kind=LeadActivity.Kind.BOOKING_SKIPPED).exists()


def test_duplicate_delivery_is_acknowledged_and_processed_once(post_retell, business):
    body = raw("retell/call_analyzed_booking.json")
    assert post_retell(body).status_code == 202
    second = post_retell(body)
    assert second.status_code == 200
    assert second.json() == {"status": "duplicate"}
    assert Lead.objects.count() == 1
    # One row: the repeat is counted on the original, not stored again.
    original = WebhookEvent.objects.get()
    assert original.attempts == 1
    assert original.duplicate_count == 1
    assert original.last_duplicate_at >= original.received_at
    assert LeadActivity.objects.filter(kind=LeadActivity.Kind.CALL).count() == 0
    assert LeadActivity.objects.filter(kind=LeadActivity.Kind.CREATED).count() == 1


def test_second_call_from_the_same_caller_goes_on_the_open_lead(post_retell, business):
    first = load("retell/call_analyzed_booking.json")
    first["call"]["call_analysis"]["custom_analysis_data"]["appointment_booked"] = False
    post_retell(first)
    payload = load("retell/call_analyzed_booking.json")
    payload["call"]["call_analysis"]["custom_analysis_data"]["appointment_booked"] = False
    payload["call"]["call_id"] = "call_second"
    payload["call"]["call_analysis"]["call_summary"] = "Asked to move the time."
    post_retell(payload)
    lead = Lead.objects.get()
    repeat = lead.activities.get(kind=LeadActivity.Kind.REPEAT)
    assert repeat.data["summary"] == "Asked to move the time."
    assert set(lead.references.values_list("external_id", flat=True)) == {
        "call_2c4e6a8b0d1f43a5b7c9e1f3a5c7e9b1",
        "call_second",
    }


def test_unknown_secret_is_404_with_no_detail(client, business):
    body = raw("retell/call_started.json")
    for url in ("/webhook/not-the-secret/", "/webhook/not-the-secret", "/webhook/" + "x" * 300):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 404
        assert response.content == b""
    assert not WebhookEvent.objects.exists()


def test_url_without_trailing_slash_works(post_retell, business):
    url = reverse("webhooks:retell", args=[business.credentials.webhook_secret]).rstrip("/")
    assert post_retell(raw("retell/call_started.json"), url=url).status_code == 202


def test_only_post(client, business, retell_url):
    assert client.get(retell_url).status_code == 405
    assert client.put(retell_url).status_code == 405
    assert not WebhookEvent.objects.exists()


BODY = raw("retell/call_started.json")


def _now_ms():
    return int(time.time() * 1000)


@pytest.mark.parametrize(
    "make_signature",
    [
        lambda: None,
        lambda: "",
        lambda: "garbage",
        lambda: "v=123,d=abc",
        lambda: retell_sign(b"{}"),
        lambda: retell_sign(BODY, api_key="key_wrong"),
        lambda: retell_sign(BODY, timestamp=_now_ms() - 301_000),
        lambda: retell_sign(BODY, timestamp=_now_ms() + 301_000),
        lambda: retell_sign(BODY).upper(),
    ],
    ids=[
        "missing",
        "empty",
        "garbage",
        "malformed",
        "other-body",
        "wrong-key",
        "stale",
        "future",
        "uppercase",
    ],
)
def test_bad_signature_is_401(post_retell, make_signature):
    response = post_retell(BODY, sign=False, signature=make_signature())
    assert response.status_code == 401
    assert response.json() == {"status": "invalid signature"}
    assert not WebhookEvent.objects.exists()


def test_signature_checked_over_raw_bytes(post_retell, business):
    """Reformatting the JSON after signing breaks the signature."""
    body = raw("retell/call_started.json")
    signature = retell_sign(body)
    reformatted = json.dumps(json.loads(body)).encode()
    assert reformatted != body
    assert post_retell(reformatted, signature=signature).status_code == 401
    assert post_retell(body, signature=signature).status_code == 202


def test_signature_within_five_minutes_is_accepted(post_retell):
    body = raw("retell/call_started.json")
    signature = retell_sign(body, timestamp=int(time.time() * 1000) - 240_000)
    assert post_retell(body, signature=signature).status_code == 202


def test_no_api_key_means_no_signature_needed(client, business, retell_url):
    response = client.post(
        retell_url, data=raw("retell/call_started.json"), content_type="application/json"
    )
    assert response.status_code == 202


def test_our_signer_and_verifier_agree_with_retell_sdk():
    body = raw("retell/call_analyzed_booking.json")
    now = int(time.time() * 1000)
    ours = auth.retell_signature(body, RETELL_API_KEY, now)
    assert ours == retell_sign(body, timestamp=now)
    assert retell_verify(body.decode(), RETELL_API_KEY, ours)
    assert auth.retell_signature_valid(body, RETELL_API_KEY, retell_sign(body))
    assert not auth.retell_signature_valid(body, "other", retell_sign(body))


def test_oversize_body_is_413(post_retell):
    payload = load("retell/call_started.json")
    payload["padding"] = "x" * (1024 * 1024)
    response = post_retell(payload)
    assert response.status_code == 413
    assert not WebhookEvent.objects.exists()


def test_oversize_declared_length_is_413_before_reading(client, business, retell_url):
    response = client.generic(
        "POST",
        retell_url,
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[1, 2]", b'"call_started"', b"\xff\xfe", b"{}", b'{"event": ""}'],
)
def test_bad_json_or_no_event_is_400(post_retell, body):
    # Signed over the raw bytes, so only the parsing can fail.
    response = post_retell(body, signature=auth.retell_signature(body, RETELL_API_KEY, _now_ms()))
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_unknown_event_is_stored_and_ignored(post_retell, business):
    payload = {"event": "transcript_updated", "call": {"call_id": "call_x"}}
    response = post_retell(payload)
    assert response.status_code == 202
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.IGNORED
    assert event.event_type == "transcript_updated"
    assert not Lead.objects.exists()


def test_processing_failure_marks_event_failed_and_keeps_payload(post_retell, business):
    payload = load("retell/call_analyzed_booking.json")
    del payload["call"]["call_id"]
    response = post_retell(payload)
    assert response.status_code == 202
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.FAILED
    assert "call_id" in event.error
    assert event.payload == payload
    assert not Lead.objects.exists()


def test_failure_half_way_leaves_no_lead(post_retell, business, monkeypatch):
    from webhooks import retell

    def explode(**kwargs):
        raise RuntimeError("booking service down")

    monkeypatch.setattr(retell, "_book", explode)
    post_retell(raw("retell/call_analyzed_booking.json"))
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.FAILED
    assert "booking service down" in event.error
    assert not Lead.objects.exists()
    assert not LeadActivity.objects.exists()


def test_another_business_secret_reaches_only_that_business(
    client, business, other_business, django_capture_on_commit_callbacks
):
    url = reverse("webhooks:retell", args=[other_business.credentials.webhook_secret])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, data=raw("retell/call_analyzed_booking.json"), content_type="application/json"
        )
    assert Lead.objects.get().business == other_business
    assert not Lead.objects.filter(business=business).exists()


def test_as_body_helper_round_trips():
    assert json.loads(as_body({"event": "x"})) == {"event": "x"}
