"""When each message is due, and sending one (claim, build, deliver).

The `send_*` functions are what the tasks run: they fetch fresh rows, check
that the message is still wanted (switched on, booking still scheduled,
invoice still open, customer allows it), claim the reason in the log and
send. Each returns True when it sent, False otherwise.
"""

import datetime as dt
import logging

from django.utils import timezone

from account.models import Business
from booking.models import OPEN_INVOICE_STATUSES, Booking, BookingStatus, Invoice

from . import crew, log, messages
from .models import MessageKind, NotificationSettings
from .rules import customer_allows, customer_email

logger = logging.getLogger(__name__)

# An overdue-invoice reminder still goes out this many days after its day
# (the workers were down): later than that, it is skipped.
INVOICE_GRACE_DAYS = 7


def settings_for(business):
    """The business's settings, or unsaved defaults (everything off)."""
    try:
        return business.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(business=business)


# --- Reasons and due times -------------------------------------------------------


def confirmation_reason(booking):
    return f"confirm:{booking.public_id}"


def local_day(booking):
    return timezone.localtime(booking.start, booking.business.tzinfo).date()


def reminder_reason(booking):
    return f"reminder:{booking.public_id}:{local_day(booking).isoformat()}"


def reminder_send_at(booking, notification_settings):
    """When the reminder of `booking` goes out: N hours before its start, or
    at the set local time on the local day before."""
    if notification_settings.reminder_mode == NotificationSettings.ReminderMode.HOURS_BEFORE:
        return booking.start - dt.timedelta(hours=notification_settings.reminder_hours_before)
    day_before = local_day(booking) - dt.timedelta(days=1)
    moment = dt.datetime.combine(
        day_before, notification_settings.reminder_time, tzinfo=booking.business.tzinfo
    )
    return moment.astimezone(dt.UTC)


def reminder_due(booking, notification_settings, now):
    """Switched on, still scheduled, its time has come, the visit has not
    started, and the booking was made before the reminder time (a booking
    made later has just had its confirmation)."""
    if not notification_settings.reminder_enabled or booking.status != BookingStatus.SCHEDULED:
        return False
    send_at = reminder_send_at(booking, notification_settings)
    return send_at <= now < booking.start and booking.created_at < send_at


def invoice_reason(invoice, step):
    return f"invoice-overdue:{invoice.public_id}:{step}"


def invoice_step_due(invoice, notification_settings, today):
    """The schedule step (days after the due date) whose reminder is due
    today, or None. When several have passed (the workers were down), only
    the latest one within INVOICE_GRACE_DAYS goes out."""
    if (
        not notification_settings.invoice_reminders_enabled
        or invoice.status not in OPEN_INVOICE_STATUSES
        or invoice.due_date is None
        or invoice.amount_due <= 0
    ):
        return None
    overdue = (today - invoice.due_date).days
    steps = [
        day
        for day in notification_settings.invoice_reminder_days or []
        if day <= overdue < day + INVOICE_GRACE_DAYS
    ]
    return max(steps) if steps else None


def crew_reason(day, email):
    return f"crew:{day.isoformat()}:{email.strip().lower()}"


def crew_digest_day(business, notification_settings, now):
    """The day whose jobs the crew email lists when it is due now
    (tomorrow, once the set local time has passed today), else None."""
    if not notification_settings.crew_digest_enabled:
        return None
    local_now = timezone.localtime(now, business.tzinfo)
    if local_now.time() < notification_settings.crew_digest_time:
        return None
    return local_now.date() + dt.timedelta(days=1)


# --- Sending ----------------------------------------------------------------------


def _booking(booking_id):
    return (
        Booking.objects.select_related("business", "business__notification_settings")
        .filter(pk=booking_id)
        .first()
    )


def send_confirmation(booking_id, *, now=None):
    now = now or timezone.now()
    booking = _booking(booking_id)
    if booking is None:
        return False
    notification_settings = settings_for(booking.business)
    if (
        not notification_settings.confirmation_enabled
        or booking.status != BookingStatus.SCHEDULED
        or booking.start <= now
        or not customer_allows(booking)
    ):
        return False
    # Built before the claim: a message that cannot be built leaves no
    # claimed row behind, and the next pass tries again.
    email = messages.build_booking_message(MessageKind.CONFIRMATION, booking, notification_settings)
    row = log.claim(
        business=booking.business,
        kind=MessageKind.CONFIRMATION,
        reason_key=confirmation_reason(booking),
        subject=email.subject,
        to=customer_email(booking),
        booking=booking,
        booking_start=booking.start,
    )
    if row is None:
        return False
    return log.deliver(row, email)


def send_reminder(booking_id, *, now=None):
    now = now or timezone.now()
    booking = _booking(booking_id)
    if booking is None:
        return False
    notification_settings = settings_for(booking.business)
    if not reminder_due(booking, notification_settings, now) or not customer_allows(booking):
        return False
    email = messages.build_booking_message(MessageKind.REMINDER, booking, notification_settings)
    row = log.claim(
        business=booking.business,
        kind=MessageKind.REMINDER,
        reason_key=reminder_reason(booking),
        subject=email.subject,
        to=customer_email(booking),
        booking=booking,
        booking_start=booking.start,
    )
    if row is None:
        return False
    return log.deliver(row, email)


def send_invoice_reminder(invoice_id, step, *, now=None):
    now = now or timezone.now()
    invoice = (
        Invoice.objects.select_related("business", "business__notification_settings", "booking")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        return False
    business = invoice.business
    notification_settings = settings_for(business)
    today = timezone.localtime(now, business.tzinfo).date()
    if invoice_step_due(invoice, notification_settings, today) != step:
        return False
    if not customer_allows(invoice):
        return False
    email = messages.build_invoice_reminder(invoice, notification_settings, today=today)
    row = log.claim(
        business=business,
        kind=MessageKind.INVOICE_OVERDUE,
        reason_key=invoice_reason(invoice, step),
        subject=email.subject,
        to=customer_email(invoice),
        invoice=invoice,
        booking=invoice.booking,
        step=step,
    )
    if row is None:
        return False
    return log.deliver(row, email)


def send_crew_digest(business_id, day, email, *, now=None):
    """The jobs of `day` (a date or ISO text) for the member at `email`."""
    now = now or timezone.now()
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    business = (
        Business.objects.select_related("notification_settings").filter(pk=business_id).first()
    )
    if business is None:
        return False
    notification_settings = settings_for(business)
    if crew_digest_day(business, notification_settings, now) != day:
        return False
    wanted = email.strip().lower()
    bookings = next(
        (jobs for to, jobs in crew.assignments_for_day(business, day) if to.lower() == wanted),
        None,
    )
    if not bookings:
        return False
    message = messages.build_crew_digest(
        business,
        notification_settings,
        to=email,
        member_name=crew.member_name(email, business),
        day=day,
        bookings=bookings,
    )
    row = log.claim(
        business=business,
        kind=MessageKind.CREW_DIGEST,
        reason_key=crew_reason(day, email),
        subject=message.subject,
        to=email,
    )
    if row is None:
        return False
    return log.deliver(row, message)
