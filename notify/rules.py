"""Who may receive a customer message: the one place that decides it.

Today a booking or invoice without an email address gets nothing. When
customers have their own record, its "reminders" switch belongs here too,
so every message kind obeys it.
"""

from booking.models import Booking, Invoice


def customer_email(obj):
    """The address a customer message about `obj` (booking or invoice) goes to."""
    if isinstance(obj, Booking):
        return (obj.customer_email or "").strip()
    if isinstance(obj, Invoice):
        return (obj.bill_to_email or "").strip()
    raise TypeError(f"no customer for {type(obj).__name__}")


def customer_allows(obj):
    """Whether the customer of `obj` (a booking or an invoice) may be sent
    reminders and confirmations."""
    return bool(customer_email(obj))
