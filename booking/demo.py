"""Demo bookings and invoices: past, today, upcoming, completed, cancelled;
invoices paid, partially paid, overdue and open; and the bookings of the demo
leads that were converted (seeded after the leads demo). Idempotent: a booking
is only made when no booking with its demo email, or for its lead, exists yet."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from account.models import Membership
from leads.demo import converted_demo_leads

from . import crew, services
from .models import Booking, BookingSource, Invoice

# (days from today, hour, first, last, service, bed, bath, sqft, add-ons, outcome)
DEMO_BOOKINGS = [
    (-20, 9, "Olivia", "Martinez", "deep", 3, 2, 1800, {"oven": 1, "fridge": 1}, "paid"),
    (-16, 13, "Liam", "Johnson", "standard", 2, 1, 950, {"pets": 1}, "paid"),
    (-30, 10, "Emma", "Chen", "move_in_out", 4, 3, 2400, {"cabinets": 1, "windows": 10}, "overdue"),
    (-25, 8, "Noah", "Williams", "airbnb", 1, 1, 700, {"laundry": 2}, "overdue"),
    (-9, 11, "Ava", "Patel", "deep", 3, 2.5, 2000, {"baseboards": 1}, "partial"),
    (-3, 9, "Ethan", "Brown", "standard", 2, 2, 1200, {"dishes": 1}, "open"),
    (-6, 14, "Sophia", "Garcia", "standard", 2, 1, 1000, {}, "cancelled"),
    (0, 9, "Mason", "Davis", "standard", 3, 2, 1600, {"green": 1}, "scheduled"),
    (0, 14, "Isabella", "Wilson", "airbnb", 2, 1, 900, {"laundry": 1}, "scheduled"),
    (1, 10, "Lucas", "Anderson", "deep", 4, 3, 2600, {"oven": 1, "fridge": 1}, "scheduled"),
    (2, 9, "Mia", "Thomas", "move_in_out", 2, 1, 1100, {"cabinets": 1}, "scheduled"),
    (4, 13, "James", "Taylor", "standard", 1, 1, 650, {}, "scheduled"),
    (6, 8, "Charlotte", "Moore", "deep", 3, 2, 1750, {"windows": 6, "blinds": 1}, "scheduled"),
    (9, 10, "Benjamin", "Lee", "airbnb", 2, 2, 1300, {"patio": 1}, "cancelled"),
]
# Recurring customers: (days from today of the first visit, hour, first, last,
# service, bed, bath, sqft, frequency)
DEMO_SERIES = [
    (3, 9, "Harper", "Clark", "standard", 3, 2, 1500, "biweekly"),
    (1, 11, "Henry", "Lewis", "airbnb", 1, 1, 650, "weekly"),
    (5, 13, "Amelia", "Walker", "deep", 4, 3, 2300, "monthly"),
]
STREETS = ["Maple Ave", "Oak St", "Cedar Ln", "Lamar Blvd", "Guadalupe St", "Elm Dr", "Pecan St"]


def seed(*, business, owner, member):
    _seed_bookings(business=business, owner=owner, member=member)
    _book_converted_leads(business=business, owner=owner)
    _seed_series(business=business, owner=owner)
    _assign_crew(business=business, owner=owner)


# Who does the demo's jobs of today and the coming days (by the customer's first
# name): the cleaner gets most, the office member helps on a deep clean.
DEMO_CREW = {
    "Mason": ("cleaner",),
    "Isabella": ("cleaner",),
    "Lucas": ("cleaner", "office"),
    "Mia": ("cleaner",),
    "James": ("office",),
    "Olivia": ("cleaner",),
    "Liam": ("cleaner",),
}


def _assign_crew(*, business, owner):
    """Assign the demo's cleaner and office member to bookings that have no crew yet."""
    team = {m.role: m for m in crew.members(business).exclude(role=Membership.Role.OWNER)}
    if not team:
        return
    bookings = Booking.objects.filter(
        business=business, customer_first_name__in=list(DEMO_CREW), assignees__isnull=True
    )
    for booking in bookings:
        members = [team[role] for role in DEMO_CREW[booking.customer_first_name] if role in team]
        crew.booking_assign(booking=booking, members=members, user=owner)


def _seed_series(*, business, owner):
    """Recurring customers: each booking starts a series with its visits ahead."""
    today = business.today()
    for index, row in enumerate(DEMO_SERIES):
        days, hour, first, last, service, bed, bath, sqft, frequency = row
        email = f"{first.lower()}.{last.lower()}@customers.example.com"
        if Booking.objects.filter(business=business, customer_email=email).exists():
            continue
        day = today + timedelta(days=days)
        services.booking_create(
            business=business,
            customer_first_name=first,
            customer_last_name=last,
            customer_email=email,
            customer_phone=f"+1512555{2000 + index:04d}",
            address=f"{300 + index * 21} {STREETS[(index + 3) % len(STREETS)]}",
            city="Austin",
            state="TX",
            zip_code="78704",
            service_type=service,
            bedrooms=bed,
            bathrooms=Decimal(str(bath)),
            square_feet=sqft,
            start=datetime.combine(day, time(hour, 0), tzinfo=business.tzinfo),
            frequency=frequency,
            created_by=owner,
        )


def _book_converted_leads(*, business, owner):
    """A booking for each demo lead listed as converted; booking it marks the
    lead converted."""
    day = business.today() + timedelta(days=3)
    for lead in converted_demo_leads(business).exclude(bookings__isnull=False):
        first, _, last = lead.name.partition(" ")
        services.booking_create(
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
            source=BookingSource.LEAD,
            lead=lead,
            created_by=owner,
        )


def _seed_bookings(*, business, owner, member):
    today = business.today()
    due_days = business.settings.invoice_due_days
    for index, row in enumerate(DEMO_BOOKINGS):
        days, hour, first, last, service, bed, bath, sqft, addons, outcome = row
        email = f"{first.lower()}.{last.lower()}@customers.example.com"
        if Booking.objects.filter(business=business, customer_email=email).exists():
            continue
        day = today + timedelta(days=days)
        start = timezone.make_aware(datetime(day.year, day.month, day.day, hour), business.tzinfo)
        booking = services.booking_create(
            business=business,
            customer_first_name=first,
            customer_last_name=last,
            customer_email=email,
            customer_phone=f"+1512555{1000 + index:04d}",
            address=f"{100 + index * 17} {STREETS[index % len(STREETS)]}",
            city="Austin",
            state="TX",
            zip_code=f"787{index:02d}",
            service_type=service,
            bedrooms=bed,
            bathrooms=Decimal(str(bath)),
            square_feet=sqft,
            start=start,
            addons=addons,
            special_requests="Gate code 4512." if index % 3 == 0 else "",
            created_by=owner if index % 2 else member,
        )
        if outcome == "cancelled":
            services.booking_cancel(booking=booking, reason="Customer rescheduled", user=owner)
            continue
        if outcome == "scheduled":
            continue
        invoice = services.booking_complete(booking=booking, user=member, confirmed=True)
        Booking.objects.filter(pk=booking.pk).update(completed_at=start + timedelta(hours=3))
        Invoice.objects.filter(pk=invoice.pk).update(
            issue_date=day, due_date=day + timedelta(days=due_days)
        )
        invoice.refresh_from_db()
        if outcome == "paid":
            services.payment_record(
                invoice=invoice,
                amount=invoice.total,
                method="card",
                paid_on=min(day + timedelta(days=2), today),
                reference=f"ch_{index:04d}",
                user=owner,
            )
        elif outcome == "partial":
            services.payment_record(
                invoice=invoice,
                amount=(invoice.total / 2).quantize(Decimal("0.01")),
                method="check",
                paid_on=min(day + timedelta(days=1), today),
                reference=f"#{1040 + index}",
                user=owner,
            )
