import pytest
from django.urls import reverse

from leads.models import Lead
from webhooks.models import WebhookEvent

from .conftest import load

pytestmark = pytest.mark.django_db


def make_event(business, **fields):
    defaults = {
        "source": "retell",
        "event_type": "call_analyzed",
        "dedupe_key": f"k{WebhookEvent.objects.count()}",
        "payload": {"event": "call_analyzed"},
    }
    return WebhookEvent.objects.create(business=business, **{**defaults, **fields})


def test_inbox_lists_own_events_with_filters(owner_client, business, other_business):
    make_event(business, event_type="call_started", status="processed")
    make_event(business, source="thumbtack", event_type="MessageCreatedV4", status="failed")
    make_event(other_business, event_type="their_event")
    response = owner_client.get(reverse("webhooks:inbox"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "call_started" in content and "MessageCreatedV4" in content
    assert "their_event" not in content
    assert "1 event failed" in content
    content = owner_client.get(reverse("webhooks:inbox"), {"source": "thumbtack"}).content
    assert b"call_started" not in content and b"MessageCreatedV4" in content
    content = owner_client.get(reverse("webhooks:inbox"), {"status": "processed"}).content
    assert b"call_started" in content and b"MessageCreatedV4" not in content


def test_inbox_empty_state(owner_client, business):
    assert b"Nothing received yet" in owner_client.get(reverse("webhooks:inbox")).content


def test_inbox_queries_are_bounded(owner_client, business, django_assert_max_num_queries):
    lead = Lead.objects.create(business=business, name="L")
    for n in range(40):
        make_event(business, lead=lead, dedupe_key=f"key{n}")
    # session, user, membership+business, failed count, page count, page rows (+lead join)
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("webhooks:inbox"))
    assert len(response.context["page_obj"].object_list) == 25


def test_event_detail_pretty_prints_payload(owner_client, business):
    event = make_event(business, payload=load("retell/call_started.json"))
    response = owner_client.get(reverse("webhooks:event_detail", args=[event.pk]))
    assert response.status_code == 200
    assert b"\n  &quot;event&quot;: &quot;call_started&quot;" in response.content


def test_inbox_is_owner_only(client, member_client, outsider_client, business):
    event = make_event(business, status="failed")
    for url in (reverse("webhooks:inbox"), reverse("webhooks:event_detail", args=[event.pk])):
        assert client.get(url).status_code == 302
        assert member_client.get(url).status_code == 403
    assert outsider_client.get(reverse("webhooks:event_detail", args=[event.pk])).status_code == 404
    replay = reverse("webhooks:event_replay", args=[event.pk])
    assert member_client.post(replay).status_code == 403
    assert outsider_client.post(replay).status_code == 404
    event.refresh_from_db()
    assert event.attempts == 0 and event.status == "failed"


def test_replay_processes_a_failed_event(
    owner_client, business, django_capture_on_commit_callbacks
):
    payload = load("retell/call_analyzed_booking.json")
    payload["call"]["call_analysis"]["custom_analysis_data"]["appointment_booked"] = False
    event = make_event(business, payload=payload, status="failed", error="boom", attempts=1)
    url = reverse("webhooks:event_replay", args=[event.pk])
    assert owner_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.PROCESSED
    assert event.attempts == 2
    assert event.error == ""
    assert event.lead == Lead.objects.get()


def test_processed_event_cannot_be_replayed(
    owner_client, business, django_capture_on_commit_callbacks
):
    event = make_event(business, status="processed", attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("webhooks:event_replay", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.attempts == 1
    assert not Lead.objects.exists()
