"""Recurring service: a series of visits, each an ordinary booking.

The rules, in one place:

- Dates. Every week, every 2 weeks and every 4 weeks repeat the first
  visit's local date every 7, 14 or 28 days. Every month repeats the same
  weekday of the month as the first visit: the first visit on the 2nd
  Tuesday makes every visit the 2nd Tuesday. A first visit on a 5th weekday
  (the 29th, 30th or 31st of a month, or a 5th weekday in the days before)
  means "the last <weekday> of the month", so months without a 5th one get
  their last (4th) one: no month is skipped and none gets two.
- Time. Each visit starts at the series' local wall-clock time in the
  business's time zone (`core.time.at_local_time`): 9:00 stays 9:00 across
  daylight-saving changes.
- Horizon. Visits exist ahead up to `series_horizon_weeks` of the business's
  pricing settings (12 by default); `series_top_up` adds the missing ones and
  is run for every active series by the periodic task
  `booking.tasks.top_up_series` and by `manage.py series_topup`. A series
  date has at most one visit (unique (series, occurrence date)), and the
  series row is locked while visits are added, so a retried or concurrent
  top-up never duplicates one.
- Prices. Each visit is made by `booking.services.booking_create` and priced
  by `booking.pricing.quote` with the series' frequency (its discount) and
  the settings of the moment it is generated; later changes to the settings
  never change a visit that exists. Only the first booking of a series
  carries the deposit.
- Edits. "This visit" changes one visit and marks it as changed on its own;
  "this and following" and "the whole series" change the series (what later
  visits will be) and re-price every future visit that is scheduled, has no
  invoice and was not changed on its own ("following" only those from the
  edited visit on). The day of the week is part of the series: moving a
  visit to another day is a change to that visit only.
- Skip keeps the visit, as skipped, with its reason. Pause skips the future
  visits (reason `PAUSE_REASON`) and adds none; resume brings the skipped
  future ones back and tops up. End cancels the future visits and adds none.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from account.models import RECURRING_FREQUENCIES, ServiceFrequency
from config.ids import create_with_public_id
from core.time import at_local_time

from .events import emit_booking
from .models import Booking, BookingSeries, BookingStatus, InvoiceStatus, SeriesStatus
from .services import BOOKING_EDIT_FIELDS

logger = logging.getLogger(__name__)

SERIES_ID_PREFIX = "SR"
PERIOD_DAYS = {
    ServiceFrequency.WEEKLY: 7,
    ServiceFrequency.BIWEEKLY: 14,
    ServiceFrequency.EVERY_4_WEEKS: 28,
}
PAUSE_REASON = "Series paused."
END_REASON = "Series ended."

# Fields a series keeps for its visits (`booking_create` keyword arguments):
# what a booking's edit form changes, but its start (each visit has its own).
VISIT_FIELDS = tuple(name for name in BOOKING_EDIT_FIELDS if name != "start")


class Scope:
    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"
    CHOICES = (
        (THIS, "This visit only"),
        (FOLLOWING, "This and following visits"),
        (ALL, "The whole series"),
    )


# --- Dates -------------------------------------------------------------------------


def weekday_ordinal(day):
    """(weekday, n) of a date: its weekday (0 = Monday) and which one of the
    month it is, 1–4, or 5 for "the last" (a 5th weekday)."""
    return day.weekday(), (day.day - 1) // 7 + 1


def nth_weekday(year, month, weekday, n):
    """The `n`th `weekday` of a month; n = 5 is the last one of the month."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    day += dt.timedelta(weeks=n - 1)
    while day.month != month:  # no 5th one: the last (4th)
        day -= dt.timedelta(weeks=1)
    return day


def occurrence_dates(frequency, first_date, start, end):
    """The series' local dates from `start` to `end` (both included)."""
    if frequency not in RECURRING_FREQUENCIES:
        raise ValueError(f"Not a recurring frequency: {frequency!r}")
    start = max(start, first_date)
    if frequency == ServiceFrequency.MONTHLY:
        weekday, n = weekday_ordinal(first_date)
        year, month = start.year, start.month
        while True:
            day = nth_weekday(year, month, weekday, n)
            if day > end:
                return
            if day >= start:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    period = PERIOD_DAYS[frequency]
    steps = -(-(start - first_date).days // period)  # the first on or after `start`
    day = first_date + dt.timedelta(days=steps * period)
    while day <= end:
        yield day
        day += dt.timedelta(days=period)


def describe(series):
    """The rule in words: "Every 2 weeks on Tuesday at 9:00 AM"."""
    weekday = series.first_date.strftime("%A")
    if series.frequency == ServiceFrequency.MONTHLY:
        _, n = weekday_ordinal(series.first_date)
        which = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "last"}[n]
        return f"Every month on the {which} {weekday}"
    return f"{series.get_frequency_display()} on {weekday}"


def visit_start(series, day):
    return at_local_time(day, series.start_time, series.business.tzinfo)


def horizon_end(series, today=None):
    today = today or series.business.today()
    return today + dt.timedelta(weeks=series.business.settings.series_horizon_weeks)


# --- Writes ---------------------------------------------------------------------------


def _visit_values(series):
    return {name: getattr(series, name) for name in VISIT_FIELDS}


def series_start(*, booking, frequency, addons, user=None):
    """Make `booking` the first visit of a new series repeating `frequency`,
    and add the visits of the horizon. Runs inside `booking_create`.

    A requested booking (the booking page's request mode) starts its series
    paused, with no visits ahead: confirming the request resumes it
    (`booking.services.booking_confirm`), declining it ends it."""
    business = booking.business
    local = timezone.localtime(booking.start, business.tzinfo)
    requested = booking.status == BookingStatus.REQUESTED
    series = create_with_public_id(
        BookingSeries,
        SERIES_ID_PREFIX,
        business=business,
        frequency=frequency,
        first_date=local.date(),
        start_time=local.time().replace(second=0, microsecond=0),
        generated_until=local.date(),
        addons=dict(addons or {}),
        source=booking.source,
        created_by=user,
        status=SeriesStatus.PAUSED if requested else SeriesStatus.ACTIVE,
        paused_at=timezone.now() if requested else None,
        **{name: getattr(booking, name) for name in VISIT_FIELDS},
    )
    Booking.objects.filter(pk=booking.pk).update(series=series, occurrence_date=local.date())
    booking.series, booking.occurrence_date = series, local.date()
    logger.info("series %s started for business %s", series.public_id, business.pk)
    series_top_up(series=series)
    series.refresh_from_db()
    return series


@transaction.atomic
def series_top_up(*, series, today=None):
    """Add the missing visits of an active series up to its horizon. Returns
    how many were added (0 when run again)."""
    from .services import booking_create

    series = (
        BookingSeries.objects.select_for_update(of=("self",))
        .select_related("business__settings")
        .get(pk=series.pk)
    )
    if series.status != SeriesStatus.ACTIVE:
        return 0
    today = today or series.business.today()
    until = horizon_end(series, today)
    if series.ended_on:
        until = min(until, series.ended_on)
    first = max(series.generated_until + dt.timedelta(days=1), today)
    dates = list(occurrence_dates(series.frequency, series.first_date, first, until))
    existing = set(
        series.visits.filter(occurrence_date__in=dates).values_list("occurrence_date", flat=True)
    )
    added = 0
    for day in dates:
        if day in existing:
            continue
        try:
            with transaction.atomic():
                booking_create(
                    business=series.business,
                    **_visit_values(series),
                    start=visit_start(series, day),
                    addons=series.addons,
                    source=series.source,
                    created_by=series.created_by,
                    frequency=series.frequency,
                    series=series,
                    occurrence_date=day,
                )
        except IntegrityError:  # made meanwhile by another top-up
            continue
        added += 1
    if until > series.generated_until:
        series.generated_until = until
        series.save(update_fields=["generated_until", "updated_at"])
    if added:
        logger.info("series %s: %s visits added", series.public_id, added)
    return added


def series_top_up_all(*, today=None):
    """Top up every active series. Returns (series looked at, visits added)."""
    ids = list(
        BookingSeries.objects.filter(status=SeriesStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    added = 0
    for pk in ids:
        series = BookingSeries.objects.filter(pk=pk).first()
        if series is None:
            continue
        try:
            added += series_top_up(series=series, today=today)
        except Exception:  # one broken series must not stop the others
            logger.exception("topping up series %s failed", pk)
    return len(ids), added


def _future_open_visits(series, now=None):
    """Visits still to come that a series-wide change may touch: scheduled,
    not started, without a live invoice."""
    return (
        series.visits.filter(status=BookingStatus.SCHEDULED, start__gte=now or timezone.now())
        .exclude(invoices__status__in=[s for s in InvoiceStatus.values if s != "void"])
        .order_by("start")
    )


@transaction.atomic
def series_update(*, booking, scope, user=None, addons=None, **fields):
    """Edit a visit with `scope` (`Scope`). Returns the number of visits changed."""
    from .services import BookingError, booking_update

    if booking.series_id is None:
        raise BookingError("This booking is not part of a series.")
    if scope == Scope.THIS:
        booking_update(booking=booking, user=user, addons=addons, **fields)
        Booking.objects.filter(pk=booking.pk).update(series_detached=True)
        return 1
    if scope not in (Scope.FOLLOWING, Scope.ALL):
        raise ValueError(f"Unknown scope: {scope!r}")
    series = BookingSeries.objects.select_for_update().get(pk=booking.series_id)
    if series.status == SeriesStatus.ENDED:
        raise BookingError("This series has ended; change this visit only.")
    tz = series.business.tzinfo
    start = fields.pop("start", None)
    current = timezone.localtime(booking.start, tz)
    new_time = series.start_time
    if start is not None:
        local = timezone.localtime(start, tz)
        if local.date() != current.date():
            raise BookingError(
                "A new day applies to this visit only: choose “This visit only” to move it, "
                "or end the series and book the new day as a new one."
            )
        new_time = local.time().replace(second=0, microsecond=0)
    # What the series makes from now on.
    for name, value in fields.items():
        if name in VISIT_FIELDS:
            setattr(series, name, value)
    if addons is not None:
        series.addons = dict(addons)
    series.start_time = new_time
    series.save()

    visits = _future_open_visits(series)
    if scope == Scope.FOLLOWING:
        visits = visits.filter(occurrence_date__gte=booking.occurrence_date or current.date())
    visits = [v for v in visits.select_related("business") if not v.series_detached]
    if booking.pk not in {v.pk for v in visits} and booking.is_editable:
        visits.insert(0, booking)
    for visit in visits:
        day = timezone.localtime(visit.start, tz).date()
        booking_update(
            booking=visit,
            user=user,
            addons=addons,
            start=at_local_time(day, new_time, tz),
            **fields,
        )
    return len(visits)


@transaction.atomic
def visit_skip(*, booking, reason, user=None):
    """Keep a scheduled visit of a series as skipped, with its reason."""
    from .services import BookingError, _note

    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.series_id is None:
        raise BookingError("Only a visit of a recurring series can be skipped; cancel it instead.")
    if booking.status != BookingStatus.SCHEDULED:
        raise BookingError(
            f"Only a scheduled visit can be skipped; this one is "
            f"{booking.get_status_display().lower()}."
        )
    booking.status = BookingStatus.SKIPPED
    booking.skip_reason = reason[:255]
    booking.save(update_fields=["status", "skip_reason", "updated_at"])
    _note(booking, f"Skipped: {reason}", user)
    emit_booking("booking.updated", booking)
    return booking


def _set_visits(series, visits, status, reason, user, note):
    from .services import _note

    changed = 0
    for visit in visits:
        visit.status = status
        visit.skip_reason = reason if status == BookingStatus.SKIPPED else ""
        if status == BookingStatus.CANCELLED:
            visit.cancelled_at = timezone.now()
            visit.cancel_reason = reason
        visit.save()
        _note(visit, note, user)
        event = "booking.cancelled" if status == BookingStatus.CANCELLED else "booking.updated"
        emit_booking(event, visit)
        changed += 1
    return changed


@transaction.atomic
def series_pause(*, series, user=None):
    """Stop a series for now: its future visits are skipped and none are added."""
    from .services import BookingError

    series = BookingSeries.objects.select_for_update().get(pk=series.pk)
    if series.status != SeriesStatus.ACTIVE:
        raise BookingError(f"Only an active series can be paused; this one is {series.status}.")
    series.status, series.paused_at = SeriesStatus.PAUSED, timezone.now()
    series.save(update_fields=["status", "paused_at", "updated_at"])
    return _set_visits(
        series,
        list(_future_open_visits(series)),
        BookingStatus.SKIPPED,
        PAUSE_REASON,
        user,
        "Skipped: the series is paused.",
    )


@transaction.atomic
def series_resume(*, series, user=None):
    """Start a paused series again: its future visits skipped by the pause come
    back, and the missing ones are added."""
    from .services import BookingError

    series = BookingSeries.objects.select_for_update().get(pk=series.pk)
    if series.status != SeriesStatus.PAUSED:
        raise BookingError(f"Only a paused series can be resumed; this one is {series.status}.")
    series.status, series.paused_at = SeriesStatus.ACTIVE, None
    series.save(update_fields=["status", "paused_at", "updated_at"])
    skipped = series.visits.filter(
        status=BookingStatus.SKIPPED, skip_reason=PAUSE_REASON, start__gte=timezone.now()
    )
    back = _set_visits(series, list(skipped), BookingStatus.SCHEDULED, "", user, "Series resumed.")
    return back + series_top_up(series=series)


@transaction.atomic
def series_end(*, series, user=None):
    """End a series: no more visits; the future ones are cancelled (visits
    that are done or invoiced stay as they are)."""
    from .services import BookingError

    series = BookingSeries.objects.select_for_update().get(pk=series.pk)
    if series.status == SeriesStatus.ENDED:
        raise BookingError("This series has already ended.")
    series.status, series.ended_on = SeriesStatus.ENDED, series.business.today()
    series.save(update_fields=["status", "ended_on", "updated_at"])
    future = series.visits.filter(
        status__in=[BookingStatus.SCHEDULED, BookingStatus.SKIPPED], start__gte=timezone.now()
    ).exclude(invoices__status__in=[s for s in InvoiceStatus.values if s != "void"])
    return _set_visits(
        series, list(future), BookingStatus.CANCELLED, END_REASON, user, "Cancelled: series ended."
    )
