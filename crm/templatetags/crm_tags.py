"""Small helpers of the CRM's templates (`{% load crm_tags %}`)."""

from django import template

register = template.Library()

ICONS = {
    "CALL": "bi-telephone",
    "EMAIL": "bi-envelope",
    "MEETING": "bi-people",
    "VISIT": "bi-geo-alt",
    "ORDER": "bi-bag-check",
    "OTHER": "bi-chat-left-text",
}


@register.filter
def interaction_icon(kind):
    """The Bootstrap icon of an interaction type."""
    return ICONS.get(kind, "bi-dot")
