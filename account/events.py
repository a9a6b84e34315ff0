"""Business events (booking created, invoice paid, ...) for outbound integrations.

Domain services call `emit` inside the transaction of the change they
announce, and receivers run there too: what they write (the outbound
`Delivery` rows, a lead's timeline) commits with the change or rolls back
with it, so a crash right after the commit cannot lose it. Anything that
must wait for the commit (sending) is deferred by the receiver itself with
`transaction.on_commit`.
"""

from django.db import models
from django.dispatch import Signal


class BusinessEvent(models.TextChoices):
    """The events a business announces; integrations subscribe to them."""

    BOOKING_CREATED = "booking.created", "Booking created"
    BOOKING_UPDATED = "booking.updated", "Booking updated"
    BOOKING_COMPLETED = "booking.completed", "Booking completed"
    BOOKING_CANCELLED = "booking.cancelled", "Booking cancelled"
    INVOICE_CREATED = "invoice.created", "Invoice created"
    INVOICE_PAID = "invoice.paid", "Invoice paid"
    LEAD_CREATED = "lead.created", "Lead created"


# Sent with business=<Business>, event_type=<BusinessEvent value>, data=<dict>.
business_event = Signal()


def emit(*, business, event_type, data):
    business_event.send(
        sender=business.__class__, business=business, event_type=event_type, data=data
    )
