"""Calendar arithmetic for call frequencies, in a restaurant's local time."""

import calendar
import datetime as dt

from .models import Frequency

DAYS = {Frequency.DAILY: 1, Frequency.WEEKLY: 7, Frequency.BIWEEKLY: 14}


def shift_date(day, frequency):
    """`day` moved on by one period; a month later is clamped to the month's
    end (31 January → 28 or 29 February)."""
    if frequency == Frequency.MONTHLY:
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        last = calendar.monthrange(year, month)[1]
        return day.replace(year=year, month=month, day=min(day.day, last))
    return day + dt.timedelta(days=DAYS[Frequency(frequency)])


def one_period_after(moment, frequency, tz):
    """`moment` plus one period, keeping the local time of day in `tz`."""
    local = moment.astimezone(tz)
    day = shift_date(local.date(), frequency)
    result = dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz)
    return result.astimezone(dt.UTC)
