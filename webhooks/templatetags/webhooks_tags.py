from django import template

register = template.Library()

EVENT_CLASSES = {
    "received": "text-bg-info",
    "processed": "text-bg-success",
    "failed": "text-bg-danger",
    "ignored": "text-bg-secondary",
    "duplicate": "text-bg-light border",
}
DELIVERY_CLASSES = {
    "pending": "text-bg-info",
    "retrying": "text-bg-warning",
    "succeeded": "text-bg-success",
    "failed": "text-bg-danger",
}


@register.filter
def event_status_class(status):
    return EVENT_CLASSES.get(status, "text-bg-light")


@register.filter
def delivery_status_class(status):
    return DELIVERY_CLASSES.get(status, "text-bg-light")
