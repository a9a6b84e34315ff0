"""Booking display helpers. Money, phones and times are shown by
`core/templatetags/formats.py`, badge colours by `core/templatetags/badges.py`."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def qty(value):
    """2.00 -> "2", 1.50 -> "1.5", 1500.0000 -> "1,500"."""
    try:
        amount = Decimal(value).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return value
    if amount == amount.to_integral():
        return f"{int(amount):,}"
    return f"{amount:,f}"


@register.filter
def crew_colour(membership):
    """The colour class of a team member on the calendar (`booking.crew.colour`)."""
    from booking.crew import colour

    return colour(membership)
