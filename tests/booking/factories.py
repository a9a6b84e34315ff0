"""Helpers to make bookings and invoices for tests."""

from datetime import datetime, timedelta

from booking import services


def make_booking(business, *, days=3, hour=9, addons=None, **overrides):
    """A scheduled booking `days` from today (business time) at `hour`:00."""
    start = datetime.combine(business.today() + timedelta(days=days), datetime.min.time())
    start = start.replace(hour=hour, tzinfo=business.tzinfo)
    fields = {
        "business": business,
        "customer_first_name": "Jamie",
        "customer_last_name": "Smith",
        "customer_email": "jamie@example.com",
        "customer_phone": "+15125550199",
        "address": "12 Oak St",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78701",
        "service_type": "standard",
        "bedrooms": 2,
        "bathrooms": 1,
        "square_feet": 1000,
        "start": start,
        "addons": addons,
    }
    fields.update(overrides)
    return services.booking_create(**fields)


def make_invoice(business, **booking_fields):
    booking = make_booking(business, **booking_fields)
    invoice, _ = services.invoice_create(booking=booking)
    return invoice
