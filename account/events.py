"""Business events (booking created, invoice paid, ...) for outbound integrations.

Domain services call `emit`; the signal fires only after the surrounding
transaction commits, so receivers never see rolled-back work.
"""

from django.db import models, transaction
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
    transaction.on_commit(
        lambda: business_event.send(
            sender=business.__class__, business=business, event_type=event_type, data=data
        )
    )
