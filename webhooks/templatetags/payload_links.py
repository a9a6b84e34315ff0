"""Links whose address comes from a webhook payload (Retell recordings, …).

A sender controls these strings, so only absolute `http`/`https` URLs with a
host become links; anything else (`javascript:`, `data:`, relative paths,
malformed text) is shown as plain text. Every template that renders an
address from a payload goes through `{% payload_link %}`.
"""

from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html

register = template.Library()

LINK_SCHEMES = {"http", "https"}
MAX_URL_LENGTH = 2048


def http_url(value):
    """`value` when it is an absolute http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        return None
    # Browsers drop or reinterpret control characters, spaces and
    # backslashes inside URLs; refuse them rather than guess.
    if any(ord(char) <= 0x20 or char in "\\\x7f" for char in url):
        return None
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 (raises ValueError on a malformed port)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return url


@register.filter(name="http_url")
def http_url_filter(value):
    return http_url(value) or ""


@register.simple_tag
def payload_link(value, label, icon="", css_class=""):
    """An external link to `value` when it is a safe http(s) URL; otherwise
    the text of `value` (so the owner still sees what was sent)."""
    url = http_url(value)
    icon_html = format_html('<i class="bi {}"></i> ', icon) if icon else ""
    if url is None:
        if not value:
            return ""
        return format_html(
            '<span class="text-break {}" title="Not a web address">{}</span>', css_class, value
        )
    return format_html(
        '<a class="{}" href="{}" target="_blank" rel="noopener noreferrer">{}{}</a>',
        css_class,
        url,
        icon_html,
        label,
    )
