"""The search term of every list: read once, here."""

from django import forms

MAX_LENGTH = 200


def clean_search_term(value):
    """The term as typed, with NUL and other control characters turned into
    spaces (a database refuses NUL), trimmed and cut to 200 characters."""
    value = "".join(ch if ch.isprintable() else " " for ch in str(value or ""))
    return value.strip()[:MAX_LENGTH]


class SearchField(forms.CharField):
    """A list's search box: never invalid, only cleaned (`clean_search_term`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Search")
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_search_term(super().to_python(value))
