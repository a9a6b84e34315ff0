import datetime as dt

from django.utils import timezone

from booking import services as booking_services
from booking.models import Booking, Invoice
from tests.booking.factories import make_booking


def booking_at(business, start, *, created=None, **fields):
    """A booking starting at `start` (aware), made at `created` (default: a
    week before its start)."""
    booking = make_booking(business, start=start, **fields)
    created = created or start - dt.timedelta(days=7)
    Booking.objects.filter(pk=booking.pk).update(created_at=created)
    booking.refresh_from_db()
    return booking


def overdue_invoice(business, days_overdue, **booking_fields):
    booking = make_booking(business, days=-days_overdue - 14, **booking_fields)
    invoice, _ = booking_services.invoice_create(booking=booking)
    due = business.today() - dt.timedelta(days=days_overdue)
    Invoice.objects.filter(pk=invoice.pk).update(due_date=due)
    invoice.refresh_from_db()
    return invoice


def hours_from_now(hours):
    return timezone.now() + dt.timedelta(hours=hours)
