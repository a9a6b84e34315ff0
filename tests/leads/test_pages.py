import pytest
from django.urls import reverse

from leads.models import Lead, LeadActivity
from webhooks.models import Delivery, Integration

from .factories import LeadFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Jordan Smith",
    "email": "jordan@example.com",
    "phone": "(512) 555-0143",
    "service_wanted": "Deep clean",
    "source": "manual",
    "priority": "high",
    "notes": "Prefers mornings.",
}


# --- List -------------------------------------------------------------------------


def test_list_shows_only_own_leads_newest_first(owner_client, business, other_business):
    LeadFactory(business=business, name="Older")
    LeadFactory(business=business, name="Newer")
    LeadFactory(business=other_business, name="Their lead")
    response = owner_client.get(reverse("leads:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Newer") < content.index("Older")
    assert "Their lead" not in content


def test_member_sees_leads(member_client, business):
    LeadFactory(business=business, name="Shared lead")
    assert b"Shared lead" in member_client.get(reverse("leads:list")).content


def test_anonymous_is_sent_to_login(client, business):
    lead = LeadFactory(business=business)
    for url in (
        reverse("leads:list"),
        reverse("leads:create"),
        reverse("leads:detail", args=[lead.public_id]),
        reverse("leads:update", args=[lead.public_id]),
        reverse("leads:delete", args=[lead.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account:login") in response["Location"]
    assert client.post(reverse("leads:create"), VALID).status_code == 302
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "contacted"}, "Casey", "Alex"),
        ({"source": "thumbtack"}, "Alex", "Casey"),
        ({"q": "casey"}, "Casey", "Alex"),
        ({"q": "512-555-0199"}, "Alex", "Casey"),
        ({"q": "casey@example"}, "Casey", "Alex"),
    ],
)
def test_filters_and_search(owner_client, business, query, shown, hidden):
    LeadFactory(
        business=business,
        name="Alex",
        phone="+15125550199",
        source=Lead.Source.THUMBTACK,
        email="alex@example.com",
    )
    LeadFactory(
        business=business,
        name="Casey",
        phone="+15125550100",
        status=Lead.Status.CONTACTED,
        email="casey@example.com",
    )
    content = owner_client.get(reverse("leads:list"), query).content.decode()
    assert f">{shown}</a>" in content
    assert f">{hidden}</a>" not in content


def test_bad_filter_values_do_not_break_the_page(owner_client, business):
    # As on every list (core.filters): a value that cannot be read answers 400
    # with the error shown, and the list is shown without that filter.
    LeadFactory(business=business, name="Alex")
    response = owner_client.get(reverse("leads:list"), {"status": "bogus", "page": "x"})
    assert response.status_code == 400
    assert b"Alex" in response.content
    assert b"These filters were not applied: Status: Select a valid choice." in response.content


def test_status_counts_and_empty_state(owner_client, business):
    response = owner_client.get(reverse("leads:list"))
    assert b"No leads yet" in response.content
    LeadFactory.create_batch(2, business=business, status=Lead.Status.LOST)
    response = owner_client.get(reverse("leads:list"))
    assert [c for s, _, c in response.context["status_counts"] if s == "lost"] == [2]
    assert response.context["total"] == 2


def test_list_queries_are_bounded_and_paginated(
    owner_client, business, django_assert_max_num_queries
):
    LeadFactory.create_batch(60, business=business)
    # session, user, membership+business, status counts, page count, page rows
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("leads:list"))
    assert len(response.context["page_obj"].object_list) == 25
    page3 = owner_client.get(reverse("leads:list"), {"page": 3})
    assert len(page3.context["page_obj"].object_list) == 10


# --- Create -----------------------------------------------------------------------


def test_create_normalises_phone_and_starts_timeline(owner_client, business):
    response = owner_client.post(reverse("leads:create"), VALID)
    lead = Lead.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:detail", args=[lead.public_id])
    assert lead.phone == "+15125550143"
    assert lead.priority == Lead.Priority.HIGH
    assert lead.business == business
    assert lead.public_id.startswith("LD-")
    assert lead.activities.get().kind == LeadActivity.Kind.CREATED


def test_create_phone_uses_business_region(owner_client, business):
    business.phone = "+44 20 7946 0018"
    business.save()
    owner_client.post(reverse("leads:create"), {**VALID, "phone": "020 7946 0958"})
    assert Lead.objects.get().phone == "+442079460958"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": "12"}, b"Enter a valid phone number"),
        ({"phone": "not a phone"}, b"Enter a valid phone number"),
        ({"name": ""}, b"This field is required"),
        ({"email": "nope"}, b"Enter a valid email address"),
        ({"source": "fax"}, b"Select a valid choice"),
        ({"priority": "urgent"}, b"Select a valid choice"),
        ({"phone": "", "email": ""}, b"Give a phone number or an email"),
    ],
)
def test_create_rejects_bad_input(owner_client, business, change, message):
    response = owner_client.post(reverse("leads:create"), {**VALID, **change})
    assert response.status_code == 400
    assert message in response.content
    assert not Lead.objects.exists()


def test_create_emits_lead_created(owner_client, business, django_capture_on_commit_callbacks):
    Integration.objects.create(
        business=business, name="CRM", url="http://127.0.0.1:9/x", events=["lead.created"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("leads:create"), VALID)
    delivery = Delivery.objects.get()
    assert delivery.payload["type"] == "lead.created"
    assert delivery.payload["data"]["id"] == Lead.objects.get().public_id


# --- Detail, update, delete ---------------------------------------------------------


def test_detail_shows_source_details_and_timeline(owner_client, business):
    lead = LeadFactory(
        business=business,
        source=Lead.Source.RETELL,
        details={
            "retell": {
                "call_id": "call_1",
                "summary": "Wants a deep clean.",
                "sentiment": "Positive",
                "transcript": "Agent: hi",
                "recording_url": "https://example.com/r.wav",
                "duration_seconds": 108,
                "booking_problems": ["Missing: address."],
            }
        },
    )
    LeadActivity.objects.create(lead=lead, kind="call", message="Phone call analysed.")
    response = owner_client.get(reverse("leads:detail", args=[lead.public_id]))
    content = response.content.decode()
    for text in (
        "Wants a deep clean.",
        "Positive",
        "Agent: hi",
        "https://example.com/r.wav",
        "1 min 48 s",
        "Missing: address.",
        "Phone call analysed.",
    ):
        assert text in content
    assert reverse("booking:create") + "?lead=" + lead.public_id in content


def test_detail_shows_thumbtack_request_and_thread(owner_client, business):
    lead = LeadFactory(
        business=business,
        source=Lead.Source.THUMBTACK,
        details={
            "thumbtack": {
                "category": "House Cleaning",
                "description": "Monthly clean",
                "location": {"address1": "1 Main", "city": "Austin", "state": "TX"},
                "details": [{"question": "How often?", "answer": "Monthly"}],
                "proposed_times": [{"start": "2026-03-05T15:00:00Z", "end": ""}],
            }
        },
        estimate_total="175.00",
    )
    lead.messages.create(
        business=business, negotiation_id="n1", message_id="m1", sender="Customer", text="Hello?"
    )
    content = owner_client.get(reverse("leads:detail", args=[lead.public_id])).content.decode()
    for text in (
        "House Cleaning",
        "Monthly clean",
        "1 Main, Austin, TX",
        "How often?",
        "$175.00",
        "Hello?",
        "Thu Mar 5, 9:00 AM",
    ):
        assert text in content


def test_converted_lead_shows_its_bookings_and_no_convert_button(owner_client, business):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from booking.services import booking_create

    lead = LeadFactory(business=business)
    booking = booking_create(
        business=business,
        customer_first_name="A",
        customer_last_name="B",
        address="1 Main",
        service_type="standard",
        bedrooms=1,
        bathrooms=Decimal("1"),
        square_feet=500,
        start=timezone.now() + timedelta(days=2),
        lead=lead,
    )
    content = owner_client.get(reverse("leads:detail", args=[lead.public_id])).content.decode()
    assert booking.public_id in content
    assert "Convert to booking" not in content


def test_outsider_gets_404_everywhere(outsider_client, business):
    lead = LeadFactory(business=business, name="Private")
    for url in (
        reverse("leads:detail", args=[lead.public_id]),
        reverse("leads:update", args=[lead.public_id]),
        reverse("leads:delete", args=[lead.public_id]),
    ):
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.post(url, {**VALID, "status": "lost"}).status_code == 404
    assert outsider_client.delete(reverse("leads:delete", args=[lead.public_id])).status_code == 404
    lead.refresh_from_db()
    assert lead.name == "Private" and lead.status == Lead.Status.NEW


def test_unknown_lead_is_404(owner_client, business):
    assert owner_client.get(reverse("leads:detail", args=["LD-NOPE"])).status_code == 404


def test_update_records_status_change_and_note(member_client, business, member):
    lead = LeadFactory(business=business, name="Jordan")
    response = member_client.post(
        reverse("leads:update", args=[lead.public_id]),
        {**VALID, "status": "contacted", "note": "Left a voicemail."},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONTACTED
    assert lead.phone == "+15125550143"
    kinds = set(lead.activities.values_list("kind", flat=True))
    assert {"status", "note", "updated"} <= kinds
    assert lead.activities.get(kind="note").user == member


def test_quick_update_from_detail_page(owner_client, business):
    lead = LeadFactory(business=business)
    response = owner_client.post(
        reverse("leads:update", args=[lead.public_id]),
        {"quick": "1", "status": "qualified", "note": ""},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Lead.Status.QUALIFIED
    bad = owner_client.post(
        reverse("leads:update", args=[lead.public_id]), {"quick": "1", "status": "won"}
    )
    assert bad.status_code == 400
    lead.refresh_from_db()
    assert lead.status == Lead.Status.QUALIFIED


def test_update_rejects_bad_input(owner_client, business):
    lead = LeadFactory(business=business, name="Jordan", phone="+15125550100")
    response = owner_client.post(
        reverse("leads:update", args=[lead.public_id]),
        {**VALID, "phone": "123", "status": "contacted"},
    )
    assert response.status_code == 400
    assert b"Enter a valid phone number" in response.content
    lead.refresh_from_db()
    assert (lead.phone, lead.status, lead.name) == ("+15125550100", "new", "Jordan")
    assert not lead.activities.exists()


def test_get_never_changes_state(owner_client, business):
    lead = LeadFactory(business=business)
    assert owner_client.get(reverse("leads:update", args=[lead.public_id])).status_code == 200
    assert owner_client.get(reverse("leads:delete", args=[lead.public_id])).status_code == 200
    assert Lead.objects.filter(pk=lead.pk).exists()
    assert not lead.activities.exists()


def test_delete_by_post_and_by_delete(owner_client, business):
    first, second = LeadFactory.create_batch(2, business=business)
    response = owner_client.post(reverse("leads:delete", args=[first.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:list")
    response = owner_client.delete(reverse("leads:delete", args=[second.public_id]))
    assert response.status_code == 204
    assert not Lead.objects.exists()


def test_dashboard_panel(owner_client, business, django_assert_max_num_queries):
    LeadFactory.create_batch(30, business=business)
    LeadFactory(business=business, name="Latest lead", status=Lead.Status.QUALIFIED)
    from leads.selectors import dashboard

    # aggregate counts, latest five, leads per source per week (the chart)
    with django_assert_max_num_queries(3):
        panel = dashboard(business, None)
    assert panel["context"]["new_this_week"] == 31
    assert ("Qualified", "qualified", 1) in panel["context"]["counts"]
    response = owner_client.get(reverse("home"))
    assert b"Latest lead" in response.content


def test_convert_to_booking_through_the_booking_form(
    owner_client, business, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    lead = LeadFactory(business=business, name="Jordan Smith", phone="+15125550143")
    detail = owner_client.get(reverse("leads:detail", args=[lead.public_id]))
    convert_url = reverse("booking:create") + "?lead=" + lead.public_id
    assert convert_url.encode() in detail.content
    form = owner_client.get(convert_url)
    assert form.status_code == 200
    assert b"Jordan" in form.content
    from booking.models import Booking

    data = {
        key: value for key, value in form.context["form"].initial.items() if value not in (None, "")
    }
    data.update(
        {
            "lead": lead.public_id,
            "customer_first_name": "Jordan",
            "customer_last_name": "Smith",
            "address": "1 Main St",
            "service_type": "standard",
            "bedrooms": "2",
            "bathrooms": "1",
            "square_feet": "900",
            # Within the booking validation's bounds (at most two years ahead).
            "date": (business.today() + timedelta(days=30)).isoformat(),
            "start_time": "10:00",
            "duration_minutes": "180",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(convert_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    lead.refresh_from_db()
    assert booking.lead == lead
    assert lead.status == Lead.Status.CONVERTED
    assert lead.activities.filter(kind=LeadActivity.Kind.BOOKING).exists()


def test_detail_queries_are_bounded(owner_client, business, django_assert_max_num_queries):
    lead = LeadFactory(business=business, source=Lead.Source.THUMBTACK, details={"thumbtack": {}})
    for n in range(30):
        LeadActivity.objects.create(lead=lead, kind="note", message=f"Note {n}")
        lead.messages.create(business=business, negotiation_id="n", message_id=f"m{n}", text="x")
    # session, user, membership+business, lead, bookings, activities(+user), messages
    with django_assert_max_num_queries(9):
        response = owner_client.get(reverse("leads:detail", args=[lead.public_id]))
    assert response.status_code == 200
