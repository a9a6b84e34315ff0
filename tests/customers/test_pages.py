"""The customer pages through the test client: list, export, detail, create,
edit, delete or archive, merge, picker; tenancy and query budgets."""

import csv
import io

import pytest

from booking import services as booking_services
from booking.models import Booking, Invoice
from customers.models import Customer, CustomerActivity, CustomerAddress
from leads.services import lead_create
from tests.booking.factories import make_booking

from .factories import make_customer

pytestmark = pytest.mark.django_db


def customer_urls(customer_id):
    return [
        ("get", f"/customers/{customer_id}/"),
        ("get", f"/customers/{customer_id}/edit/"),
        ("post", f"/customers/{customer_id}/edit/"),
        ("get", f"/customers/{customer_id}/delete/"),
        ("post", f"/customers/{customer_id}/delete/"),
        ("post", f"/customers/{customer_id}/archive/"),
        ("get", f"/customers/{customer_id}/merge/"),
        ("post", f"/customers/{customer_id}/merge/"),
    ]


LIST_URLS = ["/customers/", "/customers/export/", "/customers/create/", "/customers/search/"]


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def paid_booking(business, **fields):
    booking = make_booking(business, days=-3, **fields)
    invoice = booking_services.booking_complete(booking=booking, confirmed=True)
    return booking, invoice


def test_outsider_gets_404_on_every_customer_url(outsider_client, business):
    customer = make_booking(business).customer
    for method, url in customer_urls(customer.public_id):
        response = getattr(outsider_client, method)(url, {"other": customer.public_id})
        assert response.status_code == 404, (method, url)
    # The outsider's own lists never show it.
    response = outsider_client.get("/customers/", {"q": customer.name})
    assert customer.public_id not in response.content.decode()
    assert "No customers match" in response.content.decode()
    assert len(read_csv(outsider_client.get("/customers/export/"))) == 1
    Customer.objects.get(pk=customer.pk)


def test_merge_refuses_a_customer_of_another_business(owner_client, business, other_business):
    mine = make_booking(business).customer
    theirs = make_booking(other_business).customer
    response = owner_client.post(f"/customers/{mine.public_id}/merge/", {"other": theirs.public_id})
    assert response.status_code == 404
    assert Customer.objects.filter(pk=theirs.pk).exists()


def test_anonymous_is_sent_to_sign_in(client, business):
    customer = make_booking(business).customer
    for method, url in customer_urls(customer.public_id) + [("get", u) for u in LIST_URLS]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/account/login/" in response["Location"]


def test_list_search_filters_and_sorting(owner_client, business):
    make_booking(business)  # Jamie Smith, upcoming
    paid = make_booking(
        business,
        days=-2,
        customer_first_name="Ada",
        customer_last_name="Byron",
        customer_email="ada@example.com",
        customer_phone="+15125550111",
        customer_company="Analytical Ltd",
    )
    booking_services.booking_complete(booking=paid, confirmed=True)  # unpaid invoice
    make_customer(business, name="Zed Archived", archived=True)
    page = owner_client.get("/customers/").content.decode()
    assert "Jamie Smith" in page and "Ada Byron" in page and "Zed Archived" not in page
    for query, shown, hidden in [
        ({"q": "analytical"}, "Ada Byron", "Jamie Smith"),
        ({"q": "512-555-0199"}, "Jamie Smith", "Ada Byron"),
        ({"q": "jamie@"}, "Jamie Smith", "Ada Byron"),
        ({"upcoming": "yes"}, "Jamie Smith", "Ada Byron"),
        ({"balance": "yes"}, "Ada Byron", "Jamie Smith"),
        ({"balance": "no"}, "Jamie Smith", "Ada Byron"),
        ({"archived": "archived"}, "Zed Archived", "Jamie Smith"),
    ]:
        page = owner_client.get("/customers/", query).content.decode()
        assert shown in page and hidden not in page, query
    page = owner_client.get("/customers/", {"sort": "-balance"}).content.decode()
    assert page.index("Ada Byron") < page.index("Jamie Smith")
    response = owner_client.get("/customers/", {"upcoming": "maybe"})
    assert response.status_code == 400


def test_list_queries_do_not_grow(owner_client, business, django_assert_max_num_queries):
    def grow(count, offset):
        for i in range(count):
            booking, _ = paid_booking(
                business,
                customer_first_name=f"Person{offset + i}",
                customer_phone=f"+1512555{offset + i:04d}",
                customer_email="",
            )

    grow(2, 0)
    with django_assert_max_num_queries(12) as small:
        owner_client.get("/customers/")
    grow(6, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert owner_client.get("/customers/").status_code == 200
    customer = Customer.objects.first()
    for i in range(3):
        paid_booking(business, customer=customer, address=f"{i} Pine Rd")
    with django_assert_max_num_queries(20) as detail_small:
        owner_client.get(f"/customers/{customer.public_id}/")
    for i in range(5):
        paid_booking(business, customer=customer, address=f"{i} Cedar Rd")
    lead_create(business=business, name="Again", phone=customer.phone)
    with django_assert_max_num_queries(len(detail_small.captured_queries)):
        assert owner_client.get(f"/customers/{customer.public_id}/").status_code == 200


def test_detail_shows_bookings_invoices_payments_leads_and_figures(owner_client, business):
    booking, invoice = paid_booking(business)
    booking_services.payment_record(
        invoice=invoice, amount="10.00", method="cash", paid_on=business.today()
    )
    upcoming = make_booking(business, days=5)
    lead = lead_create(business=business, name="Jamie again", phone=booking.customer_phone)
    customer = booking.customer
    page = owner_client.get(f"/customers/{customer.public_id}/").content.decode()
    for text in (
        customer.name,
        booking.public_id,
        upcoming.public_id,
        invoice.number,
        lead.public_id,
        "12 Oak St",
        "Lifetime revenue",
        "$10.00",
        "Customer created",
    ):
        assert text in page, text


def test_create_and_edit_with_addresses(owner_client, business):
    data = {
        "name": "Lee Park",
        "email": "LEE@example.com",
        "phone": "(512) 555-0123",
        "company": "",
        "notes": "",
        "reminders_enabled": "on",
        "addresses-TOTAL_FORMS": "1",
        "addresses-INITIAL_FORMS": "0",
        "addresses-0-address": "5 Birch Ln",
        "addresses-0-city": "Austin",
        "addresses-0-zip_code": "78703",
        "addresses-0-bedrooms": "3",
        "addresses-0-bathrooms": "2.5",
        "addresses-0-square_feet": "1800",
        "addresses-0-access_notes": "Key under the mat",
    }
    response = owner_client.post("/customers/create/", data)
    assert response.status_code == 302
    customer = Customer.objects.get()
    assert (customer.email, customer.phone) == ("lee@example.com", "+15125550123")
    place = customer.addresses.get()
    assert place.size_label == "3 bd · 2.5 ba · 1,800 sq ft"
    edit = {
        **data,
        "name": "Lee Park-Kim",
        "reminders_enabled": "",
        "addresses-TOTAL_FORMS": "2",
        "addresses-INITIAL_FORMS": "1",
        "addresses-0-id": str(place.pk),
        "addresses-0-customer": str(customer.pk),
        "addresses-1-address": "",
    }
    response = owner_client.post(f"/customers/{customer.public_id}/edit/", edit)
    assert response.status_code == 302, response.content.decode()[:3000]
    customer.refresh_from_db()
    assert customer.name == "Lee Park-Kim"
    assert customer.reminders_enabled is False
    assert customer.activities.filter(kind=CustomerActivity.Kind.UPDATED).exists()


def test_bad_input_writes_nothing(owner_client, business):
    make_customer(business, name="Taken", phone="+15125550100", email="taken@example.com")
    base = {
        "name": "New",
        "addresses-TOTAL_FORMS": "1",
        "addresses-INITIAL_FORMS": "0",
        "addresses-0-address": "1 A St",
    }
    for bad in (
        {"name": ""},
        {"phone": "555"},
        {"phone": "512 555 0100"},
        {"email": "TAKEN@example.com"},
        {"email": "not-an-email"},
        {"addresses-0-bedrooms": "-1"},
    ):
        response = owner_client.post("/customers/create/", {**base, **bad})
        assert response.status_code == 400, bad
    assert Customer.objects.count() == 1
    assert CustomerAddress.objects.count() == 0


def test_delete_without_bookings_and_archive_instead_with_bookings(owner_client, business):
    lonely = make_customer(business, name="No Bookings")
    lead = lead_create(business=business, name="x", phone="")
    lead.customer = lonely
    lead.save()
    assert (
        "Are you sure"
        in owner_client.get(f"/customers/{lonely.public_id}/delete/").content.decode()
    )
    response = owner_client.post(f"/customers/{lonely.public_id}/delete/")
    assert response.status_code == 302
    assert not Customer.objects.filter(pk=lonely.pk).exists()
    lead.refresh_from_db()
    assert lead.customer is None

    booked = make_booking(business).customer
    page = owner_client.get(f"/customers/{booked.public_id}/delete/").content.decode()
    assert "cannot be deleted" in page and "Archive" in page
    owner_client.post(f"/customers/{booked.public_id}/delete/")
    assert Customer.objects.filter(pk=booked.pk).exists()
    response = owner_client.post(f"/customers/{booked.public_id}/archive/", {"archived": "1"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.archived
    assert f"/customers/{booked.public_id}/" not in owner_client.get("/customers/").content.decode()
    owner_client.post(f"/customers/{booked.public_id}/archive/", {"archived": "0"})
    booked.refresh_from_db()
    assert not booked.archived


def test_merge_moves_everything_in_one_go(owner_client, business):
    keep_booking, keep_invoice = paid_booking(business)
    keep = keep_booking.customer
    other_booking, other_invoice = paid_booking(
        business,
        customer_first_name="J.",
        customer_phone="+15125550122",
        customer_email="",
        customer_company="Smith Co",
        address="77 Lake Dr",
    )
    other = other_booking.customer
    lead = lead_create(business=business, name="J", phone="+15125550122")
    assert lead.customer == other
    page = owner_client.get(f"/customers/{keep.public_id}/merge/", {"q": "555-0122"})
    assert other.public_id in page.content.decode()
    confirm = owner_client.get(f"/customers/{keep.public_id}/merge/", {"other": other.public_id})
    assert "This cannot be undone" in confirm.content.decode()
    response = owner_client.post(f"/customers/{keep.public_id}/merge/", {"other": other.public_id})
    assert response.status_code == 302
    assert not Customer.objects.filter(pk=other.pk).exists()
    assert set(Booking.objects.values_list("customer", flat=True)) == {keep.pk}
    assert set(Invoice.objects.values_list("booking__customer", flat=True)) == {keep.pk}
    lead.refresh_from_db()
    assert lead.customer == keep
    assert keep.addresses.count() == 2
    keep.refresh_from_db()
    assert keep.company == "Smith Co"
    merged = keep.activities.get(kind=CustomerActivity.Kind.MERGED)
    assert merged.data["bookings"] == 1 and merged.data["invoices"] == 1
    assert other.public_id in merged.message
    assert (
        other_booking.public_id
        in owner_client.get(f"/customers/{keep.public_id}/").content.decode()
    )


def test_merge_with_itself_or_nothing_is_refused(owner_client, business):
    customer = make_booking(business).customer
    response = owner_client.post(
        f"/customers/{customer.public_id}/merge/", {"other": customer.public_id}
    )
    assert response.status_code == 302
    response = owner_client.post(f"/customers/{customer.public_id}/merge/", {})
    assert response.status_code == 302
    assert Customer.objects.count() == 1


def test_export_is_the_filtered_list_neutralised(owner_client, business):
    make_booking(business, customer_first_name="=HYPERLINK(1)", customer_last_name="")
    make_booking(
        business,
        customer_first_name="Ada",
        customer_phone="+15125550111",
        customer_email="ada@example.com",
    )
    response = owner_client.get("/customers/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = read_csv(response)
    assert rows[0][0] == "\ufeffcustomer_id" or rows[0][0] == "customer_id"
    names = {row[1] for row in rows[1:]}
    assert names == {"'=HYPERLINK(1)", "Ada Smith"}
    rows = read_csv(owner_client.get("/customers/export/", {"q": "ada"}))
    assert [row[1] for row in rows[1:]] == ["Ada Smith"]
    assert owner_client.get("/customers/export/", {"sort": "nope"}).status_code == 400


def test_picker_search(owner_client, business):
    make_booking(business)
    response = owner_client.get("/customers/search/", {"customer_q": "jam"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-street="12 Oak St"' in body and "<html" not in body
    page = owner_client.get("/customers/search/", {"customer_q": "jam"}).content.decode()
    assert "?customer=CU-" in page and "<html" in page


def test_booking_form_with_a_picked_customer_and_address(owner_client, business):
    from tests.booking.test_booking_views import form_data

    customer = make_customer(business, name="Pat Lee", phone="")
    place = CustomerAddress.objects.create(
        customer=customer, address="4 Maple Ct", bedrooms=4, bathrooms=3, square_feet=2400
    )
    page = owner_client.get("/booking/create/", {"customer": customer.public_id}).content.decode()
    assert 'value="4 Maple Ct"' in page and 'value="2400"' in page
    assert f'value="{customer.public_id}"' in page
    data = form_data(
        business,
        customer_first_name="Pat",
        customer_last_name="Lee",
        customer_email="",
        customer_phone="",
        address="4 Maple Ct",
        customer=customer.public_id,
        service_address=str(place.pk),
    )
    response = owner_client.post("/booking/create/", data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.customer, booking.service_address) == (customer, place)
    assert Customer.objects.count() == 1


def test_booking_form_refuses_another_business_customer(owner_client, business, other_business):
    from tests.booking.test_booking_views import form_data

    theirs = make_customer(other_business, name="Not Yours")
    response = owner_client.get("/booking/create/", {"customer": theirs.public_id})
    assert response.status_code == 404
    response = owner_client.post("/booking/create/", form_data(business, customer=theirs.public_id))
    assert response.status_code == 400
    assert "That customer was not found" in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_and_lead_pages_link_to_the_customer(owner_client, business):
    booking = make_booking(business)
    customer = booking.customer
    place = booking.service_address
    place.access_notes = "Gate code 4412"
    place.save()
    lead = lead_create(business=business, name="Again", phone=customer.phone)
    page = owner_client.get(f"/booking/detail/{booking.public_id}/").content.decode()
    assert f"/customers/{customer.public_id}/" in page and "Gate code 4412" in page
    page = owner_client.get(f"/leads/{lead.public_id}/").content.decode()
    assert f"/customers/{customer.public_id}/" in page


def test_merge_folds_the_same_address_into_one(business):
    from customers.services import customer_merge

    keep = make_booking(business).customer
    other_booking = make_booking(
        business, customer_phone="+15125550133", customer_email="", address="12 OAK ST."
    )
    other = other_booking.customer
    other_booking.service_address.access_notes = "Side door"
    other_booking.service_address.save()
    moved = customer_merge(keep=keep, other=other)
    assert moved["addresses"] == 1
    place = keep.addresses.get()
    assert place.access_notes == "Side door"
    other_booking.refresh_from_db()
    assert other_booking.service_address == place
