"""Writes for bookings, invoices and payments. Each is atomic and keyword-only."""

import logging
from datetime import UTC, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from account.models import RECURRING_FREQUENCIES, ServiceFrequency
from config.ids import create_with_public_id
from core.money import format_money
from customers.services import customer_address_match, customer_match

from . import pricing
from .events import emit_booking, emit_invoice
from .models import (
    OPEN_INVOICE_STATUSES,
    Booking,
    BookingNote,
    BookingSource,
    BookingStatus,
    Invoice,
    InvoiceCounter,
    InvoiceStatus,
    Payment,
    PaymentKind,
    SeriesStatus,
)
from .validation import validate_booking

logger = logging.getLogger(__name__)

BOOKING_ID_PREFIX = "BK"
INVOICE_ID_PREFIX = "IV"


class BookingError(Exception):
    """A booking or invoice action that is not allowed in the current state;
    the message is meant for the user."""


class ConfirmationNeeded(BookingError):
    """The action is allowed, but only once the user confirms it."""


# --- Bookings -------------------------------------------------------------------


def _note(booking, message, user=None):
    BookingNote.objects.create(booking=booking, message=message[:500], user=user)


def _price(booking_or_invoice, amount):
    """An amount of a booking or invoice, as the business shows money."""
    return format_money(amount, booking_or_invoice.business.currency)


def _line_value(line, name, default=None):
    return line.get(name, default) if isinstance(line, dict) else getattr(line, name, default)


def replace_lines(owner, lines):
    """The one builder of priced lines: replace the lines of `owner` (a booking
    or an invoice) with `lines`, in order. Each line is a quote line, a stored
    line or a dict with a description, quantity and unit price; its amount is
    kept when it has one, else computed (rounded half-up to cents)."""
    model = owner.lines.model
    owner_field = owner.lines.field.name
    extra = [name for name in ("kind", "key") if hasattr(model, name)]
    owner.lines.all().delete()
    rows = []
    for position, line in enumerate(lines):
        quantity = _line_value(line, "quantity")
        unit_price = _line_value(line, "unit_price")
        amount = _line_value(line, "amount")
        values = {
            owner_field: owner,
            "position": position,
            "description": _line_value(line, "description"),
            "quantity": quantity,
            "unit_price": unit_price,
            "amount": pricing.money(quantity * unit_price) if amount is None else amount,
        }
        values.update({name: _line_value(line, name, "") for name in extra})
        rows.append(model(**values))
    model.objects.bulk_create(rows)


def _apply_quote(booking, quote):
    """A re-priced booking keeps the deposit it was booked with (at most its total)."""
    booking.subtotal = quote.subtotal
    booking.tax_rate = quote.tax_rate
    booking.tax = quote.tax
    booking.total = quote.total
    booking.deposit = min(booking.deposit, quote.total)


def booking_frequency(booking):
    """The frequency a booking is priced with: its series', else one time."""
    return booking.series.frequency if booking.series_id else ServiceFrequency.ONE_TIME


def booking_addon_quantities(booking):
    """{add-on key: quantity} of a booking's snapshot (for the edit form)."""
    return {line.key: int(line.quantity) for line in booking.lines.all() if line.kind == "addon"}


@transaction.atomic
def booking_create(
    *,
    business,
    customer_first_name,
    customer_last_name,
    customer_email="",
    customer_phone="",
    customer_company="",
    address,
    city="",
    state="",
    zip_code="",
    service_type,
    bedrooms,
    bathrooms,
    square_feet,
    start,
    duration_minutes=None,
    addons=None,
    special_requests="",
    source=BookingSource.MANUAL,
    lead=None,
    customer=None,
    service_address=None,
    created_by=None,
    frequency=ServiceFrequency.ONE_TIME,
    series=None,
    occurrence_date=None,
    status=BookingStatus.SCHEDULED,
) -> Booking:
    """Create a priced booking (server-side price snapshot) and emit booking.created.

    The values go through `booking.validation.validate_booking` first: invalid
    input raises ValidationError ({field: [message]}) and writes nothing.

    A recurring `frequency` prices the booking with its discount and starts a
    series with it as the first visit (`booking.series.series_start`), which
    adds the visits ahead. `series` and `occurrence_date` are given by the
    series itself when it adds a visit.

    `status` is "scheduled", or "requested" for a request that waits for the
    owner's confirmation (`booking_confirm` / `booking_decline`)."""
    if status not in (BookingStatus.SCHEDULED, BookingStatus.REQUESTED):
        raise ValueError(f"A new booking cannot be {status!r}.")
    if lead is not None and lead.business_id != business.pk:
        raise ValueError("The lead belongs to another business.")
    if customer is not None and customer.business_id != business.pk:
        raise ValueError("The customer belongs to another business.")
    if series is not None and series.business_id != business.pk:
        raise ValueError("The series belongs to another business.")
    checked = validate_booking(
        business,
        {
            "customer_first_name": customer_first_name,
            "customer_last_name": customer_last_name,
            "customer_email": customer_email,
            "customer_phone": customer_phone,
            "customer_company": customer_company,
            "address": address,
            "city": city,
            "state": state,
            "zip_code": zip_code,
            "service_type": service_type,
            "bedrooms": bedrooms,
            "bathrooms": bathrooms,
            "square_feet": square_feet,
            "start": start,
            "duration_minutes": duration_minutes,
            "addons": addons,
            "special_requests": special_requests,
            "frequency": frequency or ServiceFrequency.ONE_TIME,
        },
    )
    checked.raise_if_invalid()
    fields = checked.cleaned
    addons = fields.pop("addons")
    frequency = fields.pop("frequency")
    if series is not None:
        frequency = series.frequency
    quote = pricing.quote(
        business=business,
        service_type=fields["service_type"],
        bedrooms=fields["bedrooms"],
        bathrooms=fields["bathrooms"],
        square_feet=fields["square_feet"],
        addons=addons,
        frequency=frequency,
    )
    fields["start"] = fields["start"].astimezone(UTC)
    customer, service_address = _customer_for(
        business, fields, customer, service_address, source, created_by
    )
    booking = create_with_public_id(
        Booking,
        BOOKING_ID_PREFIX,
        business=business,
        **fields,
        status=status,
        source=source,
        lead=lead,
        customer=customer,
        service_address=service_address,
        created_by=created_by,
        subtotal=quote.subtotal,
        tax_rate=quote.tax_rate,
        tax=quote.tax,
        total=quote.total,
        # Only the first booking of a series carries the deposit.
        deposit=quote.deposit if series is None else pricing.ZERO,
        series=series,
        occurrence_date=occurrence_date,
    )
    replace_lines(booking, quote.lines)
    _note(
        booking,
        f"Booked ({booking.get_source_display().lower()}), total {_price(booking, quote.total)}.",
        created_by,
    )
    if lead is not None:
        from leads.models import Lead

        lead.status = Lead.Status.CONVERTED
        lead.customer = customer
        lead.save(update_fields=["status", "customer", "updated_at"])
        _note(booking, f"Converted from lead {lead.public_id}.", created_by)
    emit_booking("booking.created", booking)
    logger.info("booking %s created for business %s", booking.public_id, business.pk)
    if series is None and frequency in RECURRING_FREQUENCIES:
        from .series import series_start

        series_start(booking=booking, frequency=frequency, addons=addons, user=created_by)
        _note(
            booking,
            f"Recurring {booking.series.frequency_label}: series {booking.series.public_id}.",
            created_by,
        )
    return booking


def _customer_for(business, fields, customer, service_address, source, user):
    """The booking's customer and service address: the ones picked on the form,
    else the customer matched by phone or email (`customers.services`), created
    when none matches; the booking's address becomes one of the customer's."""
    if customer is None:
        customer, _ = customer_match(
            business=business,
            name=f"{fields['customer_first_name']} {fields['customer_last_name']}".strip(),
            email=fields.get("customer_email", ""),
            phone=fields.get("customer_phone", ""),
            company=fields.get("customer_company", ""),
            origin=BookingSource(source).label.lower() if source in BookingSource else "",
            user=user,
        )
    if service_address is not None and service_address.customer_id != customer.pk:
        service_address = None
    if service_address is None or service_address.address != fields["address"]:
        service_address = customer_address_match(
            customer=customer,
            **{
                name: fields.get(name)
                for name in ("address", "city", "state", "zip_code")
                if fields.get(name) is not None
            },
            bedrooms=fields.get("bedrooms"),
            bathrooms=fields.get("bathrooms"),
            square_feet=fields.get("square_feet"),
        )
    return customer, service_address


BOOKING_EDIT_FIELDS = (
    "customer_first_name",
    "customer_last_name",
    "customer_email",
    "customer_phone",
    "customer_company",
    "address",
    "city",
    "state",
    "zip_code",
    "service_type",
    "bedrooms",
    "bathrooms",
    "square_feet",
    "start",
    "duration_minutes",
    "special_requests",
)


@transaction.atomic
def booking_update(*, booking, user=None, addons=None, **fields):
    """Edit a scheduled booking and re-price it with the current prices.

    The booking with the given fields changed (and `addons`, when given,
    replacing its add-ons) goes through `booking.validation.validate_booking`,
    as in `booking_create`; the booking may keep the start it has. Invalid
    values raise ValidationError ({field: [message]}) and write nothing.

    Returns the total before the edit."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_editable:
        raise BookingError(f"A {booking.get_status_display().lower()} booking cannot be edited.")
    unknown = set(fields) - set(BOOKING_EDIT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown booking fields: {sorted(unknown)}")
    values = {name: getattr(booking, name) for name in BOOKING_EDIT_FIELDS}
    values.update(fields)
    values["addons"] = booking_addon_quantities(booking) if addons is None else addons
    checked = validate_booking(booking.business, values, current_start=booking.start)
    checked.raise_if_invalid()
    fields = checked.cleaned
    addons = fields.pop("addons")
    old_total = booking.total
    fields["start"] = fields["start"].astimezone(UTC)
    for name, value in fields.items():
        setattr(booking, name, value)
    quote = pricing.quote(
        business=booking.business,
        service_type=booking.service_type,
        bedrooms=booking.bedrooms,
        bathrooms=booking.bathrooms,
        square_feet=booking.square_feet,
        addons=addons,
        frequency=booking_frequency(booking),
    )
    _apply_quote(booking, quote)
    booking.save()
    replace_lines(booking, quote.lines)
    if old_total != quote.total:
        _note(
            booking,
            f"Edited and re-priced: {_price(booking, old_total)} → {_price(booking, quote.total)}.",
            user,
        )
    else:
        _note(booking, "Edited.", user)
    emit_booking("booking.updated", booking)
    return old_total


@transaction.atomic
def booking_complete(*, booking, user=None, confirmed=False):
    """Mark a scheduled booking completed and make sure it has an invoice.
    A booking that has not started yet is completed only when `confirmed`
    (otherwise `ConfirmationNeeded`).

    Returns its live invoice."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == BookingStatus.CANCELLED:
        raise BookingError("A cancelled booking cannot be marked completed.")
    if booking.status == BookingStatus.REQUESTED:
        raise BookingError("Confirm the requested booking before marking it completed.")
    if booking.status == BookingStatus.SCHEDULED and not confirmed and booking_in_future(booking):
        raise ConfirmationNeeded(
            "This booking has not started yet. Confirm that the job is done to mark it completed."
        )
    if booking.status == BookingStatus.SCHEDULED:
        booking.status = BookingStatus.COMPLETED
        booking.completed_at = timezone.now()
        booking.completed_by = user
        booking.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
        _note(booking, "Marked completed.", user)
        emit_booking("booking.completed", booking)
    invoice, _ = invoice_create(booking=booking, user=user)
    return invoice


def booking_in_future(booking, now=None):
    """Whether the booking starts later than now (completing it needs a confirmation)."""
    return booking.start > (now or timezone.now())


@transaction.atomic
def booking_cancel(*, booking, reason, user=None):
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_editable:
        raise BookingError(
            f"Only a scheduled booking can be cancelled; this one is "
            f"{booking.get_status_display().lower()}."
        )
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason[:255]
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    _note(booking, f"Cancelled: {reason}", user)
    emit_booking("booking.cancelled", booking)
    return booking


@transaction.atomic
def booking_confirm(*, booking, user=None):
    """Confirm a requested booking: it becomes scheduled."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.REQUESTED:
        raise BookingError(
            f"Only a requested booking can be confirmed; this one is "
            f"{booking.get_status_display().lower()}."
        )
    booking.status = BookingStatus.SCHEDULED
    booking.save(update_fields=["status", "updated_at"])
    _note(booking, "Request confirmed.", user)
    emit_booking("booking.updated", booking)
    if booking.series_id and booking.series.status == SeriesStatus.PAUSED:
        from .series import series_resume

        series_resume(series=booking.series, user=user)  # its visits ahead are added
    return booking


@transaction.atomic
def booking_decline(*, booking, reason="", user=None):
    """Decline a requested booking: it is cancelled with the reason."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.REQUESTED:
        raise BookingError(
            f"Only a requested booking can be declined; this one is "
            f"{booking.get_status_display().lower()}."
        )
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = (f"Declined: {reason}" if reason else "Declined")[:255]
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    _note(booking, booking.cancel_reason + ".", user)
    emit_booking("booking.cancelled", booking)
    if booking.series_id and booking.series.status != SeriesStatus.ENDED:
        from .series import series_end

        series_end(series=booking.series, user=user)
    return booking


@transaction.atomic
def booking_reschedule(*, booking, start, note, user=None):
    """Move a scheduled or requested booking to `start`, keeping its price
    snapshot (`booking_update` re-prices; a new time alone does not). The
    new start goes through `booking.validation.validate_booking`."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_editable:
        raise BookingError(
            f"A {booking.get_status_display().lower()} booking cannot be rescheduled."
        )
    values = {name: getattr(booking, name) for name in BOOKING_EDIT_FIELDS}
    values["start"] = start
    checked = validate_booking(booking.business, values, current_start=booking.start, addons=[])
    if "start" in checked.errors:
        raise ValidationError({"start": checked.errors["start"]})
    booking.start = checked.cleaned["start"].astimezone(UTC)
    booking.save(update_fields=["start", "updated_at"])
    _note(booking, note, user)
    emit_booking("booking.updated", booking)
    return booking


def booking_delete_refusal(booking):
    """Why `booking` cannot be deleted, or None."""
    if Payment.objects.filter(invoice__booking=booking).exists():
        return (
            "This booking has an invoice with payments, so it cannot be deleted. "
            "Cancel the booking or void the invoice instead."
        )
    return None


@transaction.atomic
def booking_delete(*, booking):
    """Delete a booking and its unpaid invoices. Returns an error message
    (and deletes nothing) when an invoice of it has payments."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    refusal = booking_delete_refusal(booking)
    if refusal:
        return refusal
    booking.invoices.all().delete()
    booking.delete()
    logger.info("booking %s deleted", booking.public_id)
    return None


# --- Invoices -------------------------------------------------------------------


def _allocate_number(business):
    """The next invoice number of `business`, under a row lock on its counter.

    Must run inside the transaction that saves the invoice: a rollback gives
    the number back, so numbers stay gapless."""
    InvoiceCounter.objects.get_or_create(business=business)
    counter = InvoiceCounter.objects.select_for_update().get(business=business)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    prefix = business.settings.invoice_prefix
    return counter.last_number, f"{prefix}{counter.last_number:04d}"


def live_invoice(booking):
    return booking.invoices.exclude(status=InvoiceStatus.VOID).first()


@transaction.atomic
def invoice_create(*, booking, user=None, issue=True):
    """The booking's live invoice, creating it from the price snapshot when it
    has none. Returns (invoice, created).

    `issue=False` saves a draft without a number; `invoice_issue` numbers it."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=booking.pk)
    )
    existing = live_invoice(booking)
    if existing is not None:
        return existing, False
    if booking.status == BookingStatus.CANCELLED:
        raise BookingError("A cancelled booking cannot be invoiced.")
    business = booking.business
    settings = business.settings
    invoice = create_with_public_id(
        Invoice,
        INVOICE_ID_PREFIX,
        business=business,
        booking=booking,
        status=InvoiceStatus.DRAFT,
        bill_to_name=booking.customer_name,
        bill_to_company=booking.customer_company,
        bill_to_email=booking.customer_email,
        bill_to_phone=booking.customer_phone,
        bill_to_address=booking.full_address,
        service_date=timezone.localtime(booking.start, business.tzinfo).date(),
        notes=settings.invoice_notes,
        currency=business.currency,
        subtotal=booking.subtotal,
        tax_rate=booking.tax_rate,
        tax=booking.tax,
        total=booking.total,
        deposit=booking.deposit,
    )
    replace_lines(invoice, booking.lines.all())
    _note(booking, "Invoice created as a draft." if not issue else "Invoice created.", user)
    if issue:
        invoice = invoice_issue(invoice=invoice, user=user, _note_booking=False)
    emit_invoice("invoice.created", invoice)
    return invoice, True


@transaction.atomic
def invoice_issue(*, invoice, user=None, _note_booking=True):
    """Give a draft its number, issue date (today) and due date (from settings)."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=invoice.pk)
    )
    if invoice.status != InvoiceStatus.DRAFT:
        raise BookingError("Only a draft invoice can be issued.")
    business = invoice.business
    invoice.sequence, invoice.number = _allocate_number(business)
    invoice.issue_date = business.today()
    invoice.due_date = invoice.issue_date + timedelta(days=business.settings.invoice_due_days)
    invoice.status = InvoiceStatus.UNPAID
    invoice.save()
    if _note_booking:
        _note(invoice.booking, f"Invoice {invoice.number} issued.", user)
    return invoice


def _recompute(invoice):
    amounts = [line.amount for line in invoice.lines.all()]
    invoice.subtotal, invoice.tax, invoice.total = pricing.totals(
        amounts, invoice.tax_rate, invoice.discount
    )


@transaction.atomic
def invoice_update(*, invoice, due_date=None, notes=None, discount=None, lines=None):
    """Edit an open invoice. Discount and lines only while nothing is paid.

    `lines` is a list of dicts (description, quantity, unit_price) replacing
    the current lines."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.is_locked:
        raise BookingError(f"A {invoice.get_status_display().lower()} invoice cannot be edited.")
    if due_date is not None:
        invoice.due_date = due_date
    if notes is not None:
        invoice.notes = notes
    if discount is not None or lines is not None:
        if not invoice.lines_editable:
            raise BookingError(
                "Amounts cannot change once a payment is recorded; edit the due date or notes."
            )
        if lines is not None:
            replace_lines(invoice, lines)
        if discount is not None:
            invoice.discount = pricing.money(discount)
        _recompute(invoice)
        if invoice.discount > invoice.subtotal:
            raise BookingError("The discount cannot be more than the subtotal.")
    invoice.save()
    return invoice


def invoice_delete_refusal(invoice):
    if invoice.payments.exists():
        return "This invoice has payments, so it cannot be deleted. Void it instead."
    return None


@transaction.atomic
def invoice_delete(*, invoice):
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    refusal = invoice_delete_refusal(invoice)
    if refusal:
        return refusal
    _note(invoice.booking, f"Invoice {invoice.label} deleted.")
    invoice.delete()
    return None


@transaction.atomic
def invoice_void(*, invoice, reason, user=None):
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.VOID:
        raise BookingError("This invoice is already void.")
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = timezone.now()
    invoice.void_reason = reason[:255]
    invoice.save()
    _note(invoice.booking, f"Invoice {invoice.label} voided: {reason}", user)
    return invoice


@transaction.atomic
def payment_record(
    *, invoice, amount, method, paid_on, reference="", user=None, kind=PaymentKind.PAYMENT
):
    """Record a payment; refuses overpayment and payments on drafts or closed
    invoices. A deposit payment (`kind`) is at most the deposit still due."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=invoice.pk)
    )
    amount = pricing.money(amount)
    if invoice.status not in OPEN_INVOICE_STATUSES:
        raise BookingError(
            f"Payments can only be recorded on an issued, unpaid invoice; this one is "
            f"{invoice.get_status_display().lower()}."
        )
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount above zero."})
    if kind == PaymentKind.DEPOSIT:
        deposit_due = invoice.deposit_outstanding
        if not deposit_due:
            raise ValidationError({"amount": "No deposit is due on this invoice."})
        if amount > deposit_due:
            raise ValidationError(
                {
                    "amount": "That is more than the deposit due "
                    f"({_price(invoice, deposit_due)}); record the rest as a payment."
                }
            )
    due = invoice.amount_due
    if amount > due:
        raise ValidationError(
            {
                "amount": f"That is more than the amount due ({_price(invoice, due)}); "
                "overpayment is not accepted."
            }
        )
    payment = Payment.objects.create(
        invoice=invoice,
        kind=kind,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference,
        recorded_by=user,
    )
    invoice.amount_paid += amount
    if invoice.amount_paid >= invoice.total:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = timezone.now()
    else:
        invoice.status = InvoiceStatus.PARTIALLY_PAID
    invoice.save()
    _note(
        invoice.booking,
        f"{payment.get_kind_display()} of {_price(invoice, amount)} "
        f"({payment.get_method_display().lower()}) "
        f"recorded on invoice {invoice.number}.",
        user,
    )
    if invoice.status == InvoiceStatus.PAID:
        emit_invoice("invoice.paid", invoice)
    return payment


def invoice_mark_sent(*, invoice, user=None):
    now = timezone.now()
    Invoice.objects.filter(pk=invoice.pk).update(sent_at=now)
    invoice.sent_at = now
    _note(invoice.booking, f"Invoice {invoice.number} emailed to the customer.", user)


def invoice_mark_send_failed(*, invoice, reason, user=None):
    """Record on the booking's history that emailing the invoice failed."""
    _note(
        invoice.booking,
        f"Emailing invoice {invoice.number} to the customer failed: {reason}. Nothing was sent; "
        f"try again from the invoice page.",
        user,
    )
