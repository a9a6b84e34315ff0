"""Outbound deliveries (the inbox is `webhooks.inbox`)."""

import ipaddress
import json
import logging
import secrets
import socket
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from account.models import Integration

from .models import Delivery

logger = logging.getLogger(__name__)


# --- Outbound deliveries --------------------------------------------------------

TIMEOUT_SECONDS = 10
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
    from .tasks import deliver

    delivery_id = delivery.pk

    def send():
        task = deliver
        if run_after is not None:
            if not task.get_backend().supports_defer:
                # Without a deferring backend, `manage.py webhooks_retry` sends
                # due retries (run it from cron).
                return
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id=delivery_id)

    transaction.on_commit(send)


class UnsafeTarget(Exception):
    pass


def check_target(url):
    """Refuse URLs resolving to loopback, private, link-local or reserved
    addresses, unless INTEGRATIONS_ALLOW_PRIVATE_TARGETS."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("Only http and https URLs can receive events.")
    if settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeTarget(f"The host {parts.hostname} does not resolve.")
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise UnsafeTarget("The target resolves to a private or local address; refused.")


def _sign(integration, message_id, sent_at, body):
    webhook = Webhook(integration.signing_secret)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": webhook.sign(message_id, sent_at, body),
        "content-type": "application/json",
        "user-agent": "Fieldbook-Webhooks/1.0",
    }


def delivery_attempt(*, delivery_id):
    """Send one attempt of a delivery and record its outcome. Returns the
    delivery; `next_attempt_at` is set when another attempt is due."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("integration", "integration__business")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.is_final:
            return delivery
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.save(update_fields=["attempts", "last_attempt_at"])
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
    body = _body(delivery.payload)
    status_code, snippet, error = None, "", ""
    try:
        check_target(integration.url)
        response = requests.post(
            integration.url,
            data=body.encode(),
            headers=_sign(integration, delivery.message_id, timezone.now(), body),
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        status_code = response.status_code
        snippet = response.text[:500]
    except UnsafeTarget as exc:
        error = str(exc)
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: could not reach the target."
    succeeded = status_code is not None and 200 <= status_code < 300
    if status_code is not None and not succeeded:
        error = f"The target answered HTTP {status_code}."
    return _record_outcome(
        delivery_id=delivery.pk,
        succeeded=succeeded,
        status_code=status_code,
        snippet=snippet,
        error=error,
    )


@transaction.atomic
def _record_outcome(*, delivery_id, succeeded, status_code, snippet, error, final=False):
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    integration = Integration.objects.select_for_update().get(pk=delivery.integration_id)
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


def integration_resume(*, integration):
    integration.is_active = True
    integration.paused_at = None
    integration.paused_reason = ""
    integration.consecutive_failures = 0
    integration.save(
        update_fields=[
            "is_active",
            "paused_at",
            "paused_reason",
            "consecutive_failures",
            "updated_at",
        ]
    )
    return integration


def deliveries_due(*, now=None, limit=100):
    """Retries whose time has come (for backends that cannot defer a task)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING],
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
