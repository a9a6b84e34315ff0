"""Display helpers of the webhooks pages. Status badge colours are in
`core/templatetags/badges.py`."""

from django import template

register = template.Library()
