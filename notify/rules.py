"""Who may receive a customer message: the one place that decides it.

A booking or invoice without an email address gets nothing, and neither
does a customer whose record has reminders switched off
(`customers.Customer.reminders_enabled`), whatever the message kind.
"""

from booking.models import Booking, Invoice


def customer_email(obj):
    """The address a customer message about `obj` (booking or invoice) goes to."""
    if isinstance(obj, Booking):
        return (obj.customer_email or "").strip()
    if isinstance(obj, Invoice):
        return (obj.bill_to_email or "").strip()
    raise TypeError(f"no customer for {type(obj).__name__}")


def _customer(obj):
    booking = obj if isinstance(obj, Booking) else obj.booking
    return booking.customer if booking.customer_id else None


def customer_allows(obj):
    """Whether the customer of `obj` (a booking or an invoice) may be sent
    reminders and confirmations."""
    if not customer_email(obj):
        return False
    customer = _customer(obj)
    return customer is None or customer.reminders_enabled
