"""A large business for the benchmark: thousands of bookings, invoices,
leads, inbox events, restaurants, contacts, interactions and call plans.

Rows are written with bulk_create for speed; their shape follows what the
services write (price lines, numbered invoices, timelines are omitted).
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from account.services import api_key_create
from booking.models import Booking, BookingLine, Invoice, InvoiceLine, InvoiceStatus
from call.models import CallPlan
from config.ids import new_public_id
from contact.models import Contact
from leads.models import Lead
from restaurants.models import Restaurant
from tests.factories import UserFactory, make_business
from track.models import Interaction, Order
from webhooks.models import WebhookEvent

BOOKINGS = 5000
INVOICES = 2500
LEADS = 3000
EVENTS = 3000
RESTAURANTS = 1000
INTERACTIONS_PER_RESTAURANT = 10
SERVICES = ["standard", "deep", "move_in_out", "airbnb"]
FREQUENCIES = ["DAILY", "WEEKLY", "BIWEEKLY", "MONTHLY"]


@dataclass
class Scenario:
    owner: object
    api_key: str
    summary: str
    pages: list = field(default_factory=list)
    api: list = field(default_factory=list)


def build(seed=7):
    rng = random.Random(seed)
    now = timezone.now()
    owner = UserFactory(username="bench-owner", email="bench@example.com")
    business = make_business(owner, name="Benchmark Cleaning")
    _, raw_key = api_key_create(user=owner, name="bench")

    bookings = Booking.objects.bulk_create(
        Booking(
            business=business,
            public_id=new_public_id("BK", length=10),
            status=rng.choice(["scheduled", "completed", "cancelled"]),
            customer_first_name=f"Customer{n}",
            customer_last_name="Example",
            customer_email=f"customer{n}@example.com",
            customer_phone=f"+1512555{n:04d}",
            address=f"{n} Elm St",
            city="Austin",
            service_type=rng.choice(SERVICES),
            bedrooms=rng.randint(1, 5),
            bathrooms=Decimal(rng.randint(1, 3)),
            square_feet=rng.randint(600, 3500),
            start=now + timedelta(hours=rng.randint(-24 * 180, 24 * 60)),
            duration_minutes=180,
            subtotal=Decimal("200.00"),
            tax_rate=Decimal("8.00"),
            tax=Decimal("16.00"),
            total=Decimal("216.00"),
        )
        for n in range(BOOKINGS)
    )
    BookingLine.objects.bulk_create(
        BookingLine(
            booking=booking,
            position=position,
            kind=kind,
            key=kind,
            description=kind.title(),
            quantity=Decimal("1"),
            unit_price=Decimal("100.00"),
            amount=Decimal("100.00"),
        )
        for booking in bookings
        for position, kind in enumerate(["base", "area"])
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            business=business,
            booking=booking,
            public_id=new_public_id("IV", length=10),
            sequence=n + 1,
            number=f"INV-{n + 1:05d}",
            status=rng.choice([InvoiceStatus.UNPAID, InvoiceStatus.PAID]),
            bill_to_name=f"{booking.customer_first_name} {booking.customer_last_name}",
            issue_date=(now - timedelta(days=rng.randint(0, 90))).date(),
            due_date=(now + timedelta(days=rng.randint(-60, 30))).date(),
            subtotal=booking.subtotal,
            tax_rate=booking.tax_rate,
            tax=booking.tax,
            total=booking.total,
        )
        for n, booking in enumerate(bookings[:INVOICES])
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            description="Standard clean",
            quantity=Decimal("1"),
            unit_price=invoice.subtotal,
            amount=invoice.subtotal,
        )
        for invoice in invoices
    )
    Lead.objects.bulk_create(
        Lead(
            business=business,
            public_id=new_public_id("LD", length=10),
            name=f"Lead {n}",
            email=f"lead{n}@example.com",
            phone=f"+1512666{n:04d}",
            source=rng.choice(["manual", "retell", "thumbtack", "other"]),
            status=rng.choice(["new", "contacted", "qualified", "converted", "lost"]),
        )
        for n in range(LEADS)
    )
    WebhookEvent.objects.bulk_create(
        WebhookEvent(
            business=business,
            source=rng.choice(["retell", "thumbtack"]),
            event_type="call_analyzed",
            dedupe_key=f"bench-{n}",
            payload={"event": "call_analyzed", "call": {"call_id": f"bench-{n}"}},
            status="processed",
        )
        for n in range(EVENTS)
    )
    restaurants = Restaurant.objects.bulk_create(
        Restaurant(
            business=business,
            name=f"Restaurant {n}",
            city=rng.choice(["Austin", "Dallas", "Houston"]),
            phone=f"+1512777{n:04d}",
            status=rng.choice(["NEW", "CONTACTED", "QUALIFIED", "NEGOTIATION", "CONVERTED"]),
            assigned_to=owner,
            timezone=rng.choice(["America/Chicago", "Asia/Tokyo", "America/Los_Angeles"]),
        )
        for n in range(RESTAURANTS)
    )
    contacts = Contact.objects.bulk_create(
        Contact(restaurant=restaurant, name=f"Manager of {restaurant.name}", role="Manager")
        for restaurant in restaurants
    )
    interactions = Interaction.objects.bulk_create(
        Interaction(
            lead=restaurant,
            contact=contact,
            interaction_type=rng.choice(["CALL", "EMAIL", "VISIT", "ORDER"]),
            details="Checked in.",
            order_placed=(n % 4 == 0),
            date=now - timedelta(days=rng.randint(0, 180)),
        )
        for restaurant, contact in zip(restaurants, contacts, strict=True)
        for n in range(INTERACTIONS_PER_RESTAURANT)
    )
    Order.objects.bulk_create(
        Order(
            interaction=interaction,
            product_details="Case of produce",
            quantity=10,
            total_price=Decimal("250.00"),
            order_date=interaction.date,
        )
        for interaction in interactions
        if interaction.order_placed
    )
    CallPlan.objects.bulk_create(
        CallPlan(
            lead=restaurant,
            frequency=rng.choice(FREQUENCIES),
            next_call_date=now + timedelta(hours=rng.randint(-72, 72)),
        )
        for restaurant in restaurants
    )

    interaction = interactions[0]
    return Scenario(
        owner=owner,
        api_key=raw_key,
        summary=(
            f"{BOOKINGS} bookings, {INVOICES} invoices, {LEADS} leads, {EVENTS} inbox events, "
            f"{RESTAURANTS} restaurants, {len(interactions)} interactions"
        ),
        pages=[
            ("home dashboard", "/"),
            ("booking list", "/booking/"),
            ("booking list, search", "/booking/?q=Customer12"),
            ("booking detail", f"/booking/detail/{bookings[0].public_id}/"),
            ("calendar, month", "/booking/calendar/?view=month"),
            ("invoice list", "/booking/invoices/"),
            ("invoice detail", f"/booking/invoices/detail/{invoices[0].public_id}/"),
            ("lead list", "/leads/"),
            ("webhook inbox", "/webhooks/inbox/"),
            ("restaurants page", "/restaurants/"),
        ],
        api=[
            ("API restaurants", "/lead/restaurants/"),
            ("API contacts", "/contact/contacts/"),
            ("API interactions", "/track/interactions/"),
            ("API interactions, ?lead=", f"/track/interactions/?lead={interaction.lead_id}"),
            ("API orders", "/track/interactions/orders/"),
            ("API call plans", "/call/"),
            ("API calls due today", "/call/today/?include_overdue=true"),
        ],
    )
