"""The owner's words: placeholders filled safely, hostile text stays text."""

import pytest

from notify import texts
from notify.models import MessageKind

VALUES = {"customer_name": "Jamie <b>Smith</b>", "business_name": "Sparkle & Co", "link": ""}


def test_fill_replaces_known_names_only():
    text = "Hi {customer_name}, from {business_name}. {unknown} {{customer_name}} {"
    assert texts.fill(text, VALUES) == (
        "Hi Jamie <b>Smith</b>, from Sparkle & Co. {unknown} {Jamie <b>Smith</b>} {"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "{customer_name.__class__.__mro__}",
        "{customer_name[0]}",
        "{customer_name!r}",
        "{customer_name:>99999999}",
        "{% load static %}{{ settings.SECRET_KEY }}",
        "{0.__globals__}",
        "{__import__}",
    ],
)
def test_hostile_text_is_left_as_typed(hostile):
    assert texts.fill(hostile, VALUES) == hostile
    assert "&lt;" not in texts.fill_html(hostile, VALUES)  # no tags in, none out


def test_values_are_not_filled_twice():
    assert texts.fill("{customer_name}", {"customer_name": "{business_name}", **{}}) == (
        "{business_name}"
    )


def test_html_escapes_the_text_and_the_values():
    html = texts.fill_html("<script>alert(1)</script>\n\nDear {customer_name}", VALUES)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Jamie &lt;b&gt;Smith&lt;/b&gt;" in html
    assert html.startswith("<p>") and "</p>\n\n<p>" in html


def test_subject_is_one_line():
    assert texts.fill_subject("Hi\r\nBcc: x@example.com {customer_name}", VALUES) == (
        "Hi Bcc: x@example.com Jamie <b>Smith</b>"
    )


def test_unknown_placeholders_per_kind():
    assert texts.unknown_placeholders(MessageKind.CONFIRMATION, "{date} {due_date} {x} {x}") == [
        "due_date",
        "x",
    ]
    assert texts.unknown_placeholders(MessageKind.INVOICE_OVERDUE, "{due_date} {link}") == []


def test_every_default_uses_only_its_placeholders():
    for kind, (subject, body) in texts.DEFAULTS.items():
        assert texts.unknown_placeholders(kind, subject + body) == []
