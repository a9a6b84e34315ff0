"""Finding what is due and enqueuing it: the scheduler's one pass.

Each kind is one bounded query (at most `limit` rows), narrowed in SQL to
businesses that switched the kind on, customers with an address, and rows
without a finished log entry, then checked in Python against the
business's own times (time zone, reminder time, schedule). The reasons
already in the log are fetched in one query and left out. Enqueuing a
reason twice is harmless: the send claims the reason first (notify/log.py).

A failed send leaves a `failed` row that is not finished: the next pass
enqueues it again, up to `log.MAX_ATTEMPTS` attempts.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from booking.models import OPEN_INVOICE_STATUSES, Booking, BookingStatus, Invoice

from . import crew, log, services
from .models import (
    MAX_HOURS_BEFORE,
    MAX_INVOICE_DAY,
    MessageKind,
    NotificationSettings,
    SentMessage,
)

logger = logging.getLogger(__name__)

BATCH = 500
# A confirmation is enqueued when the booking commits; the pass only picks
# up those still without one this long after (a lost or failed task) ...
CONFIRM_AFTER = dt.timedelta(minutes=2)
# ... and no older than this.
CONFIRM_WITHIN = dt.timedelta(days=1)


@dataclass
class DueResult:
    confirmations: int = 0
    reminders: int = 0
    invoices: int = 0
    crew: int = 0


def _finished(**match):
    return Exists(SentMessage.objects.filter(log.DONE, **match))


def _already_logged(business_reasons):
    """The (business id, reason key) pairs of `business_reasons` whose log
    row is finished (sent, being sent, or out of attempts): one query."""
    if not business_reasons:
        return set()
    keys = {reason for _, reason in business_reasons}
    rows = SentMessage.objects.filter(log.DONE, reason_key__in=keys).values_list(
        "business_id", "reason_key"
    )
    return set(rows)


def due_confirmations(now, limit=BATCH):
    """Booking ids whose confirmation task was lost or failed."""
    return list(
        Booking.objects.filter(
            status=BookingStatus.SCHEDULED,
            start__gt=now,
            created_at__gte=now - CONFIRM_WITHIN,
            created_at__lte=now - CONFIRM_AFTER,
            business__notification_settings__confirmation_enabled=True,
        )
        .exclude(customer_email="")
        .exclude(_finished(booking=OuterRef("pk"), kind=MessageKind.CONFIRMATION))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def due_reminders(now, limit=BATCH):
    """Booking ids whose day-before reminder is due now."""
    candidates = list(
        Booking.objects.filter(
            status=BookingStatus.SCHEDULED,
            start__gt=now,
            start__lte=now + dt.timedelta(hours=max(MAX_HOURS_BEFORE, 48)),
            business__notification_settings__reminder_enabled=True,
        )
        .exclude(customer_email="")
        .exclude(
            _finished(
                booking=OuterRef("pk"), kind=MessageKind.REMINDER, booking_start=OuterRef("start")
            )
        )
        .select_related("business", "business__notification_settings")
        .order_by("start")[:limit]
    )
    due = [
        booking
        for booking in candidates
        if services.reminder_due(booking, booking.business.notification_settings, now)
    ]
    logged = _already_logged([(b.business_id, services.reminder_reason(b)) for b in due])
    return [b.pk for b in due if (b.business_id, services.reminder_reason(b)) not in logged]


def due_invoice_reminders(now, limit=BATCH):
    """(invoice id, step) pairs whose overdue reminder is due now."""
    today = now.date()
    oldest = today - dt.timedelta(days=MAX_INVOICE_DAY + services.INVOICE_GRACE_DAYS + 1)
    candidates = list(
        Invoice.objects.filter(
            status__in=OPEN_INVOICE_STATUSES,
            due_date__lte=today,
            due_date__gte=oldest,
            business__notification_settings__invoice_reminders_enabled=True,
        )
        .exclude(bill_to_email="")
        .exclude(
            _finished(
                invoice=OuterRef("pk"),
                kind=MessageKind.INVOICE_OVERDUE,
                step__gte=OuterRef("business__notification_settings__invoice_last_day"),
            )
        )
        .select_related("business", "business__notification_settings")
        .order_by("due_date", "pk")[:limit]
    )
    due = []
    for invoice in candidates:
        business = invoice.business
        local_today = timezone.localtime(now, business.tzinfo).date()
        step = services.invoice_step_due(invoice, business.notification_settings, local_today)
        if step is not None:
            due.append((invoice, step))
    logged = _already_logged(
        [(invoice.business_id, services.invoice_reason(invoice, step)) for invoice, step in due]
    )
    return [
        (invoice.pk, step)
        for invoice, step in due
        if (invoice.business_id, services.invoice_reason(invoice, step)) not in logged
    ]


def due_crew_digests(now, limit=BATCH):
    """(business id, day, email) of crew emails due now."""
    settings_rows = (
        NotificationSettings.objects.filter(crew_digest_enabled=True)
        .select_related("business")
        .order_by("pk")[:limit]
    )
    due = []
    for notification_settings in settings_rows:
        business = notification_settings.business
        day = services.crew_digest_day(business, notification_settings, now)
        if day is None:
            continue
        for email, jobs in crew.assignments_for_day(business, day):
            if email and jobs:
                due.append((business.pk, day, email))
    logged = _already_logged(
        [(business_id, services.crew_reason(day, email)) for business_id, day, email in due]
    )
    return [
        (business_id, day, email)
        for business_id, day, email in due
        if (business_id, services.crew_reason(day, email)) not in logged
    ]


def enqueue_due(*, now=None, limit=BATCH):
    """Find every due message and enqueue its send. Returns the counts."""
    from . import tasks

    now = now or timezone.now()
    result = DueResult()
    for booking_id in due_confirmations(now, limit):
        tasks.send_confirmation.enqueue(booking_id=booking_id)
        result.confirmations += 1
    for booking_id in due_reminders(now, limit):
        tasks.send_reminder.enqueue(booking_id=booking_id)
        result.reminders += 1
    for invoice_id, step in due_invoice_reminders(now, limit):
        tasks.send_invoice_reminder.enqueue(invoice_id=invoice_id, step=step)
        result.invoices += 1
    for business_id, day, email in due_crew_digests(now, limit):
        tasks.send_crew_digest.enqueue(business_id=business_id, day=day.isoformat(), email=email)
        result.crew += 1
    if result.confirmations or result.reminders or result.invoices or result.crew:
        logger.info(
            "messages enqueued: confirmations=%s reminders=%s invoices=%s crew=%s",
            result.confirmations,
            result.reminders,
            result.invoices,
            result.crew,
        )
    return result
