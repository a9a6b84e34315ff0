from django import template

register = template.Library()

STATUS_CLASSES = {
    "new": "text-bg-primary",
    "contacted": "text-bg-info",
    "qualified": "text-bg-warning",
    "converted": "text-bg-success",
    "lost": "text-bg-secondary",
}
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
def status_class(status):
    return STATUS_CLASSES.get(status, "text-bg-light")


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


@register.filter
def phone(value, business=None):
    """+15125550143 -> "(512) 555-0143" in the business's own country,
    international format otherwise."""
    import phonenumbers

    from leads.phones import default_region

    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    if phonenumbers.region_code_for_number(number) == default_region(business):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
