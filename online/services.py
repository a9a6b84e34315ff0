"""Writes of the booking page: online bookings, saved progress ("abandoned
bookings" kept as leads), the customer's own changes, and the owner's answer
to a request. Each is atomic and keyword-only."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from booking import series
from booking import services as booking_services
from booking.models import Booking, BookingSource, BookingStatus
from booking.validation import LEAD_REQUEST_KEY
from leads import services as lead_services
from leads.models import Lead

from . import availability, emails
from .choices import ONCE
from .models import RESERVED_SLUGS, BookingMode, BookingPage, CustomerChange, DayLock

logger = logging.getLogger(__name__)

SOURCE = Lead.Source.ONLINE


class SlotTaken(Exception):
    """The chosen arrival window has no capacity left (or is no longer offered)."""


class TooLate(Exception):
    """The booking starts too soon for the customer to change it online."""


def suggested_slug(business):
    base = slugify(business.name)[:50].strip("-") or "book"
    if base in RESERVED_SLUGS:
        base = f"{base}-cleaning"
    slug, n = base, 2
    while BookingPage.objects.filter(slug=slug).exclude(business=business).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def booking_page_for(business):
    """The business's booking page settings (created, switched off, when missing)."""
    page = BookingPage.objects.filter(business=business).first()
    if page is None:
        page = BookingPage.objects.create(business=business, slug=suggested_slug(business))
    page.business = business
    return page


# --- Leads: saved progress and the link of a finished booking -------------------


def _open_lead(business, email):
    return (
        Lead.objects.filter(
            business=business,
            source=SOURCE,
            status__in=Lead.OPEN_STATUSES,
            email__iexact=email,
        )
        .order_by("-created_at")
        .first()
    )


def _lead_name(values):
    name = " ".join(
        str(values.get(key) or "").strip() for key in ("customer_first_name", "customer_last_name")
    ).strip()
    return name or str(values.get("customer_email") or "Online visitor")


@transaction.atomic
def progress_save(*, page, values):
    """Keep what a visitor chose so far on an open lead (source "online")
    matched by email, so the owner can follow up if they leave. `values`
    are raw values keyed like `booking_create`'s arguments (plus "frequency");
    the email must be valid already. Returns the lead."""
    business = page.business
    email = values["customer_email"]
    request = {key: value for key, value in values.items() if value not in (None, "", {})}
    lead = _open_lead(business, email)
    details = {SOURCE: {LEAD_REQUEST_KEY: request, "finished": False}}
    if lead is None:
        lead = lead_services.lead_create(
            business=business,
            name=_lead_name(values),
            email=email,
            phone=values.get("customer_phone") or "",
            service_wanted=str(values.get("service_type") or ""),
            notes="Started a booking on the booking page and has not finished it yet.",
            source=SOURCE,
            details=details,
            activity_message="Started a booking on the booking page.",
        )
        return lead
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    merged = dict(lead.details or {})
    merged[SOURCE] = details[SOURCE]
    lead.details = merged
    lead.name = _lead_name(values)[:200]
    if values.get("customer_phone"):
        lead.phone = values["customer_phone"]
    lead.save(update_fields=["details", "name", "phone", "updated_at"])
    return lead


def _lead_for_booking(page, fields, frequency):
    request = {
        key: (value.isoformat() if hasattr(value, "isoformat") else str(value))
        for key, value in fields.items()
        if key != "addons" and value not in (None, "")
    }
    request["addons"] = fields.get("addons") or {}
    request["frequency"] = frequency
    lead = _open_lead(page.business, fields["customer_email"])
    details = {SOURCE: {LEAD_REQUEST_KEY: request, "finished": True}}
    if lead is None:
        return lead_services.lead_create(
            business=page.business,
            name=_lead_name(fields),
            email=fields["customer_email"],
            phone=fields.get("customer_phone") or "",
            service_wanted=fields["service_type"],
            source=SOURCE,
            details=details,
            activity_message="Booked on the booking page.",
        )
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    lead.details = {**(lead.details or {}), **details}
    lead.save(update_fields=["details", "updated_at"])
    return lead


# --- Online bookings --------------------------------------------------------------


def recent_same_booking(page, *, email, start, within=timedelta(minutes=30)):
    """A live online booking made in the last `within` by the same email for
    the same start: the same form sent again."""
    if not email or start is None:
        return None
    return (
        Booking.objects.filter(
            business=page.business,
            source=BookingSource.ONLINE,
            customer_email__iexact=email,
            start=start,
            status__in=availability.LIVE_STATUSES,
            created_at__gte=timezone.now() - within,
        )
        .order_by("-pk")
        .first()
    )


def lock_day(business, day):
    """Take the business's lock for local `day` until the transaction ends."""
    DayLock.objects.get_or_create(business=business, day=day)
    return DayLock.objects.select_for_update().get(business=business, day=day)


@transaction.atomic
def online_booking_create(*, page, fields, frequency=ONCE, now=None):
    """Book the window `fields["start"]` for a customer of the booking page.

    `fields` are `booking_create`'s keyword arguments as the booking
    validation cleaned them. Under the business's lock for that day, the
    window must still be open (`SlotTaken` otherwise, nothing written). The
    booking is linked to a lead with source "online" (the visitor's saved
    progress when there is one), is scheduled or requested by the page's
    mode, and the customer and the business are emailed after the commit."""
    business = page.business
    start = fields["start"]
    lock_day(business, timezone.localtime(start, business.tzinfo).date())
    if availability.window_at(page, start, now=now) is None:
        raise SlotTaken("That arrival window was just taken. Please choose another.")
    fields = {name: value for name, value in fields.items() if name != "frequency"}
    lead = _lead_for_booking(page, fields, frequency)
    requested = page.mode == BookingMode.REQUEST
    booking = booking_services.booking_create(
        business=business,
        **fields,
        source=BookingSource.ONLINE,
        lead=lead,
        status=BookingStatus.REQUESTED if requested else BookingStatus.SCHEDULED,
        frequency=frequency,
    )
    emails.queue(booking, "requested" if requested else "received")
    emails.queue(booking, "business_request" if requested else "business_new")
    logger.info("online booking %s for business %s", booking.public_id, business.pk)
    return booking


# --- The customer's own changes -----------------------------------------------------


def change_deadline(page, booking):
    return booking.start - timedelta(hours=page.change_cutoff_hours)


def can_change(page, booking, now=None):
    """Whether the customer may still reschedule or cancel online."""
    return booking.is_editable and (now or timezone.now()) < change_deadline(page, booking)


def _record(booking, kind, message):
    CustomerChange.objects.create(
        business=booking.business, booking=booking, kind=kind, message=message[:300]
    )
    emails.queue(booking, "business_change", message)


def _local_text(booking, start):
    local = timezone.localtime(start, booking.business.tzinfo)
    return local.strftime("%a %b %d, %Y %H:%M")


@transaction.atomic
def customer_reschedule(*, page, booking, start, now=None):
    """Move the booking to the open window at `start`, as the customer."""
    if not can_change(page, booking, now):
        raise TooLate("This booking can no longer be changed online.")
    day = timezone.localtime(start, booking.business.tzinfo).date()
    lock_day(booking.business, day)
    if availability.window_at(page, start, now=now, exclude=booking) is None:
        raise SlotTaken("That arrival window is not available. Please choose another.")
    before = booking.start
    message = (
        f"Rescheduled by the customer online: {_local_text(booking, before)} → "
        f"{_local_text(booking, start)}."
    )
    booking = booking_services.booking_reschedule(booking=booking, start=start, note=message)
    _record(booking, CustomerChange.Kind.RESCHEDULED, message)
    emails.queue(booking, "rescheduled")
    return booking


@transaction.atomic
def customer_cancel(*, page, booking, now=None):
    """Cancel a one-time booking, as the customer. A visit of a recurring series
    is skipped or its series stopped instead (`customer_skip`, `customer_end_series`)."""
    if booking.series_id:
        return customer_skip(page=page, booking=booking, now=now)
    if not can_change(page, booking, now):
        raise TooLate("This booking can no longer be cancelled online.")
    booking = booking_services.booking_cancel(booking=booking, reason="by the customer, online")
    _record(
        booking,
        CustomerChange.Kind.CANCELLED,
        f"Cancelled by the customer online (was {_local_text(booking, booking.start)}).",
    )
    emails.queue(booking, "cancelled")
    return booking


def can_change_series(page, booking, now=None):
    """Whether the customer may skip this visit of a recurring series, or stop
    the series, online: the business allows it and the cut-off has not passed."""
    return bool(booking.series_id) and page.allow_series_changes and can_change(page, booking, now)


@transaction.atomic
def customer_skip(*, page, booking, now=None):
    """Skip this visit of the series, as the customer; the later visits stay."""
    if not can_change_series(page, booking, now):
        raise TooLate("This visit can no longer be skipped online.")
    booking = series.visit_skip(booking=booking, reason="by the customer, online")
    _record(
        booking,
        CustomerChange.Kind.SKIPPED,
        f"Visit of {_local_text(booking, booking.start)} skipped by the customer online.",
    )
    emails.queue(booking, "skipped")
    return booking


@transaction.atomic
def customer_end_series(*, page, booking, now=None):
    """Stop the recurring visits from this one on, as the customer: the series
    ends and its future visits are cancelled (`booking.series.series_end`)."""
    if not can_change_series(page, booking, now):
        raise TooLate("These visits can no longer be cancelled online.")
    count = series.series_end(series=booking.series)
    booking.refresh_from_db()
    _record(
        booking,
        CustomerChange.Kind.SERIES_ENDED,
        f"Recurring visits stopped by the customer online from "
        f"{_local_text(booking, booking.start)} ({count} visits cancelled).",
    )
    emails.queue(booking, "series_ended")
    return booking


# --- The owner's answer to a request -------------------------------------------------


@transaction.atomic
def request_confirm(*, booking, user=None):
    booking = booking_services.booking_confirm(booking=booking, user=user)
    emails.queue(booking, "confirmed")
    return booking


@transaction.atomic
def request_decline(*, booking, reason="", user=None):
    booking = booking_services.booking_decline(booking=booking, reason=reason, user=user)
    emails.queue(booking, "declined", reason)
    return booking
