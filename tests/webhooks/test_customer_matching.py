"""Calls and Thumbtack requests from known customers are recognised: the
same phone or email in the business is the same customer."""

import pytest

from booking.models import Booking
from customers.models import Customer
from leads.models import Lead
from tests.booking.factories import make_booking
from tests.customers.factories import make_customer

from .conftest import raw

pytestmark = pytest.mark.django_db


def test_retell_booking_matches_the_returning_caller(post_retell, business):
    customer = make_customer(business, name="Maria Lopez", phone="+15125550143")
    post_retell(raw("retell/call_analyzed_booking.json"))
    booking = Booking.objects.get()
    assert booking.customer == customer
    lead = Lead.objects.get()
    assert lead.customer == customer
    assert customer.addresses.get().zip_code == "78704"
    assert Customer.objects.count() == 1


def test_retell_booking_for_a_new_caller_creates_the_customer(post_retell, business):
    post_retell(raw("retell/call_analyzed_booking.json"))
    booking = Booking.objects.get()
    assert booking.customer.phone == "+15125550143"
    assert booking.customer.activities.get().message == "Customer created (retell phone agent)."


def test_thumbtack_lead_from_a_customer_is_linked(post_thumbtack, business):
    customer = make_customer(business, name="Dana W.", phone="+15125550188")
    post_thumbtack(raw("thumbtack/negotiation_created.json"))
    lead = Lead.objects.get()
    assert lead.customer == customer
    booking = make_booking(
        business,
        customer_first_name="Dana",
        customer_last_name="Whitfield",
        customer_phone=lead.phone,
        customer_email="",
        lead=lead,
    )
    assert booking.customer == customer
