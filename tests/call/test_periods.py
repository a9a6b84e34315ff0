"""Call frequency arithmetic."""

import datetime as dt
import zoneinfo

import pytest

from call.models import Frequency
from call.periods import one_period_after, shift_date

UTC = dt.UTC


@pytest.mark.parametrize(
    "day, frequency, expected",
    [
        (dt.date(2024, 12, 28), Frequency.DAILY, dt.date(2024, 12, 29)),
        (dt.date(2024, 12, 31), Frequency.DAILY, dt.date(2025, 1, 1)),
        (dt.date(2024, 12, 28), Frequency.WEEKLY, dt.date(2025, 1, 4)),
        (dt.date(2024, 12, 28), Frequency.BIWEEKLY, dt.date(2025, 1, 11)),
        (dt.date(2025, 1, 31), Frequency.MONTHLY, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), Frequency.MONTHLY, dt.date(2024, 2, 29)),
        (dt.date(2024, 3, 31), Frequency.MONTHLY, dt.date(2024, 4, 30)),
        (dt.date(2024, 12, 15), Frequency.MONTHLY, dt.date(2025, 1, 15)),
        (dt.date(2024, 2, 29), Frequency.MONTHLY, dt.date(2024, 3, 29)),
    ],
)
def test_shift_date(day, frequency, expected):
    assert shift_date(day, frequency) == expected


def test_one_period_keeps_the_time_of_day():
    moment = dt.datetime(2024, 12, 28, 10, tzinfo=UTC)
    assert one_period_after(moment, "DAILY", UTC) == dt.datetime(2024, 12, 29, 10, tzinfo=UTC)
    assert one_period_after(moment, "WEEKLY", UTC) == dt.datetime(2025, 1, 4, 10, tzinfo=UTC)


def test_month_end_is_clamped_in_local_time():
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    # 31 Jan 09:00 in Tokyo is 31 Jan 00:00 UTC.
    moment = dt.datetime(2025, 1, 31, 0, tzinfo=UTC)
    result = one_period_after(moment, "MONTHLY", tokyo)
    assert result.astimezone(tokyo) == dt.datetime(2025, 2, 28, 9, tzinfo=tokyo)
    # 31 Jan 20:00 in Los Angeles is already 1 Feb in UTC: still 28 Feb local.
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    moment = dt.datetime(2025, 2, 1, 4, tzinfo=UTC)
    result = one_period_after(moment, "MONTHLY", la)
    assert result.astimezone(la) == dt.datetime(2025, 2, 28, 20, tzinfo=la)


def test_daily_across_a_daylight_saving_change_keeps_local_time():
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    # 9:00 CST on 8 March 2025; DST starts on 9 March.
    moment = dt.datetime(2025, 3, 8, 9, tzinfo=chicago)
    result = one_period_after(moment, "DAILY", chicago)
    assert result.astimezone(chicago).hour == 9
    assert result - moment == dt.timedelta(hours=23)
