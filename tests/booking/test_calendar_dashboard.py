from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from booking.models import Booking, Invoice, InvoiceStatus
from booking.services import booking_cancel
from tests.booking.factories import make_booking, make_invoice

pytestmark = pytest.mark.django_db


def test_month_calendar_shows_bookings_linking_to_detail(owner_client, business, other_business):
    booking = make_booking(business, days=0, customer_first_name="Today")
    cancelled = make_booking(business, days=0, hour=15, customer_first_name="Gone")
    booking_cancel(booking=cancelled, reason="x")
    make_booking(other_business, days=0, customer_first_name="Rival")
    response = owner_client.get(reverse("booking:calendar"))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("booking:detail", args=[booking.public_id]) in content
    assert "Today Smith" in content and "Gone Smith" in content
    assert "Rival" not in content
    assert response.context["view"] == "month"


def test_week_view_and_navigation(owner_client, business):
    in_two_weeks = make_booking(business, days=14, customer_first_name="Later")
    response = owner_client.get(reverse("booking:calendar"), {"view": "week"})
    assert response.status_code == 200
    assert len(response.context["weeks"]) == 1 and len(response.context["weeks"][0]) == 7
    assert "Later Smith" not in response.content.decode()
    day = (business.today() + timedelta(days=14)).isoformat()
    response = owner_client.get(reverse("booking:calendar"), {"view": "week", "date": day})
    assert reverse("booking:detail", args=[in_two_weeks.public_id]) in response.content.decode()
    # Nonsense dates are refused (400) and the calendar shows today.
    response = owner_client.get(reverse("booking:calendar"), {"date": "2020-13-45"})
    assert response.status_code == 400 and response.context["anchor"] == business.today()


def test_booking_near_midnight_lands_on_its_local_day(owner_client, business):
    late = make_booking(business, days=1, hour=23, customer_first_name="Late")
    response = owner_client.get(reverse("booking:calendar"), {"view": "week"})
    day = business.today() + timedelta(days=1)
    for week in response.context["weeks"]:
        for cell_day, bookings in week:
            if late in bookings:
                assert cell_day == day


def test_calendar_query_count(owner_client, business, django_assert_max_num_queries):
    for i in range(40):
        make_booking(business, days=i % 20 - 5, hour=8 + i % 8)
    # session, user, membership+business, bookings of the visible weeks, their
    # crew (one prefetch), the team for the crew filter
    with django_assert_max_num_queries(6):
        response = owner_client.get(reverse("booking:calendar"))
    assert response.status_code == 200


def test_calendar_needs_login(client):
    response = client.get(reverse("booking:calendar"))
    assert response.status_code == 302 and "/account/login/" in response.url


def test_home_panel_and_checklist(owner_client, business, django_assert_max_num_queries):
    response = owner_client.get(reverse("home"))
    assert b"Make your first booking" in response.content
    item = next(i for i in response.context["checklist"] if i["order"] == 50)
    assert not item["done"]
    make_booking(business, days=0, customer_first_name="Todayperson")
    make_booking(business, days=3)
    late = make_invoice(business, days=-20)
    late.due_date = business.today() - timedelta(days=2)
    late.save()
    response = owner_client.get(reverse("home"))
    panel = next(
        p for p in response.context["panels"] if p["template"] == "booking/_dashboard.html"
    )
    assert [b.customer_first_name for b in panel["context"]["todays_bookings"]] == ["Todayperson"]
    assert panel["context"]["upcoming_count"] == 1
    assert panel["context"]["invoice_totals"]["overdue"] == late.total
    assert b"Todayperson" in response.content
    item = next(i for i in response.context["checklist"] if i["order"] == 50)
    assert item["done"]


def test_dashboard_panel_is_constant_query(business, owner, django_assert_num_queries):
    from booking.selectors import checklist, dashboard

    for i in range(10):
        make_booking(business, days=0, hour=6 + i)
    business.settings  # noqa: B018
    # today's bookings, booking counts (today, week, upcoming), invoice totals,
    # payments per month; checklist: exists
    with django_assert_num_queries(5):
        dashboard(business, owner)
        checklist(business)


def test_seed_demo_adds_a_realistic_idempotent_spread():
    call_command("seed_demo", "--password", "demo-pass-123", stdout=StringIO())
    counts = (Booking.objects.count(), Invoice.objects.count())
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses == {"requested", "scheduled", "completed", "cancelled"}
    invoices = list(Invoice.objects.select_related("business"))
    shown = {invoice.display_status for invoice in invoices}
    assert {"paid", "partially_paid", "overdue", "unpaid"} <= shown
    assert all(i.status != InvoiceStatus.DRAFT for i in invoices)
    call_command("seed_demo", "--password", "demo-pass-123", stdout=StringIO())
    assert (Booking.objects.count(), Invoice.objects.count()) == counts


def test_demo_pages_render(client):
    from account.models import User

    call_command("seed_demo", "--password", "demo-pass-123", stdout=StringIO())
    demo = User.objects.get(username="demo")
    client.force_login(demo)
    booking = Booking.objects.filter(
        business=demo.membership.business, invoices__payments__isnull=False
    ).first()
    invoice = booking.invoices.get()
    urls = [
        reverse("home"),
        reverse("booking:list"),
        reverse("booking:calendar"),
        reverse("booking:calendar") + "?view=week",
        reverse("booking:invoice_list"),
        reverse("booking:invoice_list") + "?status=overdue",
        reverse("booking:create"),
        reverse("booking:detail", args=[booking.public_id]),
        reverse("booking:invoice_detail", args=[invoice.public_id]),
        reverse("booking:invoice_preview", args=[invoice.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    # A booking with payments cannot be deleted; the page says why.
    response = client.get(reverse("booking:delete", args=[booking.public_id]))
    assert b"void the invoice instead" in response.content


def test_month_shows_a_few_bookings_per_day_and_links_the_rest(owner_client, business):
    from booking.views import CALENDAR_PER_DAY

    busy = [make_booking(business, days=1, hour=7 + i) for i in range(CALENDAR_PER_DAY + 2)]
    make_booking(business, days=2, hour=9)
    response = owner_client.get(reverse("booking:calendar"))
    assert response.status_code == 200
    day = business.today() + timedelta(days=1)
    cells = {cell_day: shown for week in response.context["weeks"] for cell_day, shown in week}
    # The first bookings of the day, in time order; the rest behind "+2 more".
    assert list(cells[day]) == busy[:CALENDAR_PER_DAY]
    assert cells[day].more == 2
    content = response.content.decode()
    assert "+2 more" in content
    day_list = f"{reverse('booking:list')}?date_from={day}&amp;date_to={day}&amp;sort=start"
    assert day_list in content
    assert not cells[day + timedelta(days=1)].more
    # The link shows every booking of that day.
    response = owner_client.get(
        reverse("booking:list"), {"date_from": day, "date_to": day, "sort": "start"}
    )
    assert list(response.context["bookings"]) == busy


def test_month_query_count_does_not_grow_with_bookings_per_day(
    owner_client, business, django_assert_max_num_queries
):
    for i in range(60):
        make_booking(business, days=i % 10 + 1, hour=7 + i % 10)
    # session, user with membership, counts per day, the first bookings of each
    # day, their crew, the team for the member filter
    with django_assert_max_num_queries(6):
        response = owner_client.get(reverse("booking:calendar"))
    assert response.status_code == 200
    assert all(len(shown) <= 3 for week in response.context["weeks"] for _, shown in week)
