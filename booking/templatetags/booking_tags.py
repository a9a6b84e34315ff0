from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

SYMBOLS = {
    "USD": "$",
    "CAD": "CA$",
    "EUR": "€",
    "GBP": "£",
    "AUD": "A$",
    "NZD": "NZ$",
    "INR": "₹",
    "MXN": "MX$",
}

BOOKING_BADGES = {"scheduled": "primary", "completed": "success", "cancelled": "secondary"}
INVOICE_BADGES = {
    "draft": "light text-dark border",
    "unpaid": "warning text-dark",
    "partially_paid": "info text-dark",
    "paid": "success",
    "overdue": "danger",
    "void": "secondary",
}


@register.filter
def money(value, currency="USD"):
    """1234.5 -> "$1,234.50" (the currency's symbol, or its code)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    symbol = SYMBOLS.get(currency, f"{currency} ")
    return f"{sign}{symbol}{abs(amount):,.2f}"


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
def rate(value):
    """A unit price: cents, or up to 4 decimals when it has them (0.1250)."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    if amount == amount.quantize(Decimal("0.01")):
        return f"{amount:,.2f}"
    return f"{amount.normalize():,f}"


@register.filter
def booking_badge(status):
    return BOOKING_BADGES.get(status, "secondary")


@register.filter
def invoice_badge(status):
    return INVOICE_BADGES.get(status, "secondary")
