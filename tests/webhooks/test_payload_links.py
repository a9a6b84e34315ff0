"""Addresses from webhook payloads become links only when they are http(s)."""

import pytest
from django.urls import reverse

from leads.models import Lead
from webhooks.templatetags.payload_links import http_url

from .conftest import load

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "/account/logout/",
    "//evil.example.com/x.wav",
    "https:\\\\evil.example.com\\x.wav",
    "http://",
    "https://user:pass@evil.example.com/x.wav",
    "http://[::1",
    "ftp://files.example.com/x.wav",
]


def _post_call(post_retell, recording_url):
    payload = load("retell/call_analyzed_booking.json")
    payload["call"]["recording_url"] = recording_url
    response = post_retell(payload)
    assert response.status_code < 300
    return Lead.objects.get()


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_recording_url_is_shown_as_text(post_retell, owner_client, value):
    lead = _post_call(post_retell, value)
    response = owner_client.get(reverse("leads:detail", args=[lead.public_id]))
    assert response.status_code == 200
    content = response.content.decode()
    # Neither the call card nor the timeline links to it.
    assert "Listen</a>" not in content
    assert "Recording</a>" not in content
    assert 'href="javascript' not in content.lower()
    assert 'href="data:' not in content
    assert 'title="Not a web address"' in content


def test_https_recording_url_is_a_link(post_retell, owner_client):
    url = "https://recordings.example.com/call_1/recording.wav?sig=a&b=c"
    lead = _post_call(post_retell, url)
    content = owner_client.get(reverse("leads:detail", args=[lead.public_id])).content.decode()
    href = 'href="https://recordings.example.com/call_1/recording.wav?sig=a&amp;b=c"'
    assert content.count(href) == 2  # the call card and the timeline
    assert 'rel="noopener noreferrer"' in content


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("  http://example.com:8080/a  ", "http://example.com:8080/a"),
        ("HTTPS://EXAMPLE.COM/", "HTTPS://EXAMPLE.COM/"),
        ("http://example.com:99999/", None),
        ("mailto:someone@example.com", None),
        ("", None),
        (None, None),
        (42, None),
        ("https://example.com/" + "a" * 3000, None),
    ],
)
def test_http_url_rule(value, expected):
    assert http_url(value) == expected
