"""Local days and times of day: the one home of these rules.

- A local day starts at midnight in a time zone (`start_of_day`); a run of
  days is the half-open range [start of the first, start of the day after the
  last) (`day_bounds`).
- A local date and wall-clock time is one moment in a time zone
  (`at_local_time`): 9:00 stays 9:00 across daylight-saving changes; a time
  the clocks skip (2:30 on the spring-forward night) is read with the offset
  before the change, so it lands an hour later on the new clock.
- Dates people enter are between the years 1900 and 2999 (`DateField`):
  anything else is a typing mistake, and day arithmetic must not overflow.
- Times of day are shown on the business's 12- or 24-hour clock
  (`format_time`); the default follows its country.
"""

import datetime as dt

from django import forms
from django.utils import dateformat

MIN_YEAR, MAX_YEAR = 1900, 2999
DATE_RANGE_MESSAGE = f"Enter a date between the years {MIN_YEAR} and {MAX_YEAR}."

# Countries where a 12-hour clock (2:30 PM) is the everyday one.
TWELVE_HOUR_COUNTRIES = frozenset({"US", "CA", "AU", "NZ", "IN", "MX", "PH"})
FORMATS = {
    # (12-hour, seconds): format
    (True, False): "g:i A",
    (False, False): "H:i",
    (True, True): "g:i:s A",
    (False, True): "H:i:s",
}


def start_of_day(day, tz):
    """The moment `day` starts in `tz`, in UTC."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz).astimezone(dt.UTC)


def at_local_time(day, at, tz):
    """The moment of wall-clock time `at` on local date `day` in `tz`, in UTC."""
    return dt.datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz).astimezone(dt.UTC)


def day_bounds(tz, first_day, last_day=None):
    """[start of `first_day`, start of the day after `last_day`) in `tz`, as
    aware datetimes in UTC."""
    last_day = last_day or first_day
    return start_of_day(first_day, tz), start_of_day(last_day + dt.timedelta(days=1), tz)


def in_date_range(day):
    return MIN_YEAR <= day.year <= MAX_YEAR


class DateField(forms.DateField):
    """A date people type, between the years 1900 and 2999."""

    default_error_messages = {"out_of_range": DATE_RANGE_MESSAGE}

    def validate(self, value):
        super().validate(value)
        if value is not None and not in_date_range(value):
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")


def uses_12_hour_clock(country):
    """The default clock for a country (ISO 3166 code, or None)."""
    return country in TWELVE_HOUR_COUNTRIES


def format_time(value, *, hour12=True, seconds=False):
    """The time of day: "2:30 PM" or "14:30" (with `seconds`, "2:30:05 PM"
    or "14:30:05"); "" for None. Aware datetimes are shown in the time zone they carry
    (convert them first)."""
    if value is None or value == "":
        return ""
    return dateformat.time_format(value, FORMATS[bool(hour12), bool(seconds)])


def month_starts(today, months=12):
    """The first day of each of the last `months` months up to `today`'s, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def week_start(day):
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def week_starts(today, weeks=8):
    """The Monday of each of the last `weeks` weeks up to `today`'s, oldest first."""
    monday = week_start(today)
    return [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def as_date(value):
    """A date from what a database truncation returns (date or datetime)."""
    return value.date() if isinstance(value, dt.datetime) else value
