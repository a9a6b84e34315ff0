"""The words of each message: defaults, the placeholders each kind offers,
and the one safe way to fill them in.

Owners edit a subject and a body per kind with placeholders such as
`{customer_name}`. The text is never run as a template: `fill` replaces
exactly `{name}` for the names the kind offers and leaves every other
character as typed (no attribute or index access, no format specs, no
template tags), so hostile text can only produce more text. In the HTML
version the owner's text and every value are escaped before line breaks
become `<br>`.
"""

import re

from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from .models import MessageKind

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# `{name.attr}`, `{name[0]}`, `{name!r}`, `{name:>9}`: not placeholders here;
# refused by the form so the owner sees the typo instead of a stray brace.
FORMAT_SYNTAX = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*[.\[!:][^{}]*\}")

COMMON = {
    "business_name": "The business's name",
    "business_phone": "The business's phone",
    "business_email": "The business's email",
    "link": "The customer's own page (when available)",
}
BOOKING = {
    "customer_name": "The customer's name",
    "date": "The visit's date, e.g. Monday, November 23",
    "time": "The arrival time on the business's clock",
    "service": "The service, e.g. Deep clean",
    "address": "The service address",
    "total": "The booking's total",
    "booking_id": "The booking's reference",
}
INVOICE = {
    "customer_name": "The name on the invoice",
    "invoice_number": "The invoice number",
    "total": "The invoice total",
    "amount_due": "What is still owed",
    "due_date": "The due date",
    "days_overdue": "Days since the due date",
}
CREW = {
    "member_name": "The crew member's name",
    "date": "Tomorrow's date",
    "job_count": "How many jobs",
}

PLACEHOLDERS = {
    MessageKind.CONFIRMATION: {**BOOKING, **COMMON},
    MessageKind.REMINDER: {**BOOKING, **COMMON},
    MessageKind.INVOICE_OVERDUE: {**INVOICE, **COMMON},
    MessageKind.CREW_DIGEST: {**CREW, **COMMON},
}

DEFAULTS = {
    MessageKind.CONFIRMATION: (
        "Your booking with {business_name} on {date}",
        "Hello {customer_name},\n\n"
        "Thank you for booking with {business_name}. We will arrive on {date} at {time}.\n\n"
        "The details are below. Reply to this email or call us at {business_phone} "
        "if anything needs to change.",
    ),
    MessageKind.REMINDER: (
        "Reminder: {business_name} is coming {date} at {time}",
        "Hello {customer_name},\n\n"
        "A reminder that {business_name} will arrive on {date} at {time} at {address}.\n\n"
        "Need to change something? Reply to this email or call us at {business_phone}.",
    ),
    MessageKind.INVOICE_OVERDUE: (
        "Invoice {invoice_number} from {business_name} is overdue",
        "Hello {customer_name},\n\n"
        "Invoice {invoice_number} was due on {due_date} and {amount_due} is still open. "
        "If you have already paid, thank you, and please ignore this message.\n\n"
        "Questions? Reply to this email or call us at {business_phone}.",
    ),
    MessageKind.CREW_DIGEST: (
        "Your jobs for {date}",
        "Hello {member_name},\n\nYou have {job_count} job(s) on {date}. The list is below.",
    ),
}


def placeholder_names(text):
    return PLACEHOLDER.findall(text or "")


def unknown_placeholders(kind, text):
    """Names in `{…}` that the kind does not offer (in order, each once),
    and placeholders written with format syntax (`{name.attr}`)."""
    known = PLACEHOLDERS[kind]
    seen = FORMAT_SYNTAX.findall(text or "")[:1]
    seen = [match[1:-1] for match in seen]
    for name in placeholder_names(text):
        if name not in known and name not in seen:
            seen.append(name)
    return seen


def fill(text, values):
    """`text` with each `{name}` of `values` replaced by its value; anything
    else (unknown names, stray braces) is left exactly as typed."""

    def replace(match):
        name = match.group(1)
        if name in values:
            return str(values[name])
        return match.group(0)

    return PLACEHOLDER.sub(replace, text or "")


def fill_subject(text, values):
    """A subject is one line: line breaks in the text or values become spaces."""
    return " ".join(fill(text, values).split())[:300]


def fill_html(text, values):
    """The HTML of a body: the text and the values escaped, then paragraphs."""
    escaped = {name: escape(str(value)) for name, value in values.items()}
    return mark_safe(linebreaks(fill(escape(text or ""), escaped)))  # noqa: S308 (escaped above)


def words(settings, kind):
    """(subject, body) of a kind: the business's own, else the defaults."""
    default_subject, default_body = DEFAULTS[kind]
    if settings is None:
        return default_subject, default_body
    subject = getattr(settings, f"{kind}_subject", "") or default_subject
    body = getattr(settings, f"{kind}_body", "") or default_body
    return subject, body
