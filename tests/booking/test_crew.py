"""The crew: roles, assignment, overlaps, the calendar's member filter and My jobs."""

from datetime import datetime, timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from account.models import Membership
from account.tenancy import business_required, crew_allowed
from booking import crew, services
from booking.models import Booking, BookingNote, BookingStatus, Invoice
from tests.booking.factories import make_booking
from tests.factories import add_member

pytestmark = pytest.mark.django_db


def membership(user):
    return Membership.objects.select_related("business", "user").get(user=user)


def at(business, days, hour, minute=0):
    day = business.today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=business.tzinfo)


def assign(booking, *users):
    crew.booking_assign(booking=booking, members=[membership(u) for u in users])
    return booking


# --- Roles ----------------------------------------------------------------------

OFFICE_PAGES = [
    ("booking:list", ()),
    ("booking:create", ()),
    ("booking:calendar", ()),
    ("booking:invoice_list", ()),
    ("leads:list", ()),
    ("leads:create", ()),
    ("crm:home", ()),
]
OWNER_PAGES = [
    ("account:business_settings_edit", ()),
    ("account:business_edit", ()),
    ("account:addon_list", ()),
    ("account:credentials_edit", ()),
    ("account:team", ()),
    ("webhooks:inbox", ()),
    ("webhooks:integration_list", ()),
]
CREW_PAGES = [("booking:my_jobs", ()), ("account:profile", ())]


@pytest.mark.parametrize("name,args", OFFICE_PAGES + OWNER_PAGES + CREW_PAGES)
def test_role_matrix(owner_client, member_client, cleaner_client, name, args):
    url = reverse(name, args=args)
    owner_only = (name, args) in OWNER_PAGES
    crew_page = (name, args) in CREW_PAGES
    assert owner_client.get(url).status_code == 200
    assert member_client.get(url).status_code == (403 if owner_only else 200)
    assert cleaner_client.get(url).status_code == (200 if crew_page else 403)


def test_cleaner_gets_403_on_invoice_and_lead_pages_of_their_business(business, cleaner_client):
    booking = make_booking(business, days=-1)
    invoice = services.booking_complete(booking=booking)
    for url in (
        reverse("booking:invoice_detail", args=[invoice.public_id]),
        reverse("booking:invoice_pdf", args=[invoice.public_id]),
        reverse("booking:edit", args=[booking.public_id]),
        reverse("booking:mark_completed", args=[booking.public_id]),
        reverse("booking:cancel", args=[booking.public_id]),
    ):
        assert cleaner_client.get(url).status_code == 403, url
    response = cleaner_client.post(reverse("booking:quote"), {})
    assert response.status_code == 403


def test_cleaner_is_sent_from_home_to_my_jobs(cleaner_client):
    response = cleaner_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:my_jobs")


def test_cleaner_navigation_shows_only_my_jobs(cleaner_client, member_client):
    html = cleaner_client.get(reverse("booking:my_jobs")).content.decode()
    assert ">My jobs</a>" in html
    for label in (">Bookings<", ">Calendar<", ">Invoices<", ">Leads<", ">Restaurants<", "API docs"):
        assert label not in html
    html = member_client.get(reverse("booking:my_jobs")).content.decode()
    assert ">Invoices<" in html and "My jobs" in html


def test_business_required_refuses_cleaners_unless_crew_allowed(cleaner, member):
    def view(request):
        return HttpResponse("ok")

    closed = business_required(view)
    opened_above = crew_allowed(business_required(view))
    opened_below = business_required(crew_allowed(lambda request: HttpResponse("ok")))
    factory = RequestFactory()
    for user, expected in ((cleaner, False), (member, True)):
        request = factory.get("/")
        request.user = user
        request.membership = membership(user)
        request.business = request.membership.business
        if expected:
            assert closed(request).status_code == 200
        else:
            with pytest.raises(Exception) as raised:
                closed(request)
            assert raised.type.__name__ == "PermissionDenied"
        assert opened_above(request).status_code == 200
        assert opened_below(request).status_code == 200


@pytest.mark.parametrize("auth", ["jwt", "session"])
def test_api_refuses_cleaners(cleaner, member, auth):
    for user, expected in ((cleaner, 403), (member, 200)):
        client = APIClient()
        if auth == "jwt":
            client.credentials(
                HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}"
            )
        else:
            client.force_login(user, backend="account.backends.UsernameOrEmailBackend")
        response = client.get("/lead/restaurants/")
        assert response.status_code == expected, (user, response.content)
    assert "Cleaners" in client_message(cleaner)


def client_message(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client.get("/lead/restaurants/").json()["detail"]


# --- A cleaner's view of a booking ----------------------------------------------


def test_cleaner_sees_assigned_booking_without_prices(business, cleaner, cleaner_client):
    booking = assign(
        make_booking(business, addons={"oven": 1}, special_requests="Key under mat"), cleaner
    )
    response = cleaner_client.get(reverse("booking:detail", args=[booking.public_id]))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "booking/job_detail.html"
    html = response.content.decode()
    assert "Key under mat" in html
    assert "Inside oven" in html
    assert "tel:+15125550199" in html
    assert "https://www.openstreetmap.org/search?query=12%20Oak%20St" in html
    assert "$" not in html
    assert str(booking.total) not in html
    assert "Invoice" not in html


def test_cleaner_gets_404_on_a_job_not_assigned_to_them(business, cleaner_client, member):
    booking = assign(make_booking(business), member)
    response = cleaner_client.get(reverse("booking:detail", args=[booking.public_id]))
    assert response.status_code == 404


def test_outsider_and_other_business_get_404(business, cleaner, outsider_client, other_business):
    booking = assign(make_booking(business), cleaner)
    for name in ("booking:detail", "booking:job_complete"):
        assert outsider_client.get(reverse(name, args=[booking.public_id])).status_code == 404
    response = outsider_client.post(reverse("booking:job_start", args=[booking.public_id]))
    assert response.status_code == 404


def test_office_still_sees_every_booking_with_prices(business, member_client, cleaner):
    booking = assign(make_booking(business), cleaner)
    response = member_client.get(reverse("booking:detail", args=[booking.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "$" in html and "Maria Lopez" in html and "crew-colour-" in html


# --- Overlaps -------------------------------------------------------------------


def test_overlap_rule(business, cleaner, member):
    first = assign(make_booking(business, days=2, hour=9, duration_minutes=180), cleaner)
    maria = membership(cleaner)

    def conflicts(hour, minute=0, minutes=60, members=(maria,)):
        start = at(business, 2, hour, minute)
        return crew.overlaps(
            business=business,
            start=start,
            end=start + timedelta(minutes=minutes),
            members=list(members),
        )

    assert conflicts(11, 30) == [(maria, first)]  # 11:30–12:30 meets 9:00–12:00
    assert conflicts(8, 0, minutes=90) == [(maria, first)]  # 8:00–9:30
    assert conflicts(8, 0, minutes=600) == [(maria, first)]  # covers it
    assert conflicts(12) == []  # starts when the other ends
    assert conflicts(8) == []  # ends when the other starts
    assert conflicts(10, members=(membership(member),)) == []  # someone else
    first.status = BookingStatus.CANCELLED
    first.save()
    assert conflicts(10) == []  # a cancelled job is no conflict


def test_overlap_message_names_the_conflict(business, cleaner):
    other = assign(make_booking(business, days=2, hour=9, duration_minutes=180), cleaner)
    new = make_booking(business, days=2, hour=10)
    conflicts = crew.booking_assign(booking=new, members=[membership(cleaner)])
    [line] = crew.conflict_messages(conflicts, business)
    assert line.startswith(f"Maria Lopez already has {other.public_id} 9:00 AM–12:00 PM (")


def test_assigning_an_overlapping_member_warns_and_saves(owner_client, business, cleaner):
    other = assign(make_booking(business, days=2, hour=9, duration_minutes=180), cleaner)
    data = booking_form_data(business, days=2, hour=10)
    data["assignees"] = [membership(cleaner).pk]
    response = owner_client.post(reverse("booking:create"), data, follow=True)
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any(f"Maria Lopez already has {other.public_id}" in t for t in texts), texts
    booking = Booking.objects.exclude(pk=other.pk).get()
    assert list(booking.assignees.all()) == [membership(cleaner)]
    assert "Overlapping jobs." in response.content.decode()  # on the detail page too


def booking_form_data(business, *, days, hour):
    day = business.today() + timedelta(days=days)
    return {
        "customer_first_name": "Robin",
        "address": "9 Elm St",
        "service_type": "standard",
        "bedrooms": "2",
        "bathrooms": "1",
        "square_feet": "900",
        "date": day.isoformat(),
        "start_time": f"{hour:02d}:00",
        "duration_minutes": "120",
    }


def test_booking_form_refuses_a_member_of_another_business(owner_client, business, other_business):
    foreign = membership(add_member(other_business, role="cleaner", username="spy"))
    data = booking_form_data(business, days=2, hour=10)
    data["assignees"] = [foreign.pk]
    response = owner_client.post(reverse("booking:create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["assignees"]
    assert not Booking.objects.exists()


def test_editing_the_crew_notes_history(owner_client, business, cleaner, member):
    booking = assign(make_booking(business), cleaner)
    from booking.forms import BookingForm

    data = {
        k: v
        for k, v in BookingForm.initial_from_booking(booking).items()
        if not isinstance(v, list)
    }
    data["date"] = data["date"].isoformat()
    data["start_time"] = data["start_time"].strftime("%H:%M")
    data["assignees"] = [membership(member).pk, membership(cleaner).pk]
    response = owner_client.post(reverse("booking:edit", args=[booking.public_id]), data)
    assert response.status_code == 302
    assert set(booking.assignees.all()) == {membership(member), membership(cleaner)}
    assert BookingNote.objects.filter(booking=booking, message__startswith="Crew: ").count() == 2


# --- Calendar -------------------------------------------------------------------


def test_calendar_filters_and_colours_by_member(owner_client, business, cleaner, member):
    mine = assign(make_booking(business, days=0, customer_first_name="Cleanerjob"), cleaner)
    assign(make_booking(business, days=0, hour=14, customer_first_name="Officejob"), member)
    url = reverse("booking:calendar")
    html = owner_client.get(url).content.decode()
    assert "Cleanerjob" in html and "Officejob" in html
    assert crew.colour(membership(cleaner)) in html and "Maria Lopez" in html
    response = owner_client.get(url, {"member": membership(cleaner).pk, "view": "week"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cleanerjob" in html and "Officejob" not in html
    assert f"member={membership(cleaner).pk}" in html  # kept on the calendar's links
    assert mine.public_id in html


def test_calendar_refuses_a_member_of_another_business(owner_client, business, other_business):
    make_booking(business, days=0, customer_first_name="Shown")
    foreign = membership(add_member(other_business, username="elsewhere"))
    response = owner_client.get(reverse("booking:calendar"), {"member": foreign.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "That team member was not found." in html and "Shown" in html
    assert owner_client.get(reverse("booking:calendar"), {"member": "x"}).status_code == 400


def test_calendar_query_count_with_assignees(
    owner_client, business, cleaner, member, django_assert_max_num_queries
):
    for i in range(30):
        booking = make_booking(business, days=i % 15 - 5, hour=8 + i % 8)
        assign(booking, *((cleaner, member) if i % 2 else (cleaner,)))
    # session, user, membership+business, bookings, their crew, the team
    with django_assert_max_num_queries(6):
        response = owner_client.get(reverse("booking:calendar"), {"view": "month"})
    assert response.status_code == 200
    maria = membership(cleaner).pk
    # … and the chosen member, checked to be of the business
    with django_assert_max_num_queries(7):
        response = owner_client.get(reverse("booking:calendar"), {"member": maria})
    assert response.status_code == 200


# --- My jobs --------------------------------------------------------------------


def test_my_jobs_needs_sign_in(client):
    response = client.get(reverse("booking:my_jobs"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    booking_url = reverse("booking:job_start", args=["BK-NOPE"])
    response = client.post(booking_url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_my_jobs_lists_today_and_upcoming_of_the_member(business, cleaner, member, cleaner_client):
    today = assign(make_booking(business, days=0, hour=9, customer_first_name="Todayjob"), cleaner)
    assign(make_booking(business, days=3, customer_first_name="Laterjob"), cleaner)
    assign(make_booking(business, days=-2, customer_first_name="Pastjob"), cleaner)
    assign(make_booking(business, days=1, customer_first_name="Othersjob"), member)
    cancelled = assign(make_booking(business, days=1, customer_first_name="Offjob"), cleaner)
    cancelled.status = BookingStatus.CANCELLED
    cancelled.save()
    response = cleaner_client.get(reverse("booking:my_jobs"))
    html = response.content.decode()
    assert "Todayjob" in html and "Laterjob" in html
    assert "Pastjob" not in html and "Othersjob" not in html and "Offjob" not in html
    assert "$" not in html
    assert [d[1] for d in response.context["days"]][0] == "Today"
    assert crew.jobs_for(membership(cleaner), business.today()) == [today]


def test_my_jobs_empty_state(cleaner_client, member_client):
    assert (
        "When the office gives you a job"
        in cleaner_client.get(reverse("booking:my_jobs")).content.decode()
    )
    assert (
        "Tick your name under Crew"
        in member_client.get(reverse("booking:my_jobs")).content.decode()
    )


def test_owner_and_office_see_their_own_assignments(business, owner, member, owner_client):
    assign(make_booking(business, days=1, customer_first_name="Ownersjob"), owner)
    assign(make_booking(business, days=1, customer_first_name="Officesjob"), member)
    html = owner_client.get(reverse("booking:my_jobs")).content.decode()
    assert "Ownersjob" in html and "Officesjob" not in html


def test_my_jobs_query_count(business, cleaner, cleaner_client, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            assign(make_booking(business, days=i % 5, hour=8 + i % 9, addons={"oven": 1}), cleaner)

    grow(3)
    # session, user, membership+business, jobs, their crew, their add-ons
    with django_assert_max_num_queries(6):
        assert cleaner_client.get(reverse("booking:my_jobs")).status_code == 200
    grow(25)
    with django_assert_max_num_queries(6):
        response = cleaner_client.get(reverse("booking:my_jobs"))
    assert response.context["job_count"] == 28


def test_start_and_complete_with_notes(business, cleaner, cleaner_client):
    booking = assign(make_booking(business, days=0, hour=0), cleaner)
    url = reverse("booking:job_start", args=[booking.public_id])
    response = cleaner_client.post(url, {"notes": "Dog is friendly"})
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:my_jobs") + f"#job-{booking.public_id}"
    booking.refresh_from_db()
    assert booking.started_at is not None and booking.started_by == cleaner
    assert BookingNote.objects.filter(
        booking=booking, user=cleaner, message="Job started. Notes: Dog is friendly"
    ).exists()
    # Starting twice changes nothing.
    started_at = booking.started_at
    response = cleaner_client.post(url, follow=True)
    assert "already been started" in response.content.decode()
    booking.refresh_from_db()
    assert booking.started_at == started_at

    url = reverse("booking:job_complete", args=[booking.public_id])
    response = cleaner_client.post(url, {"notes": "All rooms done", "next": "detail"})
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:detail", args=[booking.public_id])
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert booking.completed_by == cleaner and booking.completed_at is not None
    assert Invoice.objects.filter(booking=booking).count() == 1  # the completion service's
    assert BookingNote.objects.filter(
        booking=booking, user=cleaner, message="Completion notes: All rooms done"
    ).exists()
    html = cleaner_client.get(response["Location"]).content.decode()
    assert "Completed" in html and "Maria Lopez" in html and "$" not in html


def test_completing_a_future_job_asks_first(business, cleaner, cleaner_client):
    booking = assign(make_booking(business, days=2), cleaner)
    url = reverse("booking:job_complete", args=[booking.public_id])
    response = cleaner_client.post(url, {"notes": "Came early"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "has not started yet" in html
    assert "Came early" in html  # the notes are kept
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED
    assert not Invoice.objects.exists()
    assert cleaner_client.get(url).status_code == 200
    response = cleaner_client.post(url, {"notes": "Came early", "confirm": "1"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED


def test_bad_notes_write_nothing(business, cleaner, cleaner_client):
    booking = assign(make_booking(business, days=0, hour=0), cleaner)
    notes_before = BookingNote.objects.count()
    for name in ("booking:job_start", "booking:job_complete"):
        response = cleaner_client.post(
            reverse(name, args=[booking.public_id]), {"notes": "x" * 401, "confirm": "1"}
        )
        assert response.status_code == 400
        assert "id_notes" in response.content.decode()
    booking.refresh_from_db()
    assert booking.started_at is None and booking.status == BookingStatus.SCHEDULED
    assert BookingNote.objects.count() == notes_before


def test_start_and_complete_only_own_jobs(business, cleaner, member, cleaner_client, member_client):
    booking = assign(make_booking(business, days=0, hour=0), member)
    for name in ("booking:job_start", "booking:job_complete"):
        url = reverse(name, args=[booking.public_id])
        assert cleaner_client.post(url).status_code == 404
    # The office completes someone else's job from the booking, not from My jobs.
    mine = assign(make_booking(business, days=0, hour=1), cleaner)
    assert (
        member_client.post(reverse("booking:job_start", args=[mine.public_id])).status_code == 404
    )
    booking.refresh_from_db()
    assert booking.started_at is None


def test_start_is_post_only_and_refuses_finished_jobs(business, cleaner, cleaner_client):
    booking = assign(make_booking(business, days=0, hour=0), cleaner)
    url = reverse("booking:job_start", args=[booking.public_id])
    assert cleaner_client.get(url).status_code == 405
    services.booking_complete(booking=booking, confirmed=True)
    response = cleaner_client.post(url, follow=True)
    assert "This job is completed; it cannot be started." in response.content.decode()
    response = cleaner_client.post(
        reverse("booking:job_complete", args=[booking.public_id]), follow=True
    )
    assert "it cannot be completed" in response.content.decode()


def test_removing_a_member_removes_their_assignments(business, cleaner, owner_client):
    booking = assign(make_booking(business), cleaner)
    url = reverse("account:member_remove", args=[membership(cleaner).pk])
    assert owner_client.post(url).status_code == 302
    assert not booking.assignees.exists()


def test_cleaners_get_no_api_keys(cleaner_client, member_client):
    assert b'id="api-keys"' not in cleaner_client.get(reverse("account:profile")).content
    url = reverse("account:update_credentials")
    response = cleaner_client.post(url, {"action": "create_key", "name": "script"})
    assert response.status_code == 403
    assert b'id="api-keys"' in member_client.get(reverse("account:profile")).content
