"""How values are shown on pages, in emails and in PDFs: one filter each
(`{% load formats %}`).

- `{{ invoice.total|money:currency }}`: $1,234.50, never broken across lines
- `{{ line.unit_price|rate:currency }}`: $0.125
- `{{ lead.phone|phone:current_business }}`: (512) 555-0143
- `{{ booking.start|clock:current_business }}`: 2:30 PM or 14:30
- `{{ event.received_at|clock_seconds:current_business }}`: 2:30:05 PM or 14:30:05
"""

from django import template
from django.utils.html import format_html

from core.money import format_money, format_rate
from core.phones import format_phone
from core.time import format_time

register = template.Library()


def _amount(text, autoescape):
    if not autoescape or not text:
        return text
    return format_html('<span class="money">{}</span>', text)


@register.filter(needs_autoescape=True)
def money(value, currency=None, autoescape=True):
    """An amount in the currency (`core.money.format_money`). In HTML it is
    wrapped in `<span class="money">`, which never breaks across lines; in
    plain-text templates (autoescape off) it is the bare text."""
    return _amount(format_money(value, currency), autoescape)


@register.filter(needs_autoescape=True)
def rate(value, currency=None, autoescape=True):
    """A unit price: cents, or up to four decimals (`core.money.format_rate`)."""
    return _amount(format_rate(value, currency), autoescape)


@register.filter
def phone(value, business=None):
    """A stored number in the business's national format (international
    for other countries); see `core.phones.format_phone`."""
    return format_phone(value, business)


@register.filter(expects_localtime=True)
def clock(value, business=None):
    """The time of day on the business's clock: "2:30 PM" or "14:30". Aware
    datetimes are shown in the active time zone (the business's), or in the
    zone a `|timezone:` filter put them in."""
    return format_time(value, hour12=getattr(business, "uses_12_hour_clock", True))


@register.filter(expects_localtime=True)
def clock_seconds(value, business=None):
    """Like `clock`, with seconds (logs of deliveries and events)."""
    hour12 = getattr(business, "uses_12_hour_clock", True)
    return format_time(value, hour12=hour12, seconds=True)
