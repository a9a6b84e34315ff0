import pytest
from django.urls import reverse

from leads.models import Lead
from webhooks.models import WebhookEvent

from .conftest import load, raw

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


# --- repeats --------------------------------------------------------------------------


def test_inbox_shows_how_often_a_delivery_came_again(owner_client, business):
    make_event(business, event_type="call_started", duplicate_count=3)
    make_event(business, event_type="call_ended")
    content = owner_client.get(reverse("webhooks:inbox")).content.decode()
    assert "×4" in content  # delivered four times
    assert content.count("×") == 1
    event = WebhookEvent.objects.get(event_type="call_started")
    content = owner_client.get(reverse("webhooks:event_detail", args=[event.pk])).content
    assert b"Delivered again 3 times" in content


def test_repeat_of_an_unprocessed_event_processes_it(post_retell, business, monkeypatch):
    """The original was stored but its processing never ran (a worker or the
    database was down): the sender's retry gets it processed."""
    from webhooks import inbox

    monkeypatch.setattr(inbox, "enqueue_processing", lambda event: None)
    body = raw("retell/call_analyzed_booking.json")
    assert post_retell(body).status_code == 202
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.RECEIVED
    monkeypatch.undo()
    response = post_retell(body)
    assert response.json() == {"status": "duplicate"}
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.PROCESSED
    assert event.duplicate_count == 1 and event.attempts == 1
    assert event.lead == Lead.objects.get()


def test_repeat_of_a_transient_failure_processes_it_again(post_retell, business, monkeypatch):
    from django.db import OperationalError

    from webhooks import retell

    original = retell.process_call_analyzed

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setitem(retell.HANDLERS, "call_analyzed", locked)
    body = raw("retell/call_analyzed_booking.json")
    post_retell(body)
    event = WebhookEvent.objects.get()
    assert (event.status, event.error_is_transient) == (WebhookEvent.Status.FAILED, True)
    monkeypatch.setitem(retell.HANDLERS, "call_analyzed", original)
    assert post_retell(body).json() == {"status": "duplicate"}
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.PROCESSED
    assert (event.attempts, event.error, event.error_is_transient) == (2, "", False)
    assert Lead.objects.count() == 1


def test_repeat_of_a_payload_failure_is_not_processed_again(post_retell, business):
    payload = {"event": "call_analyzed", "call": {"call_id": ""}}  # no call id: PayloadError
    post_retell(payload)
    event = WebhookEvent.objects.get()
    assert (event.status, event.error_is_transient) == (WebhookEvent.Status.FAILED, False)
    assert post_retell(payload).json() == {"status": "duplicate"}
    event.refresh_from_db()
    assert (event.attempts, event.duplicate_count) == (1, 1)


def test_processed_event_repeated_is_only_counted(post_retell, business):
    body = raw("retell/call_analyzed_booking.json")
    for _ in range(3):
        post_retell(body)
    event = WebhookEvent.objects.get()
    assert (event.attempts, event.duplicate_count) == (1, 2)
    assert Lead.objects.count() == 1


# --- Retell events that repeat within a call -------------------------------------------


def test_transcript_updates_of_one_call_are_each_stored(post_retell, business):
    first = {"event": "transcript_updated", "call": {"call_id": "call_1", "transcript": "Hi"}}
    second = {
        "event": "transcript_updated",
        "call": {"call_id": "call_1", "transcript": "Hi\nHello"},
    }
    assert post_retell(first).status_code == 202
    assert post_retell(second).status_code == 202
    assert post_retell(first).json() == {"status": "duplicate"}  # a true retry
    events = list(WebhookEvent.objects.order_by("pk"))
    assert [e.payload["call"]["transcript"] for e in events] == ["Hi", "Hi\nHello"]
    assert [e.duplicate_count for e in events] == [1, 0]
    assert all(e.dedupe_key.startswith("transcript_updated:call_1:") for e in events)


@pytest.mark.parametrize("event_type", ["transfer_started", "transfer_bridged", "transfer_ended"])
def test_transfer_events_that_repeat_are_stored(post_retell, business, event_type):
    for target in ("+15125550101", "+15125550102"):
        payload = {"event": event_type, "call": {"call_id": "call_1", "transfer_to": target}}
        assert post_retell(payload).status_code == 202
    assert WebhookEvent.objects.count() == 2


def test_once_per_call_events_keep_event_and_call_id(post_retell, business):
    post_retell(raw("retell/call_started.json"))
    payload = load("retell/call_started.json")
    payload["call"]["start_timestamp"] = 1  # the same call started: a retry
    assert post_retell(payload).json() == {"status": "duplicate"}
