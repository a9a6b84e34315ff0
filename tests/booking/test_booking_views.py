from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from booking.models import Booking, BookingStatus, Invoice, InvoiceStatus
from booking.services import invoice_create, payment_record
from leads.models import Lead
from tests.booking.factories import make_booking

pytestmark = pytest.mark.django_db


def form_data(business, **overrides):
    day = business.today() + timedelta(days=5)
    data = {
        "customer_first_name": "Ada",
        "customer_last_name": "Lovelace",
        "customer_email": "ada@example.com",
        "customer_phone": "+15125550111",
        "customer_company": "",
        "address": "1 Elm St",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78701",
        "service_type": "deep",
        "bedrooms": "3",
        "bathrooms": "2",
        "square_feet": "1500",
        "date": day.isoformat(),
        "start_time": "09:30",
        "duration_minutes": "180",
        "special_requests": "Dog is friendly",
        "addon_oven": "1",
        "addon_windows": "4",
    }
    data.update(overrides)
    return data


@pytest.fixture
def priced(business):
    s = business.settings
    s.base_price_standard, s.price_per_bedroom, s.price_per_bathroom = (
        Decimal(0),
        Decimal(20),
        Decimal(15),
    )
    s.sqft_rate_deep, s.tax_rate = Decimal("0.10"), Decimal("8")
    s.save()
    return business


# --- create ------------------------------------------------------------------------


def test_create_form_renders_with_quote(owner_client, priced):
    response = owner_client.get(reverse("booking:create"))
    assert response.status_code == 200
    assert b'id="quote"' in response.content
    assert b"addon_oven" in response.content


def test_create_prices_on_the_server_and_ignores_browser_prices(owner_client, priced, owner):
    data = form_data(priced, total="1.00", subtotal="1.00", tax="0")
    response = owner_client.post(reverse("booking:create"), data)
    assert response.status_code == 302
    booking = Booking.objects.get(business=priced)
    assert response.url == reverse("booking:detail", args=[booking.public_id])
    # 60 + 30 + 150 + 25 + 20 = 285; tax 22.80
    assert (booking.subtotal, booking.tax, booking.total) == (
        Decimal("285.00"),
        Decimal("22.80"),
        Decimal("307.80"),
    )
    assert booking.public_id.startswith("BK-") and len(booking.public_id) == 11
    assert booking.created_by == owner
    local = booking.start.astimezone(priced.tzinfo)
    assert (local.hour, local.minute) == (9, 30)  # entered in the business's time zone
    assert booking.lines.filter(kind="addon").count() == 2
    assert booking.history.exists()


def test_booking_start_is_in_business_timezone(owner_client, business):
    business.timezone = "Asia/Tokyo"
    business.save()
    owner_client.post(reverse("booking:create"), form_data(business, start_time="08:00"))
    booking = Booking.objects.get(business=business)
    assert booking.start.astimezone(business.tzinfo).hour == 8
    assert booking.start.utcoffset() == timedelta(0)  # stored in UTC


@pytest.mark.parametrize(
    "field,value",
    [
        ("bedrooms", "-1"),
        ("bathrooms", "-2"),
        ("bathrooms", "1.3"),
        ("square_feet", "-100"),
        ("service_type", "spa"),
        ("date", "not-a-date"),
        ("customer_first_name", ""),
        ("addon_oven", "-1"),
        ("duration_minutes", "5"),
        ("customer_email", "nope"),
    ],
)
def test_create_bad_input_writes_nothing(owner_client, business, field, value):
    response = owner_client.post(reverse("booking:create"), form_data(business, **{field: value}))
    assert response.status_code == 400
    assert Booking.objects.count() == 0


def test_create_from_lead_prefills_links_and_converts(owner_client, business):
    lead = Lead.objects.create(
        business=business,
        name="Grace Brewster Hopper",
        email="grace@example.com",
        phone="+15125550123",
        service_wanted="Deep clean",
        notes="Two cats",
    )
    response = owner_client.get(reverse("booking:create") + f"?lead={lead.public_id}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["customer_first_name"] == "Grace"
    assert form.initial["customer_last_name"] == "Brewster Hopper"
    assert form.initial["service_type"] == "deep"
    assert form.initial["special_requests"] == "Two cats"
    assert lead.public_id.encode() in response.content

    response = owner_client.post(
        reverse("booking:create"), form_data(business, lead=lead.public_id)
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    lead.refresh_from_db()
    assert booking.lead == lead and booking.source == "lead"
    assert lead.status == Lead.Status.CONVERTED


def test_create_refuses_another_business_lead(owner_client, business, other_business):
    foreign = Lead.objects.create(business=other_business, name="Not yours")
    response = owner_client.get(reverse("booking:create") + f"?lead={foreign.public_id}")
    assert response.status_code == 404
    response = owner_client.post(
        reverse("booking:create"), form_data(business, lead=foreign.public_id)
    )
    assert response.status_code == 400
    assert Booking.objects.count() == 0
    foreign.refresh_from_db()
    assert foreign.status == Lead.Status.NEW


def test_quote_endpoint_uses_server_prices(owner_client, priced):
    response = owner_client.post(reverse("booking:quote"), form_data(priced))
    assert response.status_code == 200
    assert b'data-total="307.80"' in response.content
    response = owner_client.post(
        reverse("booking:quote"), form_data(priced, addon_oven="2", customer_first_name="")
    )
    assert b'data-total="334.80"' in response.content  # other fields do not matter
    response = owner_client.post(reverse("booking:quote"), form_data(priced, bedrooms="-3"))
    assert b'data-total=""' in response.content
    assert owner_client.get(reverse("booking:quote")).status_code == 405
    assert Booking.objects.count() == 0


# --- list ----------------------------------------------------------------------------


def test_list_counts_search_filters_and_order(owner_client, business, other_business):
    soon = make_booking(business, days=1, customer_first_name="Soon")
    later = make_booking(business, days=10, customer_first_name="Later")
    past = make_booking(business, days=-5, customer_first_name="Past")
    past.status = BookingStatus.COMPLETED
    past.save()
    make_booking(other_business, customer_first_name="Rival")

    response = owner_client.get(reverse("booking:list"))
    assert response.status_code == 200
    names = [b.customer_first_name for b in response.context["bookings"]]
    assert names == ["Soon", "Later", "Past"]  # upcoming first, then the past
    assert response.context["counts"]["scheduled"] == 2
    assert response.context["counts"]["completed"] == 1
    assert b"Rival" not in response.content

    def names_for(**params):
        response = owner_client.get(reverse("booking:list"), params)
        return [b.customer_first_name for b in response.context["bookings"]]

    assert names_for(q="later") == ["Later"]
    assert names_for(q=soon.public_id) == ["Soon"]
    assert names_for(q="jamie@example") == ["Soon", "Later", "Past"]
    assert names_for(status="completed") == ["Past"]
    assert names_for(service_type="deep") == []
    start = business.today() + timedelta(days=5)
    assert names_for(date_from=start.isoformat()) == ["Later"]
    assert names_for(date_to=business.today().isoformat()) == ["Past"]
    assert names_for(sort="-start") == ["Later", "Soon", "Past"]
    assert names_for(date_from="garbage") == ["Soon", "Later", "Past"]
    assert later.public_id


def test_list_empty_state(owner_client, business):
    response = owner_client.get(reverse("booking:list"))
    assert b"Make your first booking" in response.content


def test_list_query_count_is_bounded(owner_client, business, django_assert_max_num_queries):
    for day in range(30):
        make_booking(business, days=day - 10)
    # session, user, membership+business, booking counts, page count, page rows
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("booking:list"))
    assert len(response.context["bookings"]) == 25


# --- detail / edit -----------------------------------------------------------------------


def test_detail_shows_lines_invoice_and_history(owner_client, business):
    booking = make_booking(business, addons={"oven": 1})
    invoice, _ = invoice_create(booking=booking)
    response = owner_client.get(reverse("booking:detail", args=[booking.public_id]))
    assert response.status_code == 200
    assert b"Inside oven" in response.content
    assert invoice.number.encode() in response.content
    assert b"History" in response.content


def test_edit_reprices_and_reports_old_and_new_totals(owner_client, priced):
    booking = make_booking(priced, service_type="deep", bedrooms=3, bathrooms=2, square_feet=1500)
    old_total = booking.total
    data = form_data(priced, addon_oven="2", addon_windows="0")
    response = owner_client.post(reverse("booking:edit", args=[booking.public_id]), data)
    assert response.status_code == 302
    booking.refresh_from_db()
    # 60 + 30 + 150 + oven 2 × 25 = 290, tax 23.20
    assert old_total == Decimal("259.20")
    assert booking.total == Decimal("313.20")
    response = owner_client.get(response.url)
    assert "was $259.20, now $313.20" in response.content.decode()


def test_edit_form_prefills(owner_client, business):
    booking = make_booking(business, addons={"oven": 2})
    response = owner_client.get(reverse("booking:edit", args=[booking.public_id]))
    assert response.status_code == 200
    assert response.context["form"].initial["addon_oven"] == 2
    assert "lead" not in response.context["form"].fields


def test_completed_booking_is_read_only(owner_client, business):
    booking = make_booking(business)
    owner_client.post(reverse("booking:mark_completed", args=[booking.public_id]), {"confirm": "1"})
    response = owner_client.post(
        reverse("booking:edit", args=[booking.public_id]), form_data(business)
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.customer_first_name == "Jamie"


def test_edit_bad_input_writes_nothing(owner_client, business):
    booking = make_booking(business)
    response = owner_client.post(
        reverse("booking:edit", args=[booking.public_id]), form_data(business, bedrooms="-1")
    )
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.bedrooms == 2


# --- complete / cancel / delete ---------------------------------------------------------------


def test_mark_completed_creates_invoice_once(owner_client, business):
    booking = make_booking(business, days=-1)
    url = reverse("booking:mark_completed", args=[booking.public_id])
    assert owner_client.get(url).status_code == 200  # a confirmation page, nothing changes
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED
    response = owner_client.post(url)
    invoice = Invoice.objects.get(booking=booking)
    assert response.url == reverse("booking:invoice_detail", args=[invoice.public_id])
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED and booking.completed_at
    assert invoice.total == booking.total and invoice.number == "INV-0001"
    owner_client.post(url)
    assert Invoice.objects.filter(booking=booking).count() == 1


def test_cancel_with_reason(owner_client, business):
    booking = make_booking(business)
    url = reverse("booking:cancel", args=[booking.public_id])
    assert owner_client.get(url).status_code == 200
    assert owner_client.post(url, {"reason": ""}).status_code == 400
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED
    owner_client.post(url, {"reason": "Moved away"})
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == ("cancelled", "Moved away")
    response = owner_client.get(reverse("booking:list"), {"status": "cancelled"})
    assert list(response.context["bookings"]) == [booking]
    # A cancelled booking cannot be completed.
    owner_client.post(reverse("booking:mark_completed", args=[booking.public_id]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not Invoice.objects.exists()


def test_delete_get_confirms_post_deletes_with_unpaid_invoice(owner_client, business):
    booking = make_booking(business)
    invoice_create(booking=booking)
    url = reverse("booking:delete", args=[booking.public_id])
    response = owner_client.get(url)
    assert response.status_code == 200 and b"Yes, delete" in response.content
    assert Booking.objects.exists()
    response = owner_client.post(url)
    assert response.status_code == 302
    assert not Booking.objects.exists() and not Invoice.objects.exists()


def test_delete_by_script(owner_client, business):
    booking = make_booking(business)
    response = owner_client.delete(reverse("booking:delete", args=[booking.public_id]))
    assert response.status_code == 204
    assert not Booking.objects.exists()


def test_delete_refused_when_invoice_has_payments(owner_client, business):
    booking = make_booking(business)
    invoice, _ = invoice_create(booking=booking)
    payment_record(invoice=invoice, amount=Decimal("10"), method="cash", paid_on=business.today())
    url = reverse("booking:delete", args=[booking.public_id])
    response = owner_client.post(url, follow=True)
    assert b"void the invoice instead" in response.content
    assert owner_client.delete(url).status_code == 409
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_member_cannot_delete(member_client, business):
    booking = make_booking(business)
    assert (
        member_client.post(reverse("booking:delete", args=[booking.public_id])).status_code == 403
    )
    assert Booking.objects.exists()


# --- access ------------------------------------------------------------------------------------


def booking_urls(booking_id):
    return [
        ("get", reverse("booking:detail", args=[booking_id])),
        ("get", reverse("booking:edit", args=[booking_id])),
        ("post", reverse("booking:edit", args=[booking_id])),
        ("post", reverse("booking:mark_completed", args=[booking_id])),
        ("get", reverse("booking:cancel", args=[booking_id])),
        ("post", reverse("booking:cancel", args=[booking_id])),
        ("get", reverse("booking:delete", args=[booking_id])),
        ("post", reverse("booking:delete", args=[booking_id])),
        ("delete", reverse("booking:delete", args=[booking_id])),
        ("get", reverse("booking:invoice_create", args=[booking_id])),
        ("post", reverse("booking:invoice_create", args=[booking_id])),
    ]


def test_anonymous_is_sent_to_login(client, business):
    booking = make_booking(business)
    urls = booking_urls(booking.public_id) + [
        ("get", reverse("booking:list")),
        ("get", reverse("booking:create")),
        ("post", reverse("booking:create")),
        ("post", reverse("booking:quote")),
        ("get", reverse("booking:calendar")),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/account/login/" in response.url
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED


def test_outsider_gets_404_and_nothing_changes(outsider_client, business):
    booking = make_booking(business)
    for method, url in booking_urls(booking.public_id):
        data = {"reason": "x"} if method == "post" else None
        response = (
            getattr(outsider_client, method)(url, data)
            if data
            else getattr(outsider_client, method)(url)
        )
        assert response.status_code == 404, url
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED
    assert not Invoice.objects.exists()


def test_wrong_ids_are_404(owner_client, business):
    for method, url in booking_urls("BK-NOPE2345"):
        assert getattr(owner_client, method)(url).status_code == 404, url


def test_get_never_changes_state(owner_client, business):
    booking = make_booking(business)
    before = Booking.objects.filter(pk=booking.pk).values().get()
    for method, url in booking_urls(booking.public_id):
        if method == "get":
            owner_client.get(url)
    assert Booking.objects.filter(pk=booking.pk).values().get() == before
    assert not Invoice.objects.exists()
    assert InvoiceStatus


# --- converting leads from every source ---------------------------------------------


def _post_webhook(client, capture, url, payload, **headers):
    import json

    with capture(execute=True):
        response = client.post(
            url, data=json.dumps(payload), content_type="application/json", **headers
        )
    assert response.status_code == 202, response.content


def test_convert_retell_lead_carries_the_call_into_the_form(
    client, owner_client, business, django_capture_on_commit_callbacks
):
    from tests.webhooks.conftest import load

    day = business.today() + timedelta(days=10)
    payload = load("retell/call_analyzed_booking.json")
    data = payload["call"]["call_analysis"]["custom_analysis_data"]
    data.update(
        appointment_booked=False,
        appointment_datetime=f"{day.isoformat()}T09:00:00",
        frequency="Every two weeks",
    )
    url = reverse("webhooks:retell", args=[business.credentials.webhook_secret])
    _post_webhook(client, django_capture_on_commit_callbacks, url, payload)
    lead = Lead.objects.get(business=business)

    response = owner_client.get(reverse("booking:create") + f"?lead={lead.public_id}")
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert {name: initial.get(name) for name in initial if name != "lead"} == {
        "customer_first_name": "Maria",
        "customer_last_name": "Lopez",
        "customer_email": "maria.lopez@example.com",
        "customer_phone": "(512) 555-0143",
        "address": "1208 Elm Street",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78704",
        "service_type": "deep",
        "bedrooms": 3,
        "bathrooms": Decimal("2.0"),
        "square_feet": 1500,
        "date": day,
        "start_time": time(9, 0),
        "addon_oven": 1,
        "addon_windows": 4,
        "frequency": "biweekly",
        "special_requests": "Gate code 4412. Two friendly dogs.\nFrequency: Every two weeks",
    }
    content = response.content.decode()
    assert 'id="lead-details"' in content
    assert "Every two weeks" in content and "Maria Lopez booked a deep clean" in content

    # What the form shows is what gets booked.
    form = {
        key: (value.isoformat() if hasattr(value, "isoformat") else value)
        for key, value in initial.items()
    }
    form["start_time"] = "09:00"
    form["duration_minutes"] = "180"
    response = owner_client.post(reverse("booking:create"), form)
    assert response.status_code == 302
    booking = Booking.objects.get(lead=lead)
    assert (booking.lead, booking.bedrooms, booking.square_feet) == (lead, 3, 1500)
    assert "Frequency: Every two weeks" in booking.special_requests
    assert booking.series.frequency == "biweekly"


def test_convert_thumbtack_lead_carries_the_request_into_the_form(
    client, owner_client, business, django_capture_on_commit_callbacks
):
    from account import services as account_services
    from tests.webhooks.conftest import THUMBTACK_PASSWORD, THUMBTACK_USERNAME, basic, load

    credentials = business.credentials
    credentials.thumbtack_username = THUMBTACK_USERNAME
    account_services.credentials_set_thumbtack_password(
        credentials=credentials, password=THUMBTACK_PASSWORD
    )
    credentials.save()
    day = business.today() + timedelta(days=4)
    payload = load("thumbtack/negotiation_created.json")
    request = payload["data"]["request"]
    request["details"] += [
        {"question": "How many bedrooms?", "answer": "3 bedrooms"},
        {"question": "How many bathrooms?", "answer": "2.5 bathrooms"},
        {"question": "How often do you need cleaning?", "answer": "Every week"},
    ]
    request["proposedTimes"] = [
        {"start": f"{day.isoformat()}T15:00:00Z", "end": f"{day.isoformat()}T18:00:00Z"},
        {"start": f"{day.isoformat()}T20:00:00Z", "end": f"{day.isoformat()}T22:00:00Z"},
    ]
    _post_webhook(
        client,
        django_capture_on_commit_callbacks,
        reverse("webhooks:thumbtack"),
        payload,
        HTTP_AUTHORIZATION=basic(),
    )
    lead = Lead.objects.get(business=business)

    response = owner_client.get(reverse("booking:create") + f"?lead={lead.public_id}")
    assert response.status_code == 200
    initial = response.context["form"].initial
    local = datetime.combine(day, time(15, 0), tzinfo=UTC).astimezone(business.tzinfo)
    assert {name: initial.get(name) for name in initial if name != "lead"} == {
        "customer_first_name": "Dana",
        "customer_last_name": "Whitfield",
        "customer_phone": "(512) 555-0188",
        "address": "4417 Ramsey Ave",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78756",
        "bedrooms": 3,
        "bathrooms": Decimal("2.5"),
        "date": local.date(),
        "start_time": local.time(),
        "frequency": "weekly",
        "special_requests": (
            "Water heater closet pipe is dripping, need someone this week.\nFrequency: Every week"
        ),
    }
    # What the lead does not say keeps the form's defaults.
    form = response.context["form"]
    assert form["service_type"].value() == "standard"
    assert form["square_feet"].value() == 1000
    content = response.content.decode()
    assert "Every week" in content and "What needs repair?" in content


def test_convert_shows_what_cannot_be_used_at_the_form_default(owner_client, business):
    lead = Lead.objects.create(
        business=business,
        name="Sam",
        source=Lead.Source.RETELL,
        details={
            "retell": {
                "booking_request": {
                    "bedrooms": 10**30,
                    "bathrooms": "2.3",
                    "service_type": "carpet shampoo",
                    "start": "9999-12-31T23:59:00",
                    "addons": {"oven": 10**9, "nope": 2},
                }
            }
        },
    )
    response = owner_client.get(reverse("booking:create") + f"?lead={lead.public_id}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {"lead": lead.public_id, "customer_first_name": "Sam"}
    assert form["bedrooms"].value() == 2 and form["service_type"].value() == "standard"
    assert b"carpet shampoo" in response.content  # shown beside the form as the lead said it
