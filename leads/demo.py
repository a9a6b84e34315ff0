"""Demo leads entered by hand (the Retell and Thumbtack ones arrive through
the webhook inbox, see webhooks/demo.py). Idempotent."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from .models import Lead
from .services import lead_create, lead_update

MANUAL_LEADS = [
    ("Jordan Smith", "jordan.smith@example.com", "+15125550161", "Standard clean", "new", ""),
    ("Priya Patel", "priya@example.com", "+15125550162", "Deep clean", "contacted", "manual"),
    ("Tom Becker", "", "+15125550163", "Move in / move out", "lost", "manual"),
    ("Grace Kim", "grace.kim@example.com", "+15125550164", "Standard clean", "converted", ""),
    ("Luis Ortega", "luis@example.com", "+15125550165", "Airbnb turnover", "qualified", "other"),
]


def seed(*, business, owner, member):
    for name, email, phone, service, status, source in MANUAL_LEADS:
        source = source or Lead.Source.MANUAL
        lead = Lead.objects.filter(business=business, name=name).first()
        if lead is None:
            lead = lead_create(
                business=business,
                name=name,
                email=email,
                phone=phone,
                service_wanted=service,
                source=source,
                notes="Referred by a neighbour." if source == Lead.Source.OTHER else "",
                user=owner,
            )
        if status == Lead.Status.CONVERTED:
            _convert(business=business, lead=lead, owner=owner)
        elif lead.status != status:
            lead_update(lead=lead, user=member, status=status, note="Followed up by phone.")


def _convert(*, business, lead, owner):
    if not hasattr(lead, "bookings") or lead.bookings.exists():
        return
    try:
        from booking.services import booking_create
    except ImportError:
        lead_update(lead=lead, user=owner, status=Lead.Status.CONVERTED)
        return
    day = business.today() + timedelta(days=3)
    first, last = lead.name.split(" ", 1)
    booking_create(
        business=business,
        customer_first_name=first,
        customer_last_name=last,
        customer_email=lead.email,
        customer_phone=lead.phone,
        address="2100 S Lamar Blvd",
        city="Austin",
        state="TX",
        zip_code="78704",
        service_type="standard",
        bedrooms=2,
        bathrooms=Decimal("1"),
        square_feet=1100,
        start=datetime.combine(day, time(10, 0), tzinfo=business.tzinfo),
        addons={"fridge": 1},
        source="lead",
        lead=lead,
        created_by=owner,
    )
