"""Demo leads entered by hand (the Retell and Thumbtack ones arrive through
the webhook inbox, see webhooks/demo.py). Idempotent.

A lead listed as converted is converted by the bookings demo (booking/demo.py,
seeded after this one), which books it: leads know nothing of bookings."""

from .models import Lead
from .services import lead_create, lead_update

MANUAL_LEADS = [
    ("Jordan Smith", "jordan.smith@example.com", "+15125550161", "Standard clean", "new", ""),
    ("Priya Patel", "priya@example.com", "+15125550162", "Deep clean", "contacted", "manual"),
    ("Tom Becker", "", "+15125550163", "Move in / move out", "lost", "manual"),
    ("Grace Kim", "grace.kim@example.com", "+15125550164", "Standard clean", "converted", ""),
    ("Luis Ortega", "luis@example.com", "+15125550165", "Airbnb turnover", "qualified", "other"),
    # Started a booking on the booking page and left before finishing it.
    ("Ana Silva", "ana.silva@example.com", "+15125550166", "deep", "new", "online"),
]


def converted_demo_leads(business):
    """The demo leads that the bookings demo turns into bookings."""
    names = [row[0] for row in MANUAL_LEADS if row[4] == Lead.Status.CONVERTED]
    return Lead.objects.filter(business=business, name__in=names)


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
        if status != Lead.Status.CONVERTED and lead.status != status:
            lead_update(lead=lead, user=member, status=status, note="Followed up by phone.")
