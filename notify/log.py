"""Sending a message once: claim, send, record.

`claim` inserts the `SentMessage` row for (business, reason key) in its own
transaction before anything is sent. The unique constraint decides which
worker sends: the one whose insert succeeds. The others (a second worker,
a retried or duplicated task) get None and send nothing. A row left
`failed` by an earlier attempt is taken back by one conditional UPDATE
(failed -> sending), so a retry after a failure sends once as well; after
MAX_ATTEMPTS failures it stays failed.

A row stuck in `sending` (the worker died between claiming and recording)
is never sent again automatically: the message may have left, and sending
at most once is the rule.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import SentMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# A reason with a row in one of these states needs no more work.
DONE = Q(status__in=[SentMessage.Status.SENT, SentMessage.Status.SENDING]) | Q(
    attempts__gte=MAX_ATTEMPTS
)


def claim(*, business, kind, reason_key, to, subject="", booking=None, invoice=None, **about):
    """The claimed row, or None when this reason is sent, being sent, or
    out of attempts."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return SentMessage.objects.create(
                business=business,
                kind=kind,
                reason_key=reason_key,
                to=to,
                subject=subject,
                booking=booking,
                invoice=invoice,
                status=SentMessage.Status.SENDING,
                claimed_at=now,
                **about,
            )
    except IntegrityError:
        pass
    retried = SentMessage.objects.filter(
        business=business,
        reason_key=reason_key,
        status=SentMessage.Status.FAILED,
        attempts__lt=MAX_ATTEMPTS,
    ).update(
        status=SentMessage.Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        to=to,
        subject=subject,
        error="",
    )
    if not retried:
        return None
    return SentMessage.objects.get(business=business, reason_key=reason_key)


def failure_reason(exc):
    import smtplib

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the address"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "the mail server refused the app's sign-in"
    if isinstance(exc, OSError):
        return "the mail server could not be reached"
    return "the message could not be sent"


def deliver(message_row, email):
    """Send `email` for the claimed `message_row` and record the outcome.
    Returns True when sent; a failure is recorded (retried by the next
    scheduler run) and not raised."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=email.reply_to or None,
    )
    message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as exc:
        logger.warning(
            "%s message %s failed (attempt %s): %s",
            message_row.kind,
            message_row.pk,
            message_row.attempts,
            type(exc).__name__,
        )
        SentMessage.objects.filter(pk=message_row.pk).update(
            status=SentMessage.Status.FAILED, error=failure_reason(exc), subject=email.subject
        )
        return False
    SentMessage.objects.filter(pk=message_row.pk).update(
        status=SentMessage.Status.SENT, sent_at=timezone.now(), subject=email.subject, error=""
    )
    logger.info("%s message %s sent", message_row.kind, message_row.pk)
    return True


def messages_for(obj):
    """The log shown on a booking or an invoice, newest first."""
    return list(obj.sent_messages.all()[:50])
