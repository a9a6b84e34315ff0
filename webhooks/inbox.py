"""The inbox of inbound webhooks (Retell, Thumbtack): every delivery is
stored before anything can fail, then processed by a background task.

    decode → store (or count a repeat on the original) → enqueue → process

- `decode`: strict JSON (`config.parsers.loads`: UTF-8, finite numbers, at
  most 64 levels deep), an object at the top, NUL characters and lone
  surrogates removed so that any database can store it.
- `dedupe_key_for`: what identifies one delivery (Retell: event + call id,
  plus a hash of the body for events that repeat within a call; Thumbtack:
  negotiation or message id); ids too long for the column are hashed.
- `webhook_event_store`: the one create-or-repeat branch. A repeat is
  counted on the original (`duplicate_count`, `last_duplicate_at`), and
  when the original is not processed yet (or failed for a transient reason)
  it is processed now.
- `webhook_event_process` (the `process_webhook_event` task): runs the
  sender's handler once, atomically; a failure marks the event failed with
  the error and keeps the payload for a replay.

The inbox, not the task queue, is the source of truth. Processing claims an
event by locking its row (`SELECT … FOR UPDATE`) for the one transaction
that writes the lead, the booking, the outbound deliveries and the event's
new status: a second worker given the same event waits, then finds it
processed and does nothing; a worker that dies mid-way (even SIGKILL) has its
transaction rolled back and its lock released by PostgreSQL at once, leaving
the event `received` with nothing half-written and `attempts` unchanged. The
sweep (`webhooks.sweep`) re-enqueues events still `received` a while after
they arrived when no task for them is queued (`webhook_events_unprocessed`).

Each sender only declares how to read its payloads: `event_type_of`,
`dedupe_parts` and its `HANDLERS` (event type → service call) in
`webhooks.retell` and `webhooks.thumbtack`."""

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from config.parsers import JSONBodyError, loads

from . import retell, thumbtack
from .errors import PayloadError
from .models import WebhookEvent
from .payloads import clean_json, clean_text

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
DEDUPE_KEY_LENGTH = WebhookEvent._meta.get_field("dedupe_key").max_length
EVENT_TYPE_LENGTH = WebhookEvent._meta.get_field("event_type").max_length


class Rejected(Exception):
    """A delivery refused before it is stored (answered 400 with `reason`)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sender:
    """How the inbox reads one sender's deliveries."""

    event_type_of: object  # payload -> event type ("" when it has none)
    dedupe_parts: object  # (event type, payload) -> tuple of key parts, or None
    handlers: dict  # event type -> handler(business=, payload=) -> lead or None
    event_type_required: bool


SENDERS = {
    WebhookEvent.Source.RETELL: Sender(
        retell.event_type_of, retell.dedupe_parts, retell.HANDLERS, event_type_required=True
    ),
    WebhookEvent.Source.THUMBTACK: Sender(
        thumbtack.event_type_of,
        thumbtack.dedupe_parts,
        thumbtack.HANDLERS,
        event_type_required=False,
    ),
}


def decode(body):
    """The payload of a raw body, ready to store; Rejected when it is not a
    JSON object this inbox accepts."""
    try:
        payload = loads(body)
    except JSONBodyError as exc:
        raise Rejected(f"invalid JSON: {exc}")
    if not isinstance(payload, dict):
        raise Rejected("invalid JSON: the body must be a JSON object")
    return clean_json(payload)


def _digest(text):
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def body_key(payload):
    """A key for a delivery without an id of its own: the hash of its content."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + _digest(canonical)


def dedupe_key(parts):
    """`part:part:…`; when that is longer than the column, the first part
    and a hash of the whole (so over-long ids still identify a delivery)."""
    joined = ":".join(parts)
    if len(joined) <= DEDUPE_KEY_LENGTH:
        return joined
    return f"{parts[0][:60]}:sha256:{_digest(joined)}"


def dedupe_key_for(source, event_type, payload):
    parts = SENDERS[source].dedupe_parts(event_type, payload)
    return dedupe_key(parts) if parts else body_key(payload)


def webhook_event_store(*, business, source, event_type, dedupe_key, payload):
    """Store a delivery. Returns (event, is_new): a repeat of a stored
    delivery is counted on the original, which is returned."""
    for _ in range(3):
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(
                    business=business,
                    source=source,
                    event_type=clean_text(event_type)[:EVENT_TYPE_LENGTH],
                    dedupe_key=dedupe_key,
                    payload=payload,
                )
            return event, True
        except IntegrityError:
            pass
        with transaction.atomic():
            repeats = WebhookEvent.objects.filter(
                business=business, source=source, dedupe_key=dedupe_key
            )
            if repeats.update(
                duplicate_count=F("duplicate_count") + 1, last_duplicate_at=timezone.now()
            ):
                original = repeats.get()
                logger.info(
                    "webhook repeat business=%s source=%s event=%s count=%s",
                    business.pk,
                    source,
                    original.pk,
                    original.duplicate_count,
                )
                return original, False
        # The original was rolled back in the meantime: store this one.
    raise IntegrityError("The delivery could be neither stored nor matched.")


def webhook_event_receive(*, business, source, payload):
    """Store a decoded delivery and have it processed. Returns "received"
    for a new delivery, "duplicate" for a repeat (which is processed only
    when its original still awaits processing)."""
    sender = SENDERS[source]
    event_type = sender.event_type_of(payload)
    if not event_type and sender.event_type_required:
        raise Rejected("missing event")
    event, is_new = webhook_event_store(
        business=business,
        source=source,
        event_type=event_type,
        dedupe_key=dedupe_key_for(source, event_type, payload),
        payload=payload,
    )
    if is_new or event.awaits_processing:
        enqueue_processing(event)
    return "received" if is_new else "duplicate"


def enqueue_processing(event):
    """Process `event` in the background once the current transaction commits.
    A queue that cannot take it leaves it received: a repeat or a replay
    processes it."""
    event_id = event.pk
    transaction.on_commit(lambda: process_webhook_event.enqueue(event_id=event_id), robust=True)


def _handler(event):
    sender = SENDERS.get(event.source)
    return sender.handlers.get(event.event_type) if sender else None


def webhook_event_process(*, event_id):
    """Process a stored event once. Any failure marks it failed with the
    error (the payload stays) and leaves no partial lead or booking. The row
    lock taken here is the claim: it lasts exactly as long as the
    transaction that processes the event."""
    with transaction.atomic():
        event = (
            # Only the event's row: locking its business too would make every
            # event of one business wait for the others (and deadlock with
            # the rows the handlers insert, which reference the business).
            WebhookEvent.objects.select_for_update(of=("self",), no_key=True)
            .select_related("business")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.status not in (
            WebhookEvent.Status.RECEIVED,
            WebhookEvent.Status.FAILED,
        ):
            return event
        event.attempts += 1
        handler = _handler(event)
        if handler is None:
            event.status = WebhookEvent.Status.IGNORED
            event.error = ""
            event.processed_at = timezone.now()
            event.save(update_fields=["status", "error", "attempts", "processed_at"])
            return event
        try:
            with transaction.atomic():
                lead = handler(business=event.business, payload=event.payload)
        except Exception as exc:
            transient = not isinstance(exc, PayloadError)
            if transient:
                logger.exception(
                    "webhook processing failed event=%s business=%s", event.pk, event.business_id
                )
            else:
                logger.warning(
                    "webhook event=%s business=%s not processed: %s",
                    event.pk,
                    event.business_id,
                    exc,
                )
            event.status = WebhookEvent.Status.FAILED
            event.error = f"{type(exc).__name__}: {exc}"[:2000]
            event.error_is_transient = transient
            event.save(update_fields=["status", "error", "error_is_transient", "attempts"])
            return event
        event.status = WebhookEvent.Status.PROCESSED
        event.error = ""
        event.error_is_transient = False
        event.processed_at = timezone.now()
        event.lead = lead
        event.save(
            update_fields=[
                "status",
                "error",
                "error_is_transient",
                "attempts",
                "processed_at",
                "lead",
            ]
        )
        return event


def webhook_events_unprocessed(*, received_before):
    """Events still waiting to be processed that arrived before
    `received_before` (a partial index keeps this cheap)."""
    return WebhookEvent.objects.filter(
        status=WebhookEvent.Status.RECEIVED, received_at__lt=received_before
    ).order_by("received_at")


def webhook_event_replay(*, event):
    """Process a failed (or stuck) event again, in the background."""
    if not event.can_replay:
        return False
    enqueue_processing(event)
    return True


@task()
def process_webhook_event(event_id):
    event = webhook_event_process(event_id=event_id)
    return event.status if event else None
