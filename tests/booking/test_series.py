"""Recurring series: the date rule, daylight-saving time, the horizon top-up,
prices at generation, edits with a scope, skip, pause, resume and end."""

import datetime as dt
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from booking import series, services
from booking.models import Booking, BookingSeries, BookingStatus, SeriesStatus
from booking.series import Scope, occurrence_dates
from tests.booking.factories import make_booking

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def d(text):
    return dt.date.fromisoformat(text)


@pytest.fixture
def priced(business):
    settings = business.settings
    settings.base_price_standard = Decimal("50.00")
    settings.price_per_bedroom = Decimal("20.00")
    settings.price_per_bathroom = Decimal("15.00")
    settings.sqft_rate_standard = Decimal("0.05")
    settings.discount_weekly = Decimal("15")
    settings.discount_biweekly = Decimal("10")
    settings.discount_every_4_weeks = Decimal("5")
    settings.discount_monthly = Decimal("5")
    settings.tax_rate = Decimal("8")
    settings.save()
    return business


def recurring(business, frequency="biweekly", days=3, **fields):
    return make_booking(business, days=days, frequency=frequency, **fields)


# --- The date rule ------------------------------------------------------------------


def test_weekly_biweekly_and_every_4_weeks_repeat_the_first_date():
    first = d("2026-12-01")
    assert list(occurrence_dates("weekly", first, first, d("2026-12-22"))) == [
        d("2026-12-01"),
        d("2026-12-08"),
        d("2026-12-15"),
        d("2026-12-22"),
    ]
    assert list(occurrence_dates("biweekly", first, d("2026-12-02"), d("2027-01-12"))) == [
        d("2026-12-15"),
        d("2026-12-29"),
        d("2027-01-12"),
    ]
    assert list(occurrence_dates("every_4_weeks", first, first, d("2027-01-31"))) == [
        d("2026-12-01"),
        d("2026-12-29"),
        d("2027-01-26"),
    ]


def test_monthly_is_the_same_weekday_of_the_month():
    first = d("2026-12-08")  # the 2nd Tuesday
    dates = list(occurrence_dates("monthly", first, first, d("2027-04-30")))
    assert dates == [
        d("2026-12-08"),
        d("2027-01-12"),
        d("2027-02-09"),
        d("2027-03-09"),
        d("2027-04-13"),
    ]
    assert all(day.weekday() == 1 and 8 <= day.day <= 14 for day in dates)


def test_monthly_on_a_fifth_weekday_means_the_last_one_of_each_month():
    first = d("2026-12-29")  # the 5th (and last) Tuesday of December
    dates = list(occurrence_dates("monthly", first, first, d("2027-06-30")))
    assert dates == [
        d("2026-12-29"),
        d("2027-01-26"),  # January has four Tuesdays: the 4th
        d("2027-02-23"),
        d("2027-03-30"),  # March has five: the 5th
        d("2027-04-27"),
        d("2027-05-25"),
        d("2027-06-29"),
    ]
    assert len({(day.year, day.month) for day in dates}) == len(dates)  # one a month, none skipped


def test_monthly_from_the_31st_keeps_its_weekday_every_month():
    first = d("2026-12-31")  # Thursday the 31st: the last Thursday
    dates = list(occurrence_dates("monthly", first, first, d("2027-03-31")))
    assert dates == [d("2026-12-31"), d("2027-01-28"), d("2027-02-25"), d("2027-03-25")]
    assert {day.weekday() for day in dates} == {3}


def test_the_rule_in_words(business):
    booking = recurring(business, frequency="monthly")
    assert series.describe(booking.series).startswith("Every month on the ")


# --- Series creation, DST and the horizon --------------------------------------------


def test_a_recurring_booking_starts_a_series_with_its_visits_ahead(priced):
    booking = recurring(priced, "biweekly")
    item = booking.series
    assert item.frequency == "biweekly" and item.status == SeriesStatus.ACTIVE
    visits = list(item.visits.order_by("start"))
    assert visits[0] == booking
    # 12 weeks ahead of today: the first visit and one every 14 days after it.
    horizon = priced.today() + dt.timedelta(weeks=12)
    expected = list(occurrence_dates("biweekly", item.first_date, item.first_date, horizon))
    assert [v.occurrence_date for v in visits] == expected
    assert item.generated_until == horizon
    for visit in visits:
        assert visit.series_id == item.pk and visit.status == BookingStatus.SCHEDULED
        assert [line.kind for line in visit.lines.all()][-1] == "discount"
        assert visit.public_id != booking.public_id or visit == booking


def test_one_time_booking_makes_no_series(priced):
    booking = make_booking(priced)
    assert booking.series is None and BookingSeries.objects.count() == 0
    assert not booking.lines.filter(kind="discount").exists()


@pytest.mark.parametrize(
    ("first", "change"),
    [
        (d("2027-02-23"), d("2027-03-14")),  # spring forward (2nd Sunday of March 2027)
        (d("2027-10-12"), d("2027-11-07")),  # fall back (1st Sunday of November 2027)
    ],
)
def test_visits_keep_their_local_time_across_daylight_saving_changes(priced, first, change):
    settings = priced.settings
    settings.series_horizon_weeks = 52
    settings.save()
    priced.timezone = "America/Chicago"
    priced.save()
    start = dt.datetime.combine(first, dt.time(9, 0), tzinfo=CHICAGO)
    booking = make_booking(priced, frequency="weekly", start=start)
    visits = [
        v
        for v in booking.series.visits.order_by("start")
        if v.occurrence_date <= first + dt.timedelta(weeks=5)
    ]
    assert len(visits) == 6
    assert {timezone.localtime(v.start, CHICAGO).time() for v in visits} == {dt.time(9, 0)}
    offsets = {v.occurrence_date < change: v.start.astimezone(dt.UTC).hour for v in visits}
    assert offsets[True] != offsets[False]  # the UTC hour moves, the local one does not
    assert sorted(offsets.values()) == [14, 15]


def test_at_local_time_on_a_skipped_hour_lands_after_the_change():
    from core.time import at_local_time

    moment = at_local_time(d("2027-03-14"), dt.time(2, 30), CHICAGO)
    assert timezone.localtime(moment, CHICAGO).time() == dt.time(3, 30)


def test_top_up_is_idempotent_and_adds_what_came_into_the_horizon(priced):
    booking = recurring(priced, "weekly")
    item = booking.series
    count = item.visits.count()
    assert series.series_top_up(series=item) == 0
    # A top-up that wrote its visits but not its progress (a retry) adds nothing.
    BookingSeries.objects.filter(pk=item.pk).update(generated_until=item.first_date)
    assert series.series_top_up(series=item) == 0
    assert item.visits.count() == count
    # A week later one more week is in the horizon.
    later = priced.today() + dt.timedelta(weeks=1)
    assert series.series_top_up(series=item, today=later) == 1
    assert series.series_top_up(series=item, today=later) == 0
    dates = list(item.visits.values_list("occurrence_date", flat=True))
    assert len(dates) == len(set(dates)) == count + 1


def test_top_up_command_and_task_top_up_every_active_series(priced, capsys):
    from booking import tasks

    one = recurring(priced, "weekly").series
    two = recurring(priced, "monthly").series
    BookingSeries.objects.filter(pk=one.pk).update(generated_until=one.first_date)
    one.visits.exclude(pk=one.visits.order_by("start").first().pk).delete()
    call_command("series_topup")
    out = capsys.readouterr().out
    assert "2 active series looked at" in out and "run this command from cron" in out
    assert one.visits.count() > 1
    before = Booking.objects.count()
    result = tasks.top_up_series.enqueue()
    assert result.return_value == {"series": 2, "visits": 0}
    assert Booking.objects.count() == before
    assert two.visits.count() > 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_top_ups_make_each_visit_once(priced):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    booking = recurring(priced, "weekly")
    item = booking.series
    expected = item.visits.count()
    item.visits.exclude(pk=booking.pk).delete()
    BookingSeries.objects.filter(pk=item.pk).update(generated_until=item.first_date)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            results.append(series.series_top_up(series=item))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [0, expected - 1]
    assert item.visits.count() == expected


# --- Prices -------------------------------------------------------------------------


def test_each_visit_is_priced_when_it_is_made_and_keeps_its_price(priced):
    booking = recurring(priced, "weekly")
    item = booking.series
    before = {v.pk: (v.total, v.subtotal) for v in item.visits.all()}
    # 50 + 2×20 + 15 + 1000×0.05 = 155; −15 % = 23.25 → 131.75; tax 8 % = 10.54
    assert set(before.values()) == {(Decimal("142.29"), Decimal("131.75"))}
    settings = priced.settings
    settings.base_price_standard = Decimal("80.00")
    settings.discount_weekly = Decimal("0")
    settings.save()
    later = priced.today() + dt.timedelta(weeks=2)
    assert series.series_top_up(series=item, today=later) == 2
    for visit in item.visits.all():
        if visit.pk in before:
            assert (visit.total, visit.subtotal) == before[visit.pk]
        else:
            assert visit.subtotal == Decimal("185.00")
            assert not visit.lines.filter(kind="discount").exists()


def test_only_the_first_booking_of_a_series_carries_the_deposit(priced):
    settings = priced.settings
    settings.deposit_amount = Decimal("25.00")
    settings.save()
    booking = recurring(priced, "biweekly")
    assert booking.deposit == Decimal("25.00")
    others = booking.series.visits.exclude(pk=booking.pk)
    assert others.exists() and set(others.values_list("deposit", flat=True)) == {Decimal("0")}


# --- Edits ------------------------------------------------------------------------------


def _visits(item):
    return list(item.visits.order_by("start"))


def test_edit_this_visit_only_changes_and_detaches_it(priced):
    booking = recurring(priced, "weekly")
    item = booking.series
    second = _visits(item)[1]
    series.series_update(booking=second, scope=Scope.THIS, bedrooms=4)
    second.refresh_from_db()
    assert second.bedrooms == 4 and second.series_detached
    assert {v.bedrooms for v in _visits(item) if v.pk != second.pk} == {2}
    item.refresh_from_db()
    assert item.bedrooms == 2


def test_edit_this_and_following_changes_later_visits_and_the_series(priced):
    booking = recurring(priced, "weekly")
    item = booking.series
    visits = _visits(item)
    third = visits[2]
    old_total = third.total
    tz = priced.tzinfo
    new_start = timezone.localtime(third.start, tz).replace(hour=13, minute=30)
    changed = series.series_update(
        booking=third, scope=Scope.FOLLOWING, bedrooms=3, start=new_start
    )
    assert changed == len(visits) - 2
    for index, visit in enumerate(_visits(item)):
        local = timezone.localtime(visit.start, tz)
        if index < 2:
            assert visit.bedrooms == 2 and local.hour == 9
        else:
            assert visit.bedrooms == 3 and (local.hour, local.minute) == (13, 30)
            assert visit.total > old_total  # re-priced
    item.refresh_from_db()
    assert item.bedrooms == 3 and item.start_time == dt.time(13, 30)
    later = priced.today() + dt.timedelta(weeks=1)
    series.series_top_up(series=item, today=later)
    newest = _visits(item)[-1]
    assert newest.bedrooms == 3


def test_edit_whole_series_skips_done_invoiced_and_detached_visits(priced):
    booking = recurring(priced, "weekly")
    item = booking.series
    first, second, third, *rest = _visits(item)
    services.booking_complete(booking=first, confirmed=True)  # completed and invoiced
    services.invoice_create(booking=second)  # invoiced, still scheduled
    series.series_update(booking=third, scope=Scope.THIS, square_feet=2000)
    fourth = rest[0]
    series.series_update(booking=fourth, scope=Scope.ALL, bathrooms=Decimal("2.5"))
    by_pk = {v.pk: v for v in _visits(item)}
    assert by_pk[first.pk].bathrooms == 1 and by_pk[second.pk].bathrooms == 1
    assert by_pk[third.pk].bathrooms == 1 and by_pk[third.pk].square_feet == 2000
    assert {by_pk[v.pk].bathrooms for v in rest} == {Decimal("2.5")}


def test_moving_the_day_for_the_series_is_refused_and_nothing_changes(priced):
    booking = recurring(priced, "weekly")
    item = booking.series
    second = _visits(item)[1]
    moved = second.start + dt.timedelta(days=1)
    with pytest.raises(services.BookingError, match="this visit only"):
        series.series_update(booking=second, scope=Scope.ALL, start=moved, bedrooms=5)
    assert {v.bedrooms for v in _visits(item)} == {2}


def test_invalid_series_edit_writes_nothing(priced):
    booking = recurring(priced, "weekly")
    item = booking.series
    second = _visits(item)[1]
    with pytest.raises(ValidationError):
        series.series_update(booking=second, scope=Scope.FOLLOWING, bedrooms=999)
    item.refresh_from_db()
    assert item.bedrooms == 2 and {v.bedrooms for v in _visits(item)} == {2}


# --- Skip, pause, resume, end ---------------------------------------------------------------


def test_skip_keeps_the_visit_with_its_reason(priced):
    booking = recurring(priced, "weekly")
    second = _visits(booking.series)[1]
    series.visit_skip(booking=second, reason="Customer away")
    second.refresh_from_db()
    assert second.status == BookingStatus.SKIPPED and second.skip_reason == "Customer away"
    with pytest.raises(services.BookingError):
        series.visit_skip(booking=second, reason="again")
    with pytest.raises(services.BookingError):
        series.visit_skip(booking=make_booking(priced), reason="one-time")


def test_pause_resume_and_end(priced):
    booking = recurring(priced, "weekly")
    item = booking.series
    services.booking_complete(booking=booking, confirmed=True)
    count = item.visits.count()
    series.series_pause(series=item)
    item.refresh_from_db()
    assert item.status == SeriesStatus.PAUSED
    statuses = {v.pk: v.status for v in _visits(item)}
    assert statuses.pop(booking.pk) == BookingStatus.COMPLETED
    assert set(statuses.values()) == {BookingStatus.SKIPPED}
    later = priced.today() + dt.timedelta(weeks=2)
    assert series.series_top_up(series=item, today=later) == 0  # paused: nothing added
    with pytest.raises(services.BookingError):
        series.series_pause(series=item)

    series.series_resume(series=item)
    item.refresh_from_db()
    assert item.status == SeriesStatus.ACTIVE
    assert {v.status for v in _visits(item) if v.pk != booking.pk} == {BookingStatus.SCHEDULED}
    assert item.visits.count() == count

    series.series_end(series=item)
    item.refresh_from_db()
    assert item.status == SeriesStatus.ENDED and item.ended_on == priced.today()
    statuses = {v.pk: v.status for v in _visits(item)}
    assert statuses.pop(booking.pk) == BookingStatus.COMPLETED
    assert set(statuses.values()) == {BookingStatus.CANCELLED}
    assert series.series_top_up(series=item, today=later) == 0
    with pytest.raises(services.BookingError):
        series.series_end(series=item)
    with pytest.raises(services.BookingError):
        series.series_resume(series=item)


def test_skip_pause_and_end_tell_integrations_about_each_visit(priced):
    from account.events import business_event

    booking = recurring(priced, "weekly")
    item = booking.series
    visits = [v.public_id for v in _visits(item)]
    seen = []

    def receiver(sender, event_type, data, **kwargs):
        seen.append((event_type, data.get("booking_id")))

    business_event.connect(receiver)
    try:
        series.visit_skip(booking=_visits(item)[1], reason="Away")
        assert seen == [("booking.updated", visits[1])]
        seen.clear()
        series.series_end(series=item)
    finally:
        business_event.disconnect(receiver)
    cancelled = [v.public_id for v in _visits(item) if v.status == BookingStatus.CANCELLED]
    assert cancelled and sorted(seen) == sorted(("booking.cancelled", pk) for pk in cancelled)
