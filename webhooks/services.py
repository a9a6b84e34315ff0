"""The webhook inbox (store, then process). Outbound deliveries: webhooks.outbound."""

import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import retell, thumbtack
from .errors import PayloadError
from .models import WebhookEvent

logger = logging.getLogger(__name__)

RETELL_HANDLED = {"call_started", "call_ended", "call_analyzed"}
THUMBTACK_HANDLED = {thumbtack.NEGOTIATION_CREATED, thumbtack.MESSAGE_CREATED, thumbtack.LEAD_V2}


# --- Inbox ---------------------------------------------------------------------


def retell_dedupe_key(event_type, payload, body):
    call = payload.get("call") if isinstance(payload.get("call"), dict) else {}
    call_id = call.get("call_id")
    if isinstance(call_id, str) and call_id.strip():
        return f"{event_type}:{call_id.strip()}"[:200]
    return "sha256:" + hashlib.sha256(body).hexdigest()


def thumbtack_dedupe_key(event_type, payload, body):
    return thumbtack.dedupe_key_of(event_type, payload) or (
        "sha256:" + hashlib.sha256(body).hexdigest()
    )


def webhook_event_store(*, business, source, event_type, dedupe_key, payload):
    """Store a delivery. Returns (event, is_new): a repeat of an earlier
    delivery is stored as a duplicate of it and is not processed again."""
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                business=business,
                source=source,
                event_type=event_type[:100],
                dedupe_key=dedupe_key,
                payload=payload,
            )
        return event, True
    except IntegrityError:
        original = WebhookEvent.objects.filter(
            business=business, source=source, dedupe_key=dedupe_key, duplicate_of__isnull=True
        ).first()
        if original is None:
            raise
        event = WebhookEvent.objects.create(
            business=business,
            source=source,
            event_type=event_type[:100],
            dedupe_key=dedupe_key,
            payload=payload,
            status=WebhookEvent.Status.DUPLICATE,
            duplicate_of=original,
            processed_at=timezone.now(),
        )
        logger.info(
            "webhook duplicate business=%s source=%s event=%s", business.pk, source, event.pk
        )
        return event, False


def enqueue_processing(event):
    from .tasks import process_webhook_event

    event_id = event.pk
    transaction.on_commit(lambda: process_webhook_event.enqueue(event_id=event_id))


def _handler(event):
    if event.source == WebhookEvent.Source.RETELL:
        if event.event_type == "call_analyzed":
            return retell.process_call_analyzed
        if event.event_type in RETELL_HANDLED:
            return _record_only
        return None
    if event.event_type == thumbtack.NEGOTIATION_CREATED:
        return thumbtack.process_negotiation
    if event.event_type == thumbtack.MESSAGE_CREATED:
        return thumbtack.process_message
    if event.event_type == thumbtack.LEAD_V2:
        return thumbtack.process_lead_v2
    return None


def _record_only(*, business, payload):
    """call_started / call_ended: kept in the inbox; the lead comes with call_analyzed."""
    return None


def webhook_event_process(*, event_id):
    """Process a stored event once. Any failure marks it failed with the
    error (the payload stays) and leaves no partial lead or booking."""
    with transaction.atomic():
        event = (
            WebhookEvent.objects.select_for_update()
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
            if isinstance(exc, PayloadError):
                logger.warning(
                    "webhook event=%s business=%s not processed: %s",
                    event.pk,
                    event.business_id,
                    exc,
                )
            else:
                logger.exception(
                    "webhook processing failed event=%s business=%s", event.pk, event.business_id
                )
            event.status = WebhookEvent.Status.FAILED
            event.error = f"{type(exc).__name__}: {exc}"[:2000]
            event.save(update_fields=["status", "error", "attempts"])
            return event
        event.status = WebhookEvent.Status.PROCESSED
        event.error = ""
        event.processed_at = timezone.now()
        event.lead = lead
        event.save(update_fields=["status", "error", "attempts", "processed_at", "lead"])
        return event


def webhook_event_replay(*, event):
    """Process a failed (or stuck) event again, in the background."""
    if not event.can_replay:
        return False
    enqueue_processing(event)
    return True
