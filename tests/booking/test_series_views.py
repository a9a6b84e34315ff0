"""The recurring pages: booking form with a frequency, the live quote, the
edit scope, skip, the series page and its actions, the badges."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from booking.models import Booking, BookingSeries, BookingStatus, SeriesStatus
from tests.booking.factories import make_booking
from tests.booking.test_booking_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(business):
    settings = business.settings
    settings.base_price_deep = Decimal("100.00")
    settings.discount_biweekly = Decimal("10")
    settings.save()
    return business


@pytest.fixture
def visit(priced):
    """The first booking of a biweekly series."""
    return make_booking(priced, frequency="biweekly")


def new_urls(booking):
    series_id = booking.series.public_id
    return [
        reverse("booking:skip", args=[booking.public_id]),
        reverse("booking:series_detail", args=[series_id]),
        reverse("booking:series_pause", args=[series_id]),
        reverse("booking:series_resume", args=[series_id]),
        reverse("booking:series_end", args=[series_id]),
    ]


def test_every_new_page_is_404_for_an_outsider_and_a_login_redirect_when_anonymous(
    client, outsider_client, visit
):
    for url in new_urls(visit):
        assert outsider_client.get(url).status_code == 404, url
        post_only_get = url.endswith(f"/series/{visit.series.public_id}/")
        expected = 405 if post_only_get else 404
        assert outsider_client.post(url, {"reason": "x"}).status_code == expected, url
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
        response = client.post(url, {"reason": "x"})
        assert response.status_code == 302 and "/login" in response["Location"], url
    visit.refresh_from_db()
    assert visit.status == BookingStatus.SCHEDULED
    assert visit.series.status == SeriesStatus.ACTIVE


def test_unknown_series_is_404(owner_client, visit):
    assert owner_client.get(reverse("booking:series_detail", args=["SR-NOPE"])).status_code == 404


def test_booking_form_offers_the_frequency_and_books_a_series(owner_client, priced):
    page = owner_client.get(reverse("booking:create"))
    assert 'name="frequency"' in page.content.decode()
    response = owner_client.post(reverse("booking:create"), form_data(priced, frequency="biweekly"))
    assert response.status_code == 302
    item = BookingSeries.objects.get()
    assert item.frequency == "biweekly" and item.visits.count() > 1
    follow = owner_client.get(response["Location"])
    text = follow.content.decode()
    assert "Repeats every 2 weeks" in text and "recurring visit" in text


def test_bad_frequency_is_a_form_error_and_nothing_is_written(owner_client, priced):
    response = owner_client.post(reverse("booking:create"), form_data(priced, frequency="hourly"))
    assert response.status_code == 400
    assert "How often: choose one time" in response.content.decode()
    assert not Booking.objects.exists() and not BookingSeries.objects.exists()


def test_live_quote_shows_the_discount_line(owner_client, priced):
    response = owner_client.post(reverse("booking:quote"), form_data(priced, frequency="biweekly"))
    text = response.content.decode()
    assert "Discount, every 2 weeks (10 %)" in text
    one_time = owner_client.post(reverse("booking:quote"), form_data(priced))
    assert "Discount" not in one_time.content.decode()


def test_edit_form_asks_for_the_scope_and_applies_it(owner_client, priced, visit):
    visits = list(visit.series.visits.order_by("start"))
    second = visits[1]
    url = reverse("booking:edit", args=[second.public_id])
    page = owner_client.get(url).content.decode()
    assert "This visit only" in page and "This and following visits" in page
    assert "The whole series" in page and 'name="frequency"' in page  # hidden, for the quote
    data = form_data(priced, square_feet="2000")
    local = second.start.astimezone(priced.tzinfo)
    data.update(date=local.date().isoformat(), start_time="09:00")
    missing = owner_client.post(url, data)
    assert missing.status_code == 400
    assert "Choose which visits the changes apply to." in missing.content.decode()
    assert set(visit.series.visits.values_list("square_feet", flat=True)) == {1000}

    response = owner_client.post(url, {**data, "scope": "following"})
    assert response.status_code == 302
    feet = {v.pk: v.square_feet for v in visit.series.visits.all()}
    assert feet[visits[0].pk] == 1000
    assert {feet[v.pk] for v in visits[1:]} == {2000}
    assert Booking.objects.get(pk=second.pk).lines.filter(kind="discount").exists()


def test_edit_scope_moving_the_day_for_the_series_is_a_form_error(owner_client, priced, visit):
    second = list(visit.series.visits.order_by("start"))[1]
    url = reverse("booking:edit", args=[second.public_id])
    local = second.start.astimezone(priced.tzinfo)
    data = form_data(priced, square_feet="2000", scope="all")
    data.update(date=(local.date() + timedelta(days=1)).isoformat(), start_time="09:00")
    response = owner_client.post(url, data)
    assert response.status_code == 400
    assert "This visit only" in response.content.decode()
    assert set(visit.series.visits.values_list("square_feet", flat=True)) == {1000}


def test_skip_asks_for_a_reason_then_skips(owner_client, visit):
    url = reverse("booking:skip", args=[visit.public_id])
    page = owner_client.get(url)
    assert page.status_code == 200 and "Skip this visit?" in page.content.decode()
    empty = owner_client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "Say why this visit is skipped." in empty.content.decode()
    assert Booking.objects.get(pk=visit.pk).status == BookingStatus.SCHEDULED
    assert owner_client.post(url, {"reason": "On holiday"}).status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.skip_reason) == (BookingStatus.SKIPPED, "On holiday")
    detail = owner_client.get(reverse("booking:detail", args=[visit.public_id]))
    assert "Skipped: On holiday" in detail.content.decode()


def test_skip_refuses_a_one_time_booking(owner_client, priced):
    booking = make_booking(priced)
    url = reverse("booking:skip", args=[booking.public_id])
    assert "not part of a recurring series" in owner_client.get(url).content.decode()
    assert owner_client.post(url, {"reason": "x"}).status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.SCHEDULED


def test_series_page_lists_visits_and_runs_pause_resume_end(owner_client, visit):
    item = visit.series
    url = reverse("booking:series_detail", args=[item.public_id])
    page = owner_client.get(url).content.decode()
    assert item.public_id in page and visit.public_id in page and "Every 2 weeks on" in page
    past = owner_client.get(url + "?show=past").content.decode()
    assert "No past visits yet" in past
    for action, status in (("pause", "paused"), ("resume", "active"), ("end", "ended")):
        action_url = reverse(f"booking:series_{action}", args=[item.public_id])
        confirm = owner_client.get(action_url)
        assert confirm.status_code == 200
        assert owner_client.post(action_url).status_code == 302
        item.refresh_from_db()
        assert item.status == status
    # Ending twice is refused with a message, not an error page.
    again = owner_client.post(reverse("booking:series_end", args=[item.public_id]), follow=True)
    assert "already ended" in again.content.decode()
    assert not item.visits.filter(status=BookingStatus.SCHEDULED).exists()


def test_series_page_query_count_does_not_grow_with_visits(
    owner_client, priced, django_assert_max_num_queries
):
    small = make_booking(priced, frequency="every_4_weeks").series
    settings = priced.settings
    settings.series_horizon_weeks = 52
    settings.save()
    large = make_booking(priced, frequency="weekly").series
    assert large.visits.count() > 3 * small.visits.count()
    for item in (small, large):
        with django_assert_max_num_queries(12):
            response = owner_client.get(reverse("booking:series_detail", args=[item.public_id]))
        assert response.status_code == 200


def test_list_and_calendar_mark_recurring_visits(
    owner_client, priced, visit, django_assert_max_num_queries
):
    one_time = make_booking(priced, days=4)
    page = owner_client.get(reverse("booking:list")).content.decode()
    assert "every 2 weeks" in page and "(recurring visit)" in page and one_time.public_id
    day = visit.start.astimezone(priced.tzinfo).date()
    cal = owner_client.get(reverse("booking:calendar") + f"?view=week&date={day}")
    text = cal.content.decode()
    assert "↻" in text and "every 2 weeks" in text
    month = owner_client.get(reverse("booking:calendar") + f"?date={day}").content.decode()
    assert "recurring every 2 weeks" in month  # screen-reader text of the short badge
    before = owner_client.get(reverse("booking:list"))
    assert before.status_code == 200
    for _ in range(3):
        make_booking(priced, frequency="weekly")
    with django_assert_max_num_queries(20):
        assert owner_client.get(reverse("booking:list")).status_code == 200
        assert owner_client.get(reverse("booking:calendar")).status_code == 200
