"""Each message as an email: subject, plain text and HTML, in the business's
name, logo, time zone, clock and currency.

`build_*` functions take the objects and return an `Email`; `sample_*`
functions make unsaved examples for the settings preview. Nothing here
sends or writes.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.safestring import mark_safe

from account.logos import document_logo_url
from booking.models import Booking, BookingLine, Invoice, InvoiceStatus
from core.money import format_money
from core.phones import format_phone
from core.time import format_time

from . import texts
from .links import customer_link
from .models import MessageKind

DATE_FORMAT = "l, F j, Y"


@dataclass
class Email:
    kind: str
    to: str
    subject: str
    text: str
    html: str
    content: str = ""  # the HTML body without the document around it (the preview)
    reply_to: list = field(default_factory=list)


def absolute_logo_url(business):
    """The document-sized logo as a full URL (emails are read elsewhere)."""
    url = document_logo_url(business)
    if url and url.startswith("/"):
        url = django_settings.SITE_URL + url
    return url


def local(business, moment):
    return timezone.localtime(moment, business.tzinfo)


def show_date(day):
    return dateformat.format(day, DATE_FORMAT)


def show_time(business, moment):
    return format_time(local(business, moment), hour12=business.uses_12_hour_clock)


def business_values(business, link=""):
    return {
        "business_name": business.name,
        "business_phone": format_phone(business.phone, business),
        "business_email": business.email,
        "link": link,
    }


def booking_values(booking, link=""):
    business = booking.business
    return {
        "customer_name": booking.customer_name,
        "date": show_date(local(business, booking.start)),
        "time": show_time(business, booking.start),
        "service": booking.get_service_type_display(),
        "address": booking.full_address,
        "total": format_money(booking.total, business.currency),
        "booking_id": booking.public_id,
        **business_values(business, link),
    }


def days_overdue(invoice, today):
    return (today - invoice.due_date).days if invoice.due_date else 0


def invoice_values(invoice, today, link=""):
    business = invoice.business
    return {
        "customer_name": invoice.bill_to_name,
        "invoice_number": invoice.label,
        "total": format_money(invoice.total, invoice.currency),
        "amount_due": format_money(invoice.amount_due, invoice.currency),
        "due_date": show_date(invoice.due_date) if invoice.due_date else "",
        "days_overdue": days_overdue(invoice, today),
        **business_values(business, link),
    }


def _render(kind, business, notification_settings, values, to, context):
    subject_text, body_text = texts.words(notification_settings, kind)
    context = {
        "kind": kind,
        "business": business,
        "business_phone": format_phone(business.phone, business),
        "logo_url": absolute_logo_url(business),
        "intro_text": texts.fill(body_text, values),
        "intro_html": texts.fill_html(body_text, values),
        "link": values.get("link", ""),
        "subject": texts.fill_subject(subject_text, values),
        **context,
    }
    with timezone.override(business.tzinfo):
        # Plain str, not SafeString: the preview page must escape the text version.
        text = str.__str__(render_to_string("notify/email/message.txt", context))
        content = render_to_string("notify/email/_content.html", context)
        html = render_to_string("notify/email/message.html", {**context, "content": content})
    return Email(
        kind=kind,
        to=to,
        subject=context["subject"],
        text=text,
        html=html,
        content=mark_safe(content),  # noqa: S308 (rendered with autoescape)
        reply_to=[business.email] if business.email else [],
    )


def booking_context(booking, lines):
    business = booking.business
    return {
        "booking": booking,
        "lines": lines,
        "currency": business.currency,
        "when_date": show_date(local(business, booking.start)),
        "when_time": show_time(business, booking.start),
        "end_time": show_time(business, booking.end),
    }


def build_booking_message(kind, booking, notification_settings, *, lines=None):
    """A confirmation or a reminder of `booking`."""
    link = customer_link(booking)
    if lines is None:
        lines = list(booking.lines.all()) if kind == MessageKind.CONFIRMATION else []
    return _render(
        kind,
        booking.business,
        notification_settings,
        booking_values(booking, link),
        booking.customer_email,
        booking_context(booking, lines),
    )


def build_invoice_reminder(invoice, notification_settings, *, today):
    link = customer_link(invoice)
    return _render(
        MessageKind.INVOICE_OVERDUE,
        invoice.business,
        notification_settings,
        invoice_values(invoice, today, link),
        invoice.bill_to_email,
        {
            "invoice": invoice,
            "currency": invoice.currency,
            "issue_date": show_date(invoice.issue_date) if invoice.issue_date else "",
            "due_date": show_date(invoice.due_date) if invoice.due_date else "",
        },
    )


def build_crew_digest(business, notification_settings, *, to, member_name, day, bookings):
    """The jobs of `day` for one member: times, customers, addresses and
    notes; no prices."""
    jobs = [
        {
            "booking": booking,
            "time": show_time(business, booking.start),
            "end_time": show_time(business, booking.end),
        }
        for booking in bookings
    ]
    values = {
        "member_name": member_name,
        "date": show_date(day),
        "job_count": len(jobs),
        **business_values(business),
    }
    return _render(
        MessageKind.CREW_DIGEST,
        business,
        notification_settings,
        values,
        to,
        {"jobs": jobs, "day": show_date(day)},
    )


# --- Samples for the preview ------------------------------------------------------


def sample_booking(business, *, hour=9, first_name="Jamie", last_name="Smith"):
    tomorrow = business.today() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(hour, 0), tzinfo=business.tzinfo)
    return Booking(
        business=business,
        public_id="BK-SAMPLE",
        customer_first_name=first_name,
        customer_last_name=last_name,
        customer_email="jamie@example.com",
        address="12 Oak St",
        city="Austin",
        state="TX",
        zip_code="78701",
        service_type="standard",
        bedrooms=3,
        bathrooms=Decimal("2"),
        square_feet=1500,
        start=start,
        duration_minutes=180,
        special_requests="Gate code 1234. Please use the side door.",
        subtotal=Decimal("180.00"),
        tax=Decimal("0.00"),
        total=Decimal("180.00"),
    )


def sample_lines():
    return [
        BookingLine(
            description="Standard clean", quantity=1, unit_price=Decimal("150"), amount=150
        ),
        BookingLine(description="Inside fridge", quantity=1, unit_price=Decimal("30"), amount=30),
    ]


def sample_invoice(business):
    today = business.today()
    return Invoice(
        business=business,
        public_id="IN-SAMPLE",
        number="INV-0042",
        status=InvoiceStatus.UNPAID,
        bill_to_name="Jamie Smith",
        bill_to_email="jamie@example.com",
        issue_date=today - dt.timedelta(days=24),
        due_date=today - dt.timedelta(days=10),
        currency=business.currency,
        subtotal=Decimal("180.00"),
        total=Decimal("180.00"),
        amount_paid=Decimal("50.00"),
    )


def sample(kind, business, notification_settings):
    """The message of `kind` with sample data, as the preview shows it."""
    if kind in (MessageKind.CONFIRMATION, MessageKind.REMINDER):
        lines = sample_lines() if kind == MessageKind.CONFIRMATION else []
        return build_booking_message(
            kind, sample_booking(business), notification_settings, lines=lines
        )
    if kind == MessageKind.INVOICE_OVERDUE:
        return build_invoice_reminder(
            sample_invoice(business), notification_settings, today=business.today()
        )
    day = business.today() + dt.timedelta(days=1)
    bookings = [
        sample_booking(business, hour=9),
        sample_booking(business, hour=14, first_name="Alex", last_name="Rivera"),
    ]
    return build_crew_digest(
        business,
        notification_settings,
        to="crew@example.com",
        member_name="Sam",
        day=day,
        bookings=bookings,
    )
