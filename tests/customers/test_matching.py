"""One matching rule for every way a booking or lead comes in: the same phone
or email in the business is the same customer."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from booking.models import Booking
from customers.models import Customer, CustomerActivity, CustomerAddress
from customers.services import address_key, customer_match
from leads.models import Lead
from leads.services import lead_create
from tests.booking.factories import make_booking
from tests.booking.test_booking_views import form_data

from .factories import make_customer

pytestmark = pytest.mark.django_db


def test_a_new_booking_creates_a_customer_with_its_address(business):
    booking = make_booking(business)
    customer = booking.customer
    assert customer.public_id.startswith("CU-")
    assert (customer.name, customer.phone, customer.email) == (
        "Jamie Smith",
        "+15125550199",
        "jamie@example.com",
    )
    assert customer.reminders_enabled is True
    place = booking.service_address
    assert place.customer == customer
    assert (place.address, place.bedrooms, place.bathrooms, place.square_feet) == (
        "12 Oak St",
        2,
        Decimal("1.0"),
        1000,
    )
    assert customer.activities.get().kind == CustomerActivity.Kind.CREATED


def test_same_phone_is_the_same_customer_and_address(business):
    first = make_booking(business, customer_email="")
    second = make_booking(
        business, days=10, customer_email="JAMIE@example.com", address="12 oak st.", bedrooms=3
    )
    assert second.customer == first.customer
    assert second.service_address == first.service_address
    customer = Customer.objects.get()
    assert customer.email == "jamie@example.com"  # filled in from the second booking
    assert CustomerAddress.objects.get().bedrooms == 3  # the latest size booked


def test_same_email_with_another_phone_is_the_same_customer(business):
    first = make_booking(business)
    second = make_booking(
        business, customer_phone="+15125550100", customer_email="Jamie@Example.com"
    )
    assert second.customer == first.customer
    assert Customer.objects.count() == 1


def test_another_address_is_a_second_address(business):
    first = make_booking(business)
    second = make_booking(business, address="9 Elm Rd", zip_code="78702")
    assert second.customer == first.customer
    assert second.service_address != first.service_address
    assert first.customer.addresses.count() == 2


def test_other_details_are_another_customer_and_businesses_never_share(business, other_business):
    make_booking(business)
    make_booking(business, customer_phone="+15125550111", customer_email="sam@example.com")
    elsewhere = make_booking(other_business)
    assert Customer.objects.filter(business=business).count() == 2
    assert elsewhere.customer.business == other_business


def test_a_picked_customer_is_kept(business):
    customer = make_customer(business, name="Pat Lee")
    booking = make_booking(business, customer=customer)
    assert booking.customer == customer
    assert customer.addresses.get() == booking.service_address


def test_archived_customer_who_books_again_is_restored(business):
    customer = make_booking(business).customer
    customer.archived = True
    customer.save()
    make_booking(business, days=9)
    customer.refresh_from_db()
    assert not customer.archived


def test_booking_form_matches(owner_client, business):
    customer = make_customer(business, name="Jamie Smith", phone="+15125550199")
    data = form_data(
        business,
        customer_first_name="Jamie",
        customer_last_name="Smith",
        customer_email="",
        customer_phone="(512) 555-0199",
    )
    response = owner_client.post("/booking/create/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Booking.objects.get().customer == customer


def test_lead_conversion_links_the_lead(owner_client, business):
    lead = lead_create(business=business, name="Robin Gray", phone="+15125550177")
    assert lead.customer is None
    booking = make_booking(
        business,
        customer_first_name="Robin",
        customer_last_name="Gray",
        customer_phone="+15125550177",
        customer_email="",
        lead=lead,
    )
    lead.refresh_from_db()
    assert lead.customer == booking.customer
    assert lead.status == Lead.Status.CONVERTED


def test_a_repeat_caller_lead_is_linked_to_the_customer(business):
    customer = make_booking(business).customer
    lead = lead_create(business=business, name="J. Smith", phone="+15125550199")
    assert lead.customer == customer
    by_email = lead_create(business=business, name="Jamie", email="JAMIE@example.com")
    assert by_email.customer == customer


def test_address_key_ignores_case_and_punctuation():
    assert address_key("12 Oak St.", "78701") == address_key("12  oak st", "78701")
    assert address_key("12 Oak St", "78701") != address_key("12 Oak St", "78702")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bookings_for_a_new_phone_make_one_customer(business):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def book(index):
        from django.db import connections, transaction

        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                customer, _ = customer_match(
                    business=business, name=f"Caller {index}", phone="+15125550166"
                )
                results.append(customer.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    assert Customer.objects.filter(business=business).count() == 1
