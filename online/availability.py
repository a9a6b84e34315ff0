"""Which arrival windows the booking page offers.

A day offers windows from its opening time, one every `window_minutes`,
while a window starts before closing time; none on closed weekdays or days
off, none starting sooner than the lead time, none past the horizon. A window
is full when as many live bookings (scheduled or requested) start inside it as
the business can run at the same time: its capacity, by default the number of
cleaners on the team. Times are the business's local time.
"""

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from account.models import Membership
from booking.models import Booking, BookingStatus
from core.time import day_bounds

LIVE_STATUSES = (BookingStatus.SCHEDULED, BookingStatus.REQUESTED)
CLEANER_ROLE = "cleaner"


def crew_capacity(business):
    """How many jobs the business can run at once by default: its cleaners (at least 1)."""
    count = Membership.objects.filter(business=business, role=CLEANER_ROLE).count()
    return max(count, 1)


def capacity(page):
    return page.capacity or crew_capacity(page.business)


@dataclass(frozen=True)
class Window:
    start: datetime  # aware, in the business's time zone
    end: datetime
    left: int

    @property
    def value(self):
        """The form value of the window: its local start, "2026-12-04T09:00"."""
        return self.start.strftime("%Y-%m-%dT%H:%M")


def _hours(page, day):
    hours = (page.working_hours or {}).get(str(day.weekday()))
    if not hours or len(hours) != 2:
        return None
    try:
        opening, closing = (time.fromisoformat(value) for value in hours)
    except (TypeError, ValueError):
        return None
    return (opening, closing) if opening < closing else None


def _days_off(page):
    days = set()
    for value in page.days_off or []:
        try:
            days.add(date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return days


def day_starts(page, day):
    """The aware starts of the windows of local `day` (ignoring lead time and bookings)."""
    tz = page.business.tzinfo
    if day in _days_off(page):
        return []
    hours = _hours(page, day)
    if hours is None:
        return []
    opening, closing = hours
    step = timedelta(minutes=page.window_minutes)
    current = datetime.combine(day, opening)
    last = datetime.combine(day, closing)
    starts = []
    while current < last:
        starts.append(timezone.make_aware(current, tz))
        current += step
    return starts


def bookable_days(page, now=None):
    """(first, last) local dates the page may offer."""
    now = timezone.localtime(now or timezone.now(), page.business.tzinfo)
    earliest = now + timedelta(hours=page.lead_time_hours)
    return earliest.date(), now.date() + timedelta(days=page.horizon_days)


def windows(page, *, now=None, first=None, last=None, exclude=None):
    """Every window with capacity left from `first` to `last` (local dates,
    default: the page's bookable days), in order. One query for the bookings,
    one for the crew size when the page has no capacity of its own.
    `exclude` is a booking that does not count (the one being moved)."""
    now = now or timezone.now()
    tz = page.business.tzinfo
    earliest = now + timedelta(hours=page.lead_time_hours)
    default_first, default_last = bookable_days(page, now)
    first = max(first or default_first, default_first)
    last = min(last or default_last, default_last)
    if first > last:
        return []
    starts = []
    day = first
    while day <= last:
        starts.extend(start for start in day_starts(page, day) if start >= earliest)
        day += timedelta(days=1)
    if not starts:
        return []
    step = timedelta(minutes=page.window_minutes)
    low, high = day_bounds(tz, first, last)
    taken = _taken(page, low, high, exclude=exclude)
    limit = capacity(page)
    result = []
    for start in starts:
        # `taken` is sorted: the bookings inside the window are one slice of it.
        used = bisect_left(taken, start + step) - bisect_left(taken, start)
        if used < limit:
            result.append(Window(start, start + step, limit - used))
    return result


def _taken(page, low, high, *, exclude=None):
    query = Booking.objects.filter(
        business=page.business, status__in=LIVE_STATUSES, start__gte=low, start__lt=high
    )
    if exclude is not None:
        query = query.filter(~Q(pk=exclude.pk))
    return sorted(query.values_list("start", flat=True))


def window_at(page, start, *, now=None, exclude=None):
    """The open window starting at aware `start`, or None when there is none
    (outside the rules or full)."""
    local = timezone.localtime(start, page.business.tzinfo)
    for window in windows(page, now=now, first=local.date(), last=local.date(), exclude=exclude):
        if window.start == local:
            return window
    return None


def parse_window(page, value):
    """The aware start of a window's form value, or None."""
    try:
        local = datetime.strptime(str(value or "").strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    try:
        return timezone.make_aware(local, page.business.tzinfo)
    except (ValueError, OverflowError):
        return None


def grouped(window_list):
    """[(local date, [windows])] for a select with one group per day."""
    groups = []
    for window in window_list:
        day = window.start.date()
        if not groups or groups[-1][0] != day:
            groups.append((day, []))
        groups[-1][1].append(window)
    return groups
