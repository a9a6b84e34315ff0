"""Emails of online bookings, to the customer and to the business.

Every email is sent by a background task (`online.tasks`), queued when the
transaction that made the change commits. Emails to the customer carry the
link to their own booking page (`online.links`).

Kinds: "received" (instant booking: confirmation), "requested" (request
received), "confirmed", "declined" to the customer; "business_new" (a new
online booking or request) and "business_change" (the customer rescheduled or
cancelled) to the business.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from . import links

logger = logging.getLogger(__name__)

CUSTOMER_KINDS = {
    "received": "Your booking with {business} is confirmed",
    "requested": "{business} received your booking request",
    "confirmed": "{business} confirmed your booking",
    "declined": "{business} cannot take your booking request",
    "rescheduled": "Your booking with {business} was moved",
    "cancelled": "Your booking with {business} is cancelled",
    "skipped": "Your visit with {business} is skipped",
    "series_ended": "Your recurring visits with {business} are cancelled",
}
BUSINESS_KINDS = {
    "business_new": "New online booking {booking} ({customer})",
    "business_request": "Booking request {booking} ({customer}) waits for you",
    "business_change": "{customer} changed booking {booking}",
}


def queue(booking, kind, detail=""):
    """Send `kind` about `booking` once the current transaction commits."""
    from .tasks import send_booking_email

    booking_id = booking.pk
    transaction.on_commit(
        lambda: send_booking_email.enqueue(booking_id=booking_id, kind=kind, detail=detail)
    )


def send(booking, kind, detail=""):
    business = booking.business
    names = {"business": business.name, "booking": booking.public_id}
    names["customer"] = booking.customer_name
    context = {"booking": booking, "business": business, "detail": detail, "kind": kind}
    if kind in CUSTOMER_KINDS:
        if not booking.customer_email:
            return False
        to = [booking.customer_email]
        subject = CUSTOMER_KINDS[kind].format(**names)
        context["customer_link"] = links.customer_url(booking)
        template = "online/email/customer.txt"
        reply_to = [business.email] if business.email else None
    elif kind in BUSINESS_KINDS:
        if not business.email:
            return False
        to = [business.email]
        subject = BUSINESS_KINDS[kind].format(**names)
        context["booking_url"] = settings.SITE_URL + f"/booking/detail/{booking.public_id}/"
        template = "online/email/business.txt"
        reply_to = [booking.customer_email] if booking.customer_email else None
    else:
        raise ValueError(f"Unknown email kind: {kind!r}")
    message = EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
    )
    message.send()
    logger.info("online email %s sent for booking %s", kind, booking.public_id)
    return True
