from django import template

register = template.Library()

SOURCE_ICONS = {
    "manual": "bi-pencil",
    "retell": "bi-telephone",
    "thumbtack": "bi-hand-thumbs-up",
    "other": "bi-three-dots",
}
ACTIVITY_ICONS = {
    "created": "bi-plus-circle",
    "status": "bi-flag",
    "note": "bi-chat-left-text",
    "updated": "bi-pencil",
    "call": "bi-telephone",
    "thumbtack": "bi-hand-thumbs-up",
    "message": "bi-chat-dots",
    "repeat": "bi-arrow-repeat",
    "booking": "bi-calendar-check",
    "booking_skipped": "bi-exclamation-triangle",
}


@register.filter
def source_icon(source):
    return SOURCE_ICONS.get(source, "bi-three-dots")


@register.filter
def activity_icon(kind):
    return ACTIVITY_ICONS.get(kind, "bi-dot")


@register.filter
def duration(seconds):
    """108 -> "1 min 48 s"."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
