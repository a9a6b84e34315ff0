"""Status badge colours, for every kind of status, in one place
(`{% load badges %}`).

- `<span class="badge {{ booking.status|badge:'booking' }}">`: text-bg-primary
- `<a class="border-{{ booking.status|badge_colour:'booking' }}">`: border-primary
"""

from django import template

register = template.Library()

# kind -> status -> Bootstrap colour
COLOURS = {
    "booking": {
        "requested": "warning",
        "scheduled": "primary",
        "completed": "success",
        "cancelled": "secondary",
        "skipped": "warning",
    },
    "series": {"active": "primary", "paused": "warning", "ended": "secondary"},
    "invoice": {
        "draft": "light",
        "unpaid": "warning",
        "partially_paid": "info",
        "paid": "success",
        "overdue": "danger",
        "void": "secondary",
    },
    "lead": {
        "new": "primary",
        "contacted": "info",
        "qualified": "warning",
        "converted": "success",
        "lost": "secondary",
    },
    "restaurant": {
        "NEW": "light",
        "CONTACTED": "primary",
        "QUALIFIED": "info",
        "NEGOTIATION": "warning",
        "CONVERTED": "success",
        "LOST": "secondary",
    },
    "call": {"overdue": "danger", "today": "warning"},
    "performance": {"under": "danger", "well": "success", "steady": "secondary", "new": "info"},
    "webhook_event": {
        "received": "info",
        "processed": "success",
        "failed": "danger",
        "ignored": "secondary",
        "duplicate": "light",
    },
    "delivery": {
        "pending": "info",
        "retrying": "warning",
        "succeeded": "success",
        "failed": "danger",
    },
}
DEFAULT_COLOUR = "light"


@register.filter
def badge_colour(status, kind):
    """The Bootstrap colour of `status` of `kind` ("primary", "danger", …)."""
    return COLOURS.get(kind, {}).get(status, DEFAULT_COLOUR)


@register.filter
def badge(status, kind):
    """The classes of a badge for `status` of `kind` ("text-bg-success")."""
    colour = badge_colour(status, kind)
    return "text-bg-light border" if colour == "light" else f"text-bg-{colour}"
