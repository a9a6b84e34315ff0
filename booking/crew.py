"""The crew of a booking: who is assigned, what a cleaner may see, overlapping
jobs, a member's jobs, and starting and completing a job.

A booking is assigned to memberships (`Booking.assignees`), not to users: a
membership belongs to exactly one business, so an assignment cannot point
outside the booking's business, it carries the role, and removing someone
from the team removes their assignments with their membership.

For other apps: `jobs_for(membership, day)` (a member's jobs of one local
day, e.g. for an email of tomorrow's jobs) and `visible_bookings(membership)`
(the bookings a member may open: all of the business's, or a cleaner's own).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from account.models import Membership
from core.time import day_bounds, format_time

from . import services
from .models import Booking, BookingLine, BookingNote, BookingStatus

logger = logging.getLogger(__name__)

# Colours of members on the calendar: `crew-colour-0` … in static/booking/booking.css.
PALETTE_SIZE = 8
# The longest booking (booking.validation.MAX_DURATION): a booking that starts
# earlier than this before a range cannot reach into it.
LONGEST_JOB = timedelta(minutes=24 * 60)
NOTES_MAX_LENGTH = 400
MY_JOBS_LIMIT = 60


class CrewError(services.BookingError):
    """A crew action that is not allowed in the booking's state (message for the user)."""


# --- Reads ----------------------------------------------------------------------


def members(business):
    """The business's team, as the booking form and the calendar filter list them."""
    return (
        Membership.objects.filter(business=business)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def member_label(membership):
    """A member as the booking form and the calendar filter list them."""
    if membership.is_cleaner:
        return membership.display_name
    return f"{membership.display_name} ({membership.get_role_display().lower()})"


def assignees_prefetch():
    """Prefetch of bookings' assignees with their users (one query for a page)."""
    return Prefetch(
        "assignees",
        queryset=Membership.objects.select_related("user").order_by(
            "user__first_name", "user__last_name", "user__username"
        ),
    )


def colour(membership):
    """A member's colour class on the calendar: stable, from a small palette."""
    return f"crew-colour-{membership.pk % PALETTE_SIZE}"


def visible_bookings(membership):
    """The bookings `membership` may open: every booking of the business, or,
    for a cleaner, only those assigned to them."""
    queryset = Booking.objects.filter(business_id=membership.business_id)
    if membership.is_cleaner:
        queryset = queryset.filter(assignees=membership)
    return queryset


def _with_job_details(queryset):
    return queryset.select_related("business", "started_by", "completed_by").prefetch_related(
        assignees_prefetch(),
        Prefetch("lines", queryset=BookingLine.objects.filter(kind="addon"), to_attr="addon_lines"),
    )


def assigned_to(membership):
    """Bookings assigned to `membership`, not cancelled."""
    return Booking.objects.filter(business_id=membership.business_id, assignees=membership).exclude(
        status=BookingStatus.CANCELLED
    )


def jobs_for(membership, day):
    """The jobs of `membership` starting on `day` (a date in the business's
    time zone), not cancelled, in time order, with add-ons and crew."""
    business = membership.business
    start, end = day_bounds(business.tzinfo, day)
    queryset = assigned_to(membership).filter(start__gte=start, start__lt=end)
    return list(_with_job_details(queryset).order_by("start", "pk"))


def my_jobs(membership, *, limit=MY_JOBS_LIMIT):
    """Today's jobs of `membership` (whatever their state, but cancelled) and
    the upcoming scheduled ones, in time order, at most `limit`."""
    business = membership.business
    today_start, today_end = day_bounds(business.tzinfo, business.today())
    queryset = assigned_to(membership).filter(start__gte=today_start)
    queryset = queryset.exclude(start__gte=today_end, status=BookingStatus.COMPLETED)
    return list(_with_job_details(queryset).order_by("start", "pk")[:limit])


def job(membership, public_id):
    """One of `membership`'s own jobs (for starting and completing), or 404."""
    from account.tenancy import get_for_business

    return get_for_business(
        _with_job_details(assigned_to(membership)),
        membership.business,
        public_id=public_id,
    )


def job_detail(membership, public_id):
    """A booking `membership` may open, with its job details, or 404."""
    from account.tenancy import get_for_business

    return get_for_business(
        _with_job_details(visible_bookings(membership)),
        membership.business,
        public_id=public_id,
    )


# --- Overlaps -------------------------------------------------------------------


def overlaps(*, business, start, end, members, exclude=None):
    """The other jobs of `members` whose time intersects [start, end): pairs
    (membership, booking), not cancelled, in time order. The one overlap rule."""
    member_ids = [m.pk for m in members]
    if not member_ids or start is None or end is None:
        return []
    candidates = (
        Booking.objects.filter(
            business=business,
            assignees__in=member_ids,
            start__lt=end,
            start__gt=start - LONGEST_JOB,
        )
        .exclude(status=BookingStatus.CANCELLED)
        .prefetch_related(assignees_prefetch())
        .order_by("start", "pk")
        .distinct()
    )
    if exclude is not None and exclude.pk:
        candidates = candidates.exclude(pk=exclude.pk)
    conflicts = []
    for other in candidates:
        if other.end <= start:
            continue
        for membership in other.assignees.all():
            if membership.pk in member_ids:
                conflicts.append((membership, other))
    return conflicts


def booking_overlaps(booking, members=None):
    """The overlapping jobs of a scheduled booking's crew (`members`, by
    default its assignees)."""
    if booking.status != BookingStatus.SCHEDULED:
        return []
    return overlaps(
        business=booking.business,
        start=booking.start,
        end=booking.end,
        members=list(booking.assignees.all()) if members is None else members,
        exclude=booking,
    )


def conflict_messages(conflicts, business):
    """ "Maria already has BK-… 9:00 AM–12:00 PM (Tue, Mar 3)." for each conflict."""
    hour12 = business.uses_12_hour_clock
    lines = []
    for membership, other in conflicts:
        start = timezone.localtime(other.start, business.tzinfo)
        end = timezone.localtime(other.end, business.tzinfo)
        lines.append(
            f"{membership.display_name} already has {other.public_id} "
            f"{format_time(start, hour12=hour12)}–{format_time(end, hour12=hour12)} "
            f"({start:%a}, {start:%b} {start.day})."
        )
    return lines


# --- Writes ---------------------------------------------------------------------


def _names(memberships):
    return ", ".join(m.display_name for m in memberships) or "nobody"


@transaction.atomic
def booking_assign(*, booking, members, user=None):
    """Assign `members` (memberships of the booking's business) to the booking,
    replacing who was assigned, and note the change in its history. Overlaps
    are allowed: returns the conflicts to warn about (`overlaps`)."""
    members = list(members)
    if any(m.business_id != booking.business_id for m in members):
        raise ValueError("A member of another business cannot be assigned.")
    before = {m.pk for m in booking.assignees.all()}
    after = {m.pk for m in members}
    if before != after:
        booking.assignees.set(members)
        ordered = sorted(members, key=lambda m: m.display_name.lower())
        BookingNote.objects.create(
            booking=booking, message=f"Crew: {_names(ordered)}."[:500], user=user
        )
        logger.info("booking %s assigned to %s members", booking.public_id, len(members))
    return overlaps(
        business=booking.business,
        start=booking.start,
        end=booking.end,
        members=members,
        exclude=booking,
    )


def _note_with(message, notes):
    notes = (notes or "").strip()
    return f"{message} Notes: {notes}" if notes else message


@transaction.atomic
def job_start(*, booking, user, notes=""):
    """Record that the crew started a scheduled job (time and who), with notes."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.SCHEDULED:
        state = booking.get_status_display().lower()
        raise CrewError(f"This job is {state}; it cannot be started.")
    if booking.started_at is not None:
        raise CrewError("This job has already been started.")
    booking.started_at = timezone.now()
    booking.started_by = user
    booking.save(update_fields=["started_at", "started_by", "updated_at"])
    BookingNote.objects.create(
        booking=booking, message=_note_with("Job started.", notes)[:500], user=user
    )
    return booking


@transaction.atomic
def job_complete(*, booking, user, notes="", confirmed=False):
    """Complete a job through the booking's completion service
    (`services.booking_complete`: its invoice, and the confirmation a job that
    has not started yet needs: `ConfirmationNeeded`), with the crew's notes."""
    if booking.status != BookingStatus.SCHEDULED:
        raise CrewError(
            f"This job is {booking.get_status_display().lower()}; it cannot be completed."
        )
    invoice = services.booking_complete(booking=booking, user=user, confirmed=confirmed)
    notes = (notes or "").strip()
    if notes:
        BookingNote.objects.create(
            booking=booking, message=f"Completion notes: {notes}"[:500], user=user
        )
    return invoice
