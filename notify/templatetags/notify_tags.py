"""`{% messages_sent obj as sent %}`: the messages logged for a booking or an
invoice (templates/notify/_messages_sent.html)."""

from django import template

from notify.log import messages_for

register = template.Library()


@register.simple_tag
def messages_sent(obj):
    return messages_for(obj)
