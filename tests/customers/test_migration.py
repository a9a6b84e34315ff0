"""Bookings and leads made before customers existed are linked by the same
rule as new ones: the same phone or email in a business is one customer."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from booking.models import Booking
from customers.models import Customer
from leads.models import Lead

BEFORE = [("booking", "0005_booking_customer"), ("leads", "0006_lead_customer")]
AFTER = [("booking", "0006_link_customers")]


@pytest.mark.django_db(transaction=True)
def test_existing_bookings_and_leads_are_linked(business, other_business):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    OldBooking = apps.get_model("booking", "Booking")
    OldLead = apps.get_model("leads", "Lead")
    start = timezone.now() + timedelta(days=2)

    def booking(business_id, public_id, first, phone, email, address, bedrooms=2):
        return OldBooking.objects.create(
            business_id=business_id,
            public_id=public_id,
            customer_first_name=first,
            customer_last_name="Smith",
            customer_phone=phone,
            customer_email=email,
            address=address,
            zip_code="78701",
            service_type="standard",
            bedrooms=bedrooms,
            bathrooms=1,
            square_feet=900,
            start=start,
            duration_minutes=120,
        )

    booking(business.pk, "BK-MIG00001", "Jamie", "+15125550199", "", "12 Oak St")
    booking(business.pk, "BK-MIG00002", "Jamie", "", "JAMIE@example.com", "12 oak st.", 3)
    booking(business.pk, "BK-MIG00003", "J", "+15125550199", "jamie@example.com", "9 Elm Rd")
    booking(business.pk, "BK-MIG00004", "Sam", "+15125550111", "sam@example.com", "1 A St")
    booking(other_business.pk, "BK-MIG00005", "Jamie", "+15125550199", "", "12 Oak St")
    OldLead.objects.create(
        business_id=business.pk, public_id="LD-MIG00001", name="x", phone="+15125550111"
    )
    OldLead.objects.create(
        business_id=business.pk, public_id="LD-MIG00002", name="y", phone="+15125550122"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    # Then up to today's schema, so the models below match the tables.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    jamie = Booking.objects.get(public_id="BK-MIG00001").customer
    assert Booking.objects.get(public_id="BK-MIG00003").customer == jamie
    assert jamie.public_id.startswith("CU-")
    assert (jamie.phone, jamie.email) == ("+15125550199", "jamie@example.com")
    # BK-MIG00002 shares only the email with BK-MIG00003, which shares the phone
    # with BK-MIG00001: the three are one customer.
    assert Booking.objects.get(public_id="BK-MIG00002").customer == jamie
    assert jamie.name == "J Smith"  # the latest booking's name
    assert Customer.objects.filter(business=business).count() == 2
    addresses = {a.address: a for a in jamie.addresses.all()}
    assert set(addresses) == {"12 oak st.", "9 Elm Rd"} or set(addresses) == {
        "12 Oak St",
        "9 Elm Rd",
    }
    assert jamie.addresses.count() == 2
    sam = Booking.objects.get(public_id="BK-MIG00004").customer
    assert Lead.objects.get(public_id="LD-MIG00001").customer == sam
    assert Lead.objects.get(public_id="LD-MIG00002").customer is None
    assert Booking.objects.get(public_id="BK-MIG00005").customer.business == other_business
