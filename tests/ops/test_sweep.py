"""The sweep re-enqueues webhook work that lost its task, and only that;
processing an event twice and attempting a delivery twice are no-ops."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from account.events import BusinessEvent
from leads.models import Lead
from webhooks import inbox, outbound, sweep
from webhooks.models import Delivery, Integration, WebhookEvent

from ..webhooks.conftest import load
from ..webhooks.test_outbound import Receiver


@pytest.fixture
def receiver():
    import threading

    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def integration(business, receiver):
    return Integration.objects.create(
        business=business,
        name="CRM",
        url=receiver.url,
        events=[BusinessEvent.LEAD_CREATED],
    )


def store(business, n=1):
    """An event stored as the endpoint stores it, its task lost."""
    payload = load("thumbtack/negotiation_created.json")
    payload["data"]["negotiationID"] = f"NEG-SWEEP-{n}"
    payload["data"]["customer"]["phone"] = f"+1512200{n:04d}"
    event, _ = inbox.webhook_event_store(
        business=business,
        source=WebhookEvent.Source.THUMBTACK,
        event_type="NegotiationCreatedV4",
        dedupe_key=f"NEG-SWEEP-{n}",
        payload=payload,
    )
    return event


def age(model, pk, field, seconds):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - timedelta(seconds=seconds)})


# --- Immediate backend (cron runs the sweep; the work runs in it) -----------------------


@pytest.mark.django_db
def test_an_event_left_unprocessed_is_processed_by_the_sweep(business, settings):
    settings.WEBHOOK_SWEEP_AFTER = timedelta(minutes=5)
    old, recent = store(business, 1), store(business, 2)
    age(WebhookEvent, old.pk, "received_at", 301)
    assert sweep.sweep().events == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.attempts) == (WebhookEvent.Status.PROCESSED, 1)
    assert recent.status == WebhookEvent.Status.RECEIVED  # may still have its task
    assert Lead.objects.count() == 1
    # Nothing is owed any more.
    assert sweep.sweep().events == 0


@pytest.mark.django_db
def test_processing_an_event_again_is_a_no_op(business):
    event = store(business)
    first = inbox.webhook_event_process(event_id=event.pk)
    second = inbox.webhook_event_process(event_id=event.pk)
    assert (first.status, second.status) == (WebhookEvent.Status.PROCESSED,) * 2
    assert second.attempts == 1
    assert Lead.objects.count() == 1


@pytest.mark.django_db
def test_failed_and_processed_events_are_not_swept(business):
    processed, failed = store(business, 1), store(business, 2)
    inbox.webhook_event_process(event_id=processed.pk)
    WebhookEvent.objects.filter(pk=failed.pk).update(status=WebhookEvent.Status.FAILED)
    for event in (processed, failed):
        age(WebhookEvent, event.pk, "received_at", 3600)
    assert sweep.sweep().events == 0


@pytest.mark.django_db
def test_a_due_delivery_is_sent_by_the_sweep_and_only_once(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    from leads.services import lead_create

    lead_create(business=business, name="Lost task", phone="+15125550120")  # task never runs
    delivery = Delivery.objects.get()
    assert sweep.sweep().deliveries == 1  # cron, immediate backend: sent at once
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 1)
    assert sweep.sweep().deliveries == 0
    assert outbound.delivery_attempt(delivery_id=delivery.pk).attempts == 1
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_a_delivery_attempt_in_flight_holds_a_lease(business, integration, receiver, settings):
    from leads.services import lead_create

    settings.WEBHOOK_SWEEP_AFTER = timedelta(minutes=5)
    lead_create(business=business, name="In flight", phone="+15125550121")
    delivery = Delivery.objects.get()
    # A worker claimed the attempt and died before recording its outcome.
    started = timezone.now() - timedelta(minutes=1)
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=1, last_attempt_at=started, next_attempt_at=started + timedelta(minutes=5)
    )
    # While the lease lasts, another task for it does nothing, nor does the sweep.
    assert outbound.delivery_attempt(delivery_id=delivery.pk).attempts == 1
    assert sweep.sweep().deliveries == 0
    assert receiver.received == []
    # Once it ends, the delivery is due again: sent with the same webhook-id.
    age(Delivery, delivery.pk, "next_attempt_at", 1)
    assert sweep.sweep().deliveries == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 2)
    assert receiver.received[0][0]["webhook-id"] == delivery.message_id


@pytest.mark.django_db
def test_a_retry_is_not_sent_before_its_time(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    from leads.services import lead_create

    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        lead_create(business=business, name="Retry", phone="+15125550122")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    receiver.status = 200
    assert outbound.delivery_attempt(delivery_id=delivery.pk).attempts == 1  # not due
    assert sweep.sweep().deliveries == 0
    age(Delivery, delivery.pk, "next_attempt_at", 1)
    assert sweep.sweep().deliveries == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 2)


@pytest.mark.django_db
def test_the_command_sweeps_and_says_cron_is_needed_without_a_queue(business):
    event = store(business)
    age(WebhookEvent, event.pk, "received_at", 3600)
    out = StringIO()
    call_command("webhooks_sweep", stdout=out)
    assert "1 webhook events and 0 deliveries re-enqueued" in out.getvalue()
    assert "run this command from cron every minute" in out.getvalue()
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.PROCESSED
    # The former name still works.
    out = StringIO()
    call_command("webhooks_retry", stdout=out)
    assert "0 webhook events and 0 deliveries re-enqueued" in out.getvalue()


# --- Database backend (workers run the sweep) -----------------------------------------


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WEBHOOK_SWEEP_AFTER = timedelta(minutes=5)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


def tasks(path=None):
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.all()
    return rows.filter(task_path=path) if path else rows


PROCESS = "webhooks.inbox.process_webhook_event"
DELIVER = "webhooks.outbound.deliver"
SWEEP = "webhooks.sweep.sweep_periodically"


@pytest.mark.django_db(transaction=True)
def test_a_queued_event_is_not_enqueued_again(database_tasks, business):
    from django_tasks_db.compat import TaskResultStatus

    with_task, lost, running, dead = (store(business, n) for n in range(4))
    for event in (with_task, running, dead):
        inbox.process_webhook_event.enqueue(event_id=event.pk)
    for event in (with_task, lost, running, dead):
        age(WebhookEvent, event.pk, "received_at", 3600)
    # `running` was just taken by a worker; `dead`'s worker was killed long ago.
    now = timezone.now()
    for event, started in ((running, now), (dead, now - timedelta(minutes=6))):
        tasks(PROCESS).filter(args_kwargs__kwargs__event_id=event.pk).update(
            status=TaskResultStatus.RUNNING, started_at=started
        )
    assert sweep.sweep().events == 2  # lost and dead
    queued = tasks(PROCESS).filter(status=TaskResultStatus.READY)
    assert sorted(queued.values_list("args_kwargs__kwargs__event_id", flat=True)) == sorted(
        [with_task.pk, lost.pk, dead.pk]
    )
    assert sweep.sweep().events == 0  # now queued
    run_worker()
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {
        WebhookEvent.Status.PROCESSED,
        WebhookEvent.Status.RECEIVED,  # `running` (its worker is still on it)
    }
    assert Lead.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_new_delivery_is_given_time_for_its_task(database_tasks, business, integration):
    from leads.services import lead_create

    lead_create(business=business, name="Queued", phone="+15125550123")
    assert tasks(DELIVER).count() == 1
    delivery = Delivery.objects.get()
    assert sweep.sweep().deliveries == 0  # its task is queued
    tasks(DELIVER).delete()  # the queue lost it
    assert sweep.sweep().deliveries == 0  # it may still be on its way
    age(Delivery, delivery.pk, "next_attempt_at", 301)
    assert sweep.sweep().deliveries == 1
    assert tasks(DELIVER).count() == 1
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_the_periodic_sweep_schedules_itself_once(database_tasks, business):
    from django_tasks_db.compat import TaskResultStatus

    assert sweep.schedule_next_sweep() is True
    assert sweep.schedule_next_sweep() is False  # already queued
    task = tasks(SWEEP).get()
    assert task.run_after > timezone.now()
    out = StringIO()
    call_command("webhooks_sweep", stdout=out)
    assert "Periodic sweep already scheduled" in out.getvalue()
    # When it runs, it schedules the next run first, then sweeps.
    event = store(business)
    age(WebhookEvent, event.pk, "received_at", 3600)
    tasks(SWEEP).update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    assert tasks(SWEEP).filter(status=TaskResultStatus.SUCCESSFUL).get().return_value == {
        "events": 1,
        "deliveries": 0,
    }
    assert tasks(SWEEP).filter(status=TaskResultStatus.READY).count() == 1
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.PROCESSED


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
def test_an_event_being_processed_is_skipped(database_tasks, business):
    """Its row is locked by the worker processing it (PostgreSQL row locks)."""
    import threading

    from django.db import connections, transaction

    if connections["default"].vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    event = store(business)
    age(WebhookEvent, event.pk, "received_at", 3600)
    locked, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                WebhookEvent.objects.select_for_update().get(pk=event.pk)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert locked.wait(30)
        assert sweep.sweep().events == 0
    finally:
        release.set()
        thread.join()
    assert sweep.sweep().events == 1
