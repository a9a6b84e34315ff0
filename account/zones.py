"""Whose "today": the one home of the person's time zone.

A user may set a time zone on their profile (`User.time_zone`); empty means
the business's. "Today" on the CRM pages, the calls agenda and the home
dashboard is today where the signed-in person is. Days and their bounds
come from `core.time`.
"""

import zoneinfo

from django.utils import timezone

from core.time import day_bounds


def user_tzinfo(user, business):
    """The user's time zone, else the business's, else the site's."""
    name = getattr(user, "time_zone", "") or ""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    if business is not None:
        return business.tzinfo
    return timezone.get_default_timezone()


def user_now(user, business, now=None):
    """`now` (default: this moment) in the user's time zone."""
    return (now or timezone.now()).astimezone(user_tzinfo(user, business))


def user_today(user, business, now=None):
    """Today's date where the user is."""
    return user_now(user, business, now).date()


def user_day_bounds(user, business, first_day=None, last_day=None, now=None):
    """[start, end) of the user's days `first_day`..`last_day` (default:
    today), as aware datetimes in UTC."""
    tz = user_tzinfo(user, business)
    first_day = first_day or user_today(user, business, now)
    return day_bounds(tz, first_day, last_day)
