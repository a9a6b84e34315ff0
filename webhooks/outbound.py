"""Outbound webhooks: integrations and the deliveries of business events to them.

A business event (`account.events.business_event`) becomes one `Delivery`
per active, subscribed integration, written in the transaction of the
change. The `deliver` task sends it after the transaction commits: JSON
signed per Standard Webhooks, to an address vetted by `webhooks.targets`,
retried for about an hour; an integration whose deliveries keep failing is
paused until its owner resumes it.

The `Delivery` row, not the queue, says what is owed. An attempt runs only
when the delivery is due (`next_attempt_at` has come) and claims it by
moving `next_attempt_at` past the attempt's lease (SWEEP_AFTER): a second
task for the same delivery does nothing meanwhile, and an attempt whose
worker died is due again when the lease ends, for the sweep
(`webhooks.sweep`) to re-enqueue. Sending is at least once: a worker can die
after the target received the request and before the outcome is recorded,
so receivers dedupe by the `webhook-id` header (the same for every attempt).
"""

import json
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from standardwebhooks.webhooks import Webhook
from urllib3.exceptions import HTTPError

from . import targets
from .models import Delivery, Integration, new_signing_secret

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# Machines' clocks differ a little: a delivery due this much later counts as due.
CLOCK_TOLERANCE = timedelta(seconds=15)
# Waits before attempts 2, 3, ...: six attempts over about an hour.
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=8),
    timedelta(minutes=20),
    timedelta(minutes=30),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
PAUSE_AFTER_FAILED_DELIVERIES = 10
TEST_EVENT = "integration.test"
SNIPPET_LENGTH = 500


# --- Integrations -------------------------------------------------------------------


def integration_save(*, integration):
    """Save an integration as its owner edited it. Saving a paused
    integration as active resumes it, as the Resume button does."""
    if integration.is_active and integration.paused_at is not None:
        _clear_pause(integration)
    integration.save()
    return integration


def integration_regenerate_secret(*, integration):
    integration.signing_secret = new_signing_secret()
    integration.save(update_fields=["signing_secret", "updated_at"])
    logger.info("integration secret regenerated integration=%s", integration.pk)
    return integration


def integration_resume(*, integration):
    fields = _clear_pause(integration)
    integration.save(update_fields=[*fields, "updated_at"])
    logger.info("integration resumed integration=%s", integration.pk)
    return integration


def _clear_pause(integration):
    """Switch a paused integration back on with a clean failure count.
    Returns the fields it changed."""
    integration.is_active = True
    integration.paused_at = None
    integration.paused_reason = ""
    integration.consecutive_failures = 0
    return ["is_active", "paused_at", "paused_reason", "consecutive_failures"]


def _count_failed_delivery(integration, error):
    integration.consecutive_failures += 1
    fields = ["consecutive_failures", "updated_at"]
    if (
        integration.consecutive_failures >= PAUSE_AFTER_FAILED_DELIVERIES
        and integration.paused_at is None
    ):
        integration.paused_at = timezone.now()
        integration.is_active = False
        integration.paused_reason = (
            f"{integration.consecutive_failures} deliveries in a row failed "
            f"(last: {error or 'no answer'})"
        )[:255]
        fields += ["paused_at", "is_active", "paused_reason"]
        logger.warning("integration paused integration=%s", integration.pk)
    integration.save(update_fields=fields)


# --- Deliveries ---------------------------------------------------------------------


def retry_delay(attempts):
    """The wait before the next attempt after `attempts` failed ones, or
    None when the delivery has had all its attempts."""
    if attempts < 1 or attempts > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[attempts - 1]


def _body(payload):
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str)


def deliveries_create(*, business, event_type, data, integrations=None):
    """A delivery for each active integration of `business` subscribed to
    `event_type`, sent by a task after the transaction commits."""
    if integrations is None:
        candidates = Integration.objects.filter(
            business=business, is_active=True, paused_at__isnull=True
        )
        integrations = [i for i in candidates if i.subscribes_to(event_type)]
    payload = {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}
    deliveries = []
    for integration in integrations:
        deliveries.append(
            Delivery.objects.create(
                business=business,
                integration=integration,
                message_id="msg_" + secrets.token_hex(12),
                event_type=event_type,
                payload=payload,
                next_attempt_at=timezone.now(),
            )
        )
    for delivery in deliveries:
        enqueue_delivery(delivery)
    return deliveries


def delivery_send_test(*, integration):
    data = {
        "message": "Test event from Fieldbook.",
        "integration": integration.name,
        "business": integration.business.name,
    }
    return deliveries_create(
        business=integration.business,
        event_type=TEST_EVENT,
        data=data,
        integrations=[integration],
    )[0]


def enqueue_delivery(delivery, run_after=None):
    delivery_id = delivery.pk

    def send():
        job = deliver
        if run_after is not None:
            if not job.get_backend().supports_defer:
                # Without a deferring backend, `manage.py webhooks_sweep` sends
                # due retries (run it from cron).
                return
            job = job.using(run_after=run_after)
        job.enqueue(delivery_id=delivery_id)

    transaction.on_commit(send)


def _sign(integration, message_id, sent_at, body):
    webhook = Webhook(integration.signing_secret)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": webhook.sign(message_id, sent_at, body),
        "content-type": "application/json",
        "user-agent": "Fieldbook-Webhooks/1.0",
    }


def _send(integration, delivery):
    """Send one attempt. Returns (HTTP status or None, response snippet, error)."""
    body = _body(delivery.payload)
    try:
        target = targets.parse_target(integration.url)
        addresses = targets.vetted_addresses(target)
        status_code, snippet = targets.post(
            target,
            addresses,
            body=body.encode(),
            headers=_sign(integration, delivery.message_id, timezone.now(), body),
            timeout=TIMEOUT_SECONDS,
        )
    except targets.UnsafeTarget as exc:
        logger.warning("delivery refused delivery=%s: %s", delivery.pk, exc)
        return None, "", f"Refused, not sent: {exc}"
    except (HTTPError, OSError) as exc:
        return None, "", f"{type(exc).__name__}: could not reach the target."
    if not 200 <= status_code < 300:
        return status_code, snippet, f"The target answered HTTP {status_code}."
    return status_code, snippet, ""


def delivery_attempt(*, delivery_id):
    """Send one attempt of a delivery and record its outcome. Returns the
    delivery; `next_attempt_at` is set when another attempt is due."""
    with transaction.atomic():
        delivery = (
            # Only the delivery's row (not its integration and business,
            # which concurrent inserts reference: that would deadlock).
            Delivery.objects.select_for_update(of=("self",), no_key=True)
            .select_related("integration", "integration__business")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.is_final:
            return delivery
        now = timezone.now()
        if delivery.next_attempt_at and delivery.next_attempt_at > now + CLOCK_TOLERANCE:
            # Not due: another attempt holds it, or its retry comes later.
            return delivery
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + settings.WEBHOOK_SWEEP_AFTER  # the attempt's lease
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    integration = delivery.integration
    if integration.paused_at is not None and delivery.event_type != TEST_EVENT:
        return _record_outcome(
            delivery_id=delivery.pk,
            succeeded=False,
            status_code=None,
            snippet="",
            error="Not sent: the integration is paused.",
            final=True,
        )
    status_code, snippet, error = _send(integration, delivery)
    return _record_outcome(
        delivery_id=delivery.pk,
        succeeded=not error,
        status_code=status_code,
        snippet=snippet[:SNIPPET_LENGTH],
        error=error,
    )


@transaction.atomic
def _record_outcome(*, delivery_id, succeeded, status_code, snippet, error, final=False):
    delivery = Delivery.objects.select_for_update(no_key=True).get(pk=delivery_id)
    # NO KEY UPDATE: deliveries being written for this integration (which
    # reference it) do not have to wait for this, nor this for them.
    integration = Integration.objects.select_for_update(no_key=True).get(pk=delivery.integration_id)
    delivery.response_status = status_code
    delivery.response_snippet = snippet
    delivery.error = error[:500]
    if succeeded:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.next_attempt_at = None
        if integration.consecutive_failures:
            integration.consecutive_failures = 0
            integration.save(update_fields=["consecutive_failures", "updated_at"])
    elif final:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delay = retry_delay(delivery.attempts)
        if delay is not None and delivery.event_type != TEST_EVENT:
            delivery.status = Delivery.Status.RETRYING
            delivery.next_attempt_at = timezone.now() + delay
            enqueue_delivery(delivery, run_after=delivery.next_attempt_at)
        else:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
            if delivery.event_type != TEST_EVENT:
                _count_failed_delivery(integration, error)
    delivery.save()
    logger.info(
        "delivery attempt delivery=%s integration=%s attempt=%s status=%s result=%s",
        delivery.pk,
        integration.pk,
        delivery.attempts,
        status_code,
        delivery.status,
    )
    return delivery


def deliveries_due(*, now=None):
    """Deliveries whose attempt is due: never sent, retries whose time has
    come, and attempts whose lease ended without an outcome (the worker
    died). The sweep re-enqueues those that no task is queued for."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING],
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at")


@task()
def deliver(delivery_id):
    """Background task: one attempt of a delivery."""
    delivery = delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None
