"""The load benchmark's data set.

One large business with a few years of history (at scale 1: 50,000 bookings
with their price lines and history, 25,000 numbered invoices with lines and
payments, 30,000 leads, 30,000 inbox events, 10,000 restaurants with
contacts, 200,000 interactions with their orders, call plans), and 200 small
businesses around it so that every tenant filter has rows to skip. `scale`
shrinks everything proportionally (0.02 is the benchmark's small size).

Rows look like what the services write: public ids from the services'
prefixes, prices from `booking.pricing`, gapless invoice numbers, E.164
phones, dates spread over three and a half years and months ahead, every
status, lead sources with the details their webhooks store, inbox events
with real payload shapes, restaurants in several time zones with their
assignees. They are written with `bench.bulk.BulkWriter` (COPY on
PostgreSQL); businesses and their settings go through `business_register`.

Run as `python -m bench.data --scale 1 --refs refs.json` against an empty,
migrated database (DJANGO_SETTINGS_MODULE and DATABASE_URL from the
environment); the references the load targets need are written as JSON.
"""

import argparse
import json
import math
import os
import random
import secrets
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from urllib.parse import quote

from .payloads import words

SIZES = {"large": 1.0, "small": 0.02}
HISTORY_DAYS = 3.5 * 365
SEED = 7


@dataclass(frozen=True)
class Counts:
    bookings: int
    invoices: int
    leads: int
    events: int
    restaurants: int
    interactions: int

    def scaled(self, scale):
        return Counts(**{name: max(1, round(n * scale)) for name, n in asdict(self).items()})


LARGE_BUSINESS = Counts(
    bookings=50_000,
    invoices=25_000,
    leads=30_000,
    events=30_000,
    restaurants=10_000,
    interactions=200_000,
)
SMALL_BUSINESS = Counts(
    bookings=50, invoices=25, leads=30, events=30, restaurants=10, interactions=200
)
SMALL_BUSINESSES = 200
KEY_ACCOUNT_MANAGERS = 8  # besides the owner


@dataclass(frozen=True)
class Metro:
    cities: tuple
    state: str
    timezone: str
    area_codes: tuple
    zip_prefix: str


METROS = (
    Metro(
        ("Austin", "Round Rock", "Cedar Park", "Pflugerville"),
        "TX",
        "America/Chicago",
        (512, 737),
        "787",
    ),
    Metro(("Dallas", "Plano", "Irving"), "TX", "America/Chicago", (214, 469, 972), "752"),
    Metro(("Houston", "Sugar Land", "Katy"), "TX", "America/Chicago", (713, 281, 832), "770"),
    Metro(("Chicago", "Evanston", "Oak Park"), "IL", "America/Chicago", (312, 773), "606"),
    Metro(("New York", "Brooklyn", "Queens"), "NY", "America/New_York", (212, 718, 917), "100"),
    Metro(("Boston", "Cambridge", "Somerville"), "MA", "America/New_York", (617, 857), "021"),
    Metro(("Miami", "Coral Gables"), "FL", "America/New_York", (305, 786), "331"),
    Metro(("Atlanta", "Decatur"), "GA", "America/New_York", (404, 678), "303"),
    Metro(("Denver", "Boulder", "Aurora"), "CO", "America/Denver", (303, 720), "802"),
    Metro(("Phoenix", "Tempe", "Scottsdale"), "AZ", "America/Phoenix", (602, 480), "850"),
    Metro(
        ("Los Angeles", "Pasadena", "Santa Monica"),
        "CA",
        "America/Los_Angeles",
        (213, 310, 323),
        "900",
    ),
    Metro(("San Francisco", "Oakland"), "CA", "America/Los_Angeles", (415, 510), "941"),
    Metro(("Seattle", "Bellevue"), "WA", "America/Los_Angeles", (206, 425), "981"),
    Metro(("Honolulu",), "HI", "Pacific/Honolulu", (808,), "968"),
)
HOME = METROS[0]

EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
SERVICE_TYPES = (("standard", 55), ("deep", 20), ("move_in_out", 10), ("airbnb", 15))
DURATIONS = {"standard": 180, "deep": 240, "move_in_out": 300, "airbnb": 120}
SPECIAL_REQUESTS = (
    "Gate code 4412.",
    "Two friendly dogs, please keep the back door closed.",
    "Key under the mat.",
    "Please use unscented products.",
    "Park in the driveway.",
)
CANCEL_REASONS = ("Customer rescheduled", "Customer sick", "Weather", "Found another cleaner")
VOID_REASONS = ("Billed twice", "Wrong amount", "Customer disputed")
METHODS = (("card", 60), ("bank_transfer", 15), ("cash", 10), ("check", 10), ("other", 5))
LEAD_SOURCES = (("retell", 40), ("thumbtack", 30), ("manual", 25), ("other", 5))
RESTAURANT_WORDS = words(
    "Golden Blue Little Rustic Urban Salty Smoky Green Red Copper Iron Wild Olive Lucky "
    "Sunny Twisted Hungry Happy Silver Northern"
)
RESTAURANT_NOUNS = words(
    "Fig Oak Spoon Fork Table Kettle Lantern Pepper Harbor Garden Barrel Anchor Ember Sage "
    "Basil Onion Lemon Hearth Orchard Mill"
)
RESTAURANT_KINDS = ("Bistro", "Kitchen", "Grill", "Cafe", "Taqueria", "Diner", "Trattoria", "BBQ")
CUISINES = ("Mexican", "Italian", "American", "Thai", "Japanese", "Indian", "BBQ", "Vegan")
CONTACT_ROLES = ("Owner", "General manager", "Head chef", "Purchasing", "Bar manager")
INTERACTION_TYPES = (
    ("CALL", 40),
    ("EMAIL", 25),
    ("VISIT", 10),
    ("MEETING", 10),
    ("ORDER", 10),
    ("OTHER", 5),
)
DETAILS = {
    "CALL": "Called about next week's order.",
    "EMAIL": "Sent the new price list.",
    "VISIT": "Visited, tasted the new range with the chef.",
    "MEETING": "Quarterly review with the owner.",
    "OTHER": "Followed up on a delivery issue.",
}
PRODUCTS = (
    "Case of fresh produce",
    "Olive oil, 6 x 3 l",
    "Dry goods restock",
    "Cleaning supplies",
    "Paper goods",
    "Coffee beans, 10 kg",
)
PIPELINE = ("NEW", "CONTACTED", "QUALIFIED", "NEGOTIATION", "CONVERTED")
RESTAURANT_STATUSES = (
    ("NEW", 25),
    ("CONTACTED", 25),
    ("QUALIFIED", 15),
    ("NEGOTIATION", 10),
    ("CONVERTED", 20),
    ("LOST", 5),
)
FREQUENCIES = (("WEEKLY", 40), ("BIWEEKLY", 25), ("MONTHLY", 25), ("DAILY", 10))
PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "BIWEEKLY": 14, "MONTHLY": 30}


def _weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


class Builder:
    """Writes the data set through one `BulkWriter`; `rng` makes it repeatable
    (public ids and secrets are random, as in the app)."""

    def __init__(self, *, writer, seed=SEED, password=None):
        from django.utils import timezone

        self.w = writer
        self.seed = seed
        self.rng = random.Random(seed)
        self.memberships = []  # office members of the large business (their ids)
        self.now = timezone.now()
        self.password = password or secrets.token_urlsafe(18)
        self.taken = set()

    # --- small helpers ---------------------------------------------------------------

    def unique(self, make):
        while True:
            value = make()
            if value not in self.taken:
                self.taken.add(value)
                return value

    def phone(self, metro):
        rng = self.rng
        exchange = rng.randint(201, 999)
        while exchange % 100 == 11 or exchange == 555:
            exchange = rng.randint(201, 999)
        return f"+1{rng.choice(metro.area_codes)}{exchange}{rng.randint(0, 9999):04d}"

    def person(self, metro):
        from .payloads import FIRST_NAMES, LAST_NAMES, STREET_KINDS, STREETS

        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        service_type = _weighted(rng, SERVICE_TYPES)
        bedrooms = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
        return {
            "first_name": first,
            "last_name": last,
            "email": f"{first}.{last}{rng.randint(1, 999)}@{rng.choice(EMAIL_DOMAINS)}".lower(),
            "phone": self.phone(metro),
            "company": rng.choice(("", "", "", "", f"{last} Properties")),
            "address": f"{rng.randint(100, 9999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}",
            "city": rng.choice(metro.cities),
            "state": metro.state,
            "zip_code": f"{metro.zip_prefix}{rng.randint(0, 99):02d}",
            "service_type": service_type,
            "bedrooms": bedrooms,
            "bathrooms": max(1, bedrooms - rng.choice((0, 1, 1, 2))),
            "square_feet": bedrooms * rng.randint(350, 700),
        }

    def past(self, days, until=None):
        """A moment within `days` before `until` (default now); recent ones
        are likelier, as a business grows."""
        until = until or self.now
        return until - timedelta(seconds=days * 86400 * (1 - math.sqrt(self.rng.random())))

    def between(self, start, end):
        return start + (end - start) * self.rng.random()

    # --- businesses ------------------------------------------------------------------

    def business(self, *, name, username, metro, password_hash):
        from account.models import BusinessSettings, User
        from account.services import business_register

        first, last = self.rng.choice(("Dana", "Sam", "Alex", "Robin")), "Owner"
        owner = User.objects.create(
            username=username,
            email=f"{username}@example.com",
            first_name=first,
            last_name=last,
            password=password_hash,
        )
        business = business_register(
            owner=owner,
            name=name,
            email=f"office@{username}.example.com",
            phone=self.phone(metro),
            address=f"{self.rng.randint(100, 999)} Main St, {metro.cities[0]}, {metro.state}",
            timezone=metro.timezone,
            currency="USD",
        )
        BusinessSettings.objects.filter(business=business).update(
            base_price_standard=Decimal("60.00"),
            base_price_deep=Decimal("90.00"),
            price_per_bedroom=Decimal("20.00"),
            price_per_bathroom=Decimal("15.00"),
            tax_rate=Decimal("8.25"),
            invoice_notes="Thank you for your business. Payment is due within 14 days.",
            pricing_updated_at=self.now,
            addons_reviewed_at=self.now,
        )
        business.refresh_from_db()
        business.settings  # noqa: B018 -- cached for pricing
        return owner, business

    def one_kind_businesses(self, neighbours, password_hash):
        """The first neighbours become a cleaning-only business and a
        restaurants-only one whose owners can sign in (the dashboards of each
        kind): {kind: username}."""
        from account.models import Business, User

        kind_users = {}
        for n, kind in enumerate(("home", "restaurants")[:neighbours]):
            username = f"neighbour-{n + 1}"
            User.objects.filter(username=username).update(password=password_hash)
            Business.objects.filter(memberships__user__username=username).update(kind=kind)
            kind_users[kind] = username
        return kind_users

    def members(self, business, count, password_hash):
        from account.models import Membership, User

        users = []
        for n in range(1, count + 1):
            username = f"{business.pk}-kam{n}"
            user = self.w.add(
                User(
                    username=username,
                    email=f"kam{n}.{business.pk}@example.com",
                    first_name=self.rng.choice(("Jordan", "Casey", "Morgan", "Taylor", "Jamie")),
                    last_name=f"Manager{n}",
                    password=password_hash,
                    date_joined=self.past(HISTORY_DAYS),
                )
            )
            membership = Membership(user=user, business=business, role=Membership.Role.OFFICE)
            self.w.add(membership)
            self.memberships.append(membership.pk)
            users.append(user)
        return users

    def crew(self, owner, bookings):
        """Assign the team (owner and office members) to most bookings that
        are not cancelled; its own random stream, so the rest of the data set
        stays the same."""
        from account.models import Membership
        from booking.models import Booking

        rng = random.Random(self.seed + 1)
        team = [Membership.objects.get(user=owner).pk, *self.memberships]
        through = Booking.assignees.through
        for booking in bookings:
            if booking.status == "cancelled" or rng.random() < 0.3:
                continue
            for membership_id in rng.sample(team, 2 if rng.random() < 0.15 else 1):
                self.w.row(through, booking_id=booking.pk, membership_id=membership_id)

    def credentials(self, business, *, thumbtack=False):
        """The business's Retell API key and Thumbtack webhook login, set the
        way the credentials page sets them. Returns what a sender needs."""
        from account import services
        from account.models import BusinessCredentials

        credentials = BusinessCredentials.objects.get(business=business)
        credentials.retell_api_key = "key_" + secrets.token_hex(16)
        credentials.voice_agent_phone = self.phone(HOME)
        password = ""
        if thumbtack:
            credentials.thumbtack_username = f"thumbtack-{business.pk}"
            credentials.thumbtack_business_id = "468046965846925323"
        credentials.save()
        if thumbtack:
            password = services.credentials_generate_thumbtack_password(credentials=credentials)
        return {
            "webhook_secret": credentials.webhook_secret,
            "retell_api_key": credentials.retell_api_key,
            "thumbtack_username": credentials.thumbtack_username or "",
            "thumbtack_password": password,
        }

    # --- home services: bookings, invoices, leads, inbox -----------------------------

    def home_services(self, business, owner, counts, metro):
        """Bookings, invoices and leads of one business, with their inbox."""
        rng = self.rng
        addons = sorted(
            (a for a in business.addons.all() if a.is_active),
            key=lambda a: (not a.is_standard, a.name),
        )
        customers = [self.person(metro) for _ in range(max(1, counts.bookings // 3))]
        self.customers(business, customers)
        bookings = [
            self.booking(business, owner, rng.choice(customers), addons)
            for _ in range(counts.bookings)
        ]
        bookings.sort(key=lambda b: b.start)

        # A third of the customers came in as a lead that was converted by
        # their first booking.
        firsts = {}
        for booking in bookings:
            firsts.setdefault(id(booking._bench_customer), booking)
        converted = [firsts[id(c)] for c in customers if id(c) in firsts and rng.random() < 0.33]
        leads = []
        for booking in converted[: counts.leads]:
            source = _weighted(rng, LEAD_SOURCES)
            created = booking.created_at - timedelta(hours=rng.uniform(1, 120))
            lead = self.lead(business, booking._bench_customer, source, "converted", created, metro)
            booking.lead = lead
            booking.source = {"retell": "retell", "thumbtack": "thumbtack"}.get(source, "lead")
            if source in ("retell", "thumbtack"):
                booking.created_by = None
            leads.append(lead)
        for _ in range(counts.leads - len(leads)):
            created = self.past(HISTORY_DAYS)
            age = (self.now - created).days
            if age < 14:
                status = _weighted(rng, (("new", 60), ("contacted", 28), ("qualified", 12)))
            else:
                status = _weighted(
                    rng, (("lost", 45), ("contacted", 20), ("qualified", 10), ("new", 25))
                )
            leads.append(
                self.lead(
                    business,
                    self.person(metro),
                    _weighted(rng, LEAD_SOURCES),
                    status,
                    created,
                    metro,
                )
            )

        for booking in bookings:
            self.w.add(booking)
            self.booking_history(booking, owner)
        self.invoices(business, owner, [b for b in bookings if b.status == "completed"], counts)
        self.inbox(business, leads, counts.events, metro)
        return bookings

    def customers(self, business, people):
        """A customer row with one address for each person who books (a phone
        or email already taken in the business is left blank, as the unique
        constraints require)."""
        from config.ids import new_public_id
        from customers.models import CUSTOMER_ID_PREFIX, Customer, CustomerAddress

        phones, emails = set(), set()
        for person in people:
            if person["phone"] in phones:
                person["phone"] = ""
            if person["email"] in emails:
                person["email"] = ""
            phones.add(person["phone"])
            emails.add(person["email"])
            customer = self.w.add(
                Customer(
                    business=business,
                    public_id=self.unique(lambda: new_public_id(CUSTOMER_ID_PREFIX)),
                    name=f"{person['first_name']} {person['last_name']}",
                    email=person["email"],
                    phone=person["phone"],
                    company=person["company"],
                    created_at=self.now,
                    updated_at=self.now,
                )
            )
            address = self.w.add(
                CustomerAddress(
                    customer=customer,
                    address=person["address"],
                    city=person["city"],
                    state=person["state"],
                    zip_code=person["zip_code"],
                    bedrooms=person["bedrooms"],
                    bathrooms=Decimal(person["bathrooms"]),
                    square_feet=person["square_feet"],
                    created_at=self.now,
                )
            )
            person["_customer_id"], person["_address_id"] = customer.pk, address.pk
            person["_customer_public_id"] = customer.public_id

    def booking(self, business, owner, customer, addons):
        from booking import pricing
        from booking.models import Booking
        from booking.services import BOOKING_ID_PREFIX
        from config.ids import new_public_id

        rng = self.rng
        tz = business.tzinfo
        today = self.now.astimezone(tz).date()
        if rng.random() < 0.95:
            day = today - timedelta(days=int(HISTORY_DAYS * (1 - math.sqrt(rng.random()))))
        else:  # booked ahead, most within the next two months
            day = today + timedelta(days=min(365, int(rng.expovariate(1 / 40))))
        local = datetime.combine(day, clock_time(rng.randint(8, 16), rng.choice((0, 30))), tz)
        start = local.astimezone(UTC)
        if start < self.now:
            status = _weighted(rng, (("completed", 90), ("cancelled", 7), ("scheduled", 3)))
        else:
            status = _weighted(rng, (("scheduled", 95), ("cancelled", 5)))

        quote = pricing.quote(
            business=business,
            service_type=customer["service_type"],
            bedrooms=customer["bedrooms"],
            bathrooms=customer["bathrooms"],
            square_feet=customer["square_feet"],
        )
        lines = list(quote.lines)
        if addons and rng.random() < 0.4:
            # The add-on lines `pricing.quote` adds, without a query per booking.
            chosen = rng.sample(addons, k=min(len(addons), rng.randint(1, 3)))
            for addon in sorted(chosen, key=lambda a: (not a.is_standard, a.name)):
                quantity = Decimal(rng.randint(1, 6) if addon.key in ("windows", "laundry") else 1)
                amount = pricing.money(quantity * addon.price)
                lines.append(
                    pricing.PriceLine("addon", addon.key, addon.name, quantity, addon.price, amount)
                )
        subtotal, tax, total = pricing.totals([line.amount for line in lines], quote.tax_rate)

        created = start - timedelta(days=rng.uniform(0.5, 40))
        if created > self.now:
            created = self.now - timedelta(minutes=rng.randint(5, 3 * 24 * 60))
        booking = Booking(
            business=business,
            public_id=self.unique(lambda: new_public_id(BOOKING_ID_PREFIX)),
            status=status,
            source="manual",
            customer_first_name=customer["first_name"],
            customer_last_name=customer["last_name"],
            customer_email=customer["email"],
            customer_phone=customer["phone"],
            customer_company=customer["company"],
            customer_id=customer.get("_customer_id"),
            service_address_id=customer.get("_address_id"),
            address=customer["address"],
            city=customer["city"],
            state=customer["state"],
            zip_code=customer["zip_code"],
            service_type=customer["service_type"],
            bedrooms=customer["bedrooms"],
            bathrooms=Decimal(customer["bathrooms"]),
            square_feet=customer["square_feet"],
            start=start,
            duration_minutes=DURATIONS[customer["service_type"]],
            special_requests=rng.choice(SPECIAL_REQUESTS) if rng.random() < 0.2 else "",
            subtotal=subtotal,
            tax_rate=quote.tax_rate,
            tax=tax,
            total=total,
            created_by=owner,
            created_at=created,
            updated_at=created,
        )
        if status == "completed":
            booking.completed_at = start + timedelta(minutes=booking.duration_minutes)
            booking.updated_at = booking.completed_at
        elif status == "cancelled":
            booking.cancelled_at = self.between(created, min(start, self.now))
            booking.cancel_reason = rng.choice(CANCEL_REASONS)
            booking.updated_at = booking.cancelled_at
        booking._bench_customer = customer
        booking._bench_lines = lines
        return booking

    def booking_history(self, booking, owner):
        from booking.models import BookingLine, BookingNote

        for position, line in enumerate(booking._bench_lines):
            self.w.row(
                BookingLine,
                booking_id=booking.pk,
                position=position,
                kind=line.kind,
                key=line.key,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
            )
        user_id = booking.created_by_id
        source = booking.get_source_display().lower()
        notes = [(booking.created_at, f"Booked ({source}), total {booking.total}.")]
        if booking.lead is not None:
            notes.append((booking.created_at, f"Converted from lead {booking.lead.public_id}."))
        if booking.completed_at:
            notes.append((booking.completed_at, "Marked completed."))
        if booking.cancelled_at:
            notes.append((booking.cancelled_at, f"Cancelled: {booking.cancel_reason}"))
        for moment, message in notes:
            self.w.row(
                BookingNote,
                booking_id=booking.pk,
                created_at=moment,
                user_id=user_id,
                message=message,
            )

    def invoices(self, business, owner, completed, counts):
        """Numbered invoices for the latest completed bookings, with lines
        copied from the booking and payments."""
        from booking import pricing
        from booking.models import BookingNote, Invoice, InvoiceCounter, InvoiceLine, Payment
        from booking.services import INVOICE_ID_PREFIX
        from config.ids import new_public_id

        rng = self.rng
        tz = business.tzinfo
        today = self.now.astimezone(tz).date()
        settings = business.settings
        chosen = completed[-counts.invoices :]
        for sequence, booking in enumerate(chosen, start=1):
            service_date = booking.start.astimezone(tz).date()
            issue = min(service_date + timedelta(days=rng.choice((0, 0, 1, 2))), today)
            due = issue + timedelta(days=settings.invoice_due_days)
            created = datetime.combine(issue, clock_time(18, rng.randint(0, 59)), tz)
            if (today - due).days > 30:
                weights = (("paid", 93), ("void", 2), ("unpaid", 3), ("partially_paid", 2))
            else:
                weights = (("paid", 50), ("unpaid", 40), ("partially_paid", 8), ("void", 2))
            status = _weighted(rng, weights)
            invoice = Invoice(
                business=business,
                booking=booking,
                public_id=self.unique(lambda: new_public_id(INVOICE_ID_PREFIX)),
                sequence=sequence,
                number=f"{settings.invoice_prefix}{sequence:04d}",
                status=status,
                bill_to_name=booking.customer_name,
                bill_to_company=booking.customer_company,
                bill_to_email=booking.customer_email,
                bill_to_phone=booking.customer_phone,
                bill_to_address=booking.full_address,
                service_date=service_date,
                issue_date=issue,
                due_date=due,
                notes=settings.invoice_notes,
                currency=business.currency,
                subtotal=booking.subtotal,
                tax_rate=booking.tax_rate,
                tax=booking.tax,
                total=booking.total,
                sent_at=created + timedelta(minutes=5) if rng.random() < 0.7 else None,
                created_at=created,
                updated_at=created,
            )
            notes = [(created, "Invoice created.")]
            parts = []
            if status == "paid":
                parts = [invoice.total]
                if rng.random() < 0.25:
                    deposit = pricing.money(invoice.total * Decimal(rng.uniform(0.2, 0.5)))
                    parts = [deposit, invoice.total - deposit]
            elif status == "partially_paid":
                parts = [pricing.money(invoice.total * Decimal(rng.uniform(0.2, 0.6)))]
            payments, paid_on = [], issue
            for amount in parts:
                paid_on = min(paid_on + timedelta(days=rng.randint(0, 12)), today)
                method = _weighted(rng, METHODS)
                moment = datetime.combine(paid_on, clock_time(rng.randint(9, 19)), tz)
                payment = Payment(
                    invoice=invoice,
                    amount=amount,
                    method=method,
                    paid_on=paid_on,
                    reference=f"ch_{secrets.token_hex(6)}" if method == "card" else "",
                    recorded_by=owner,
                    created_at=moment,
                )
                payments.append(payment)
                invoice.amount_paid += amount
                invoice.updated_at = moment
                label = payment.get_method_display().lower()
                notes.append(
                    (moment, f"Payment of {amount} ({label}) recorded on invoice {invoice.number}.")
                )
            if status == "paid":
                invoice.paid_at = invoice.updated_at
            if status == "void":
                invoice.voided_at = created + timedelta(days=rng.randint(1, 10))
                invoice.void_reason = rng.choice(VOID_REASONS)
                invoice.updated_at = invoice.voided_at
                notes.append(
                    (invoice.voided_at, f"Invoice {invoice.number} voided: {invoice.void_reason}")
                )
            # Queued only once complete: a full buffer is written as soon as it fills.
            self.w.add(invoice)
            for position, line in enumerate(booking._bench_lines):
                self.w.row(
                    InvoiceLine,
                    invoice_id=invoice.pk,
                    position=position,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=line.amount,
                )
            for payment in payments:
                payment.invoice = invoice
                self.w.add(payment)
            for moment, message in notes:
                self.w.row(
                    BookingNote,
                    booking_id=booking.pk,
                    created_at=moment,
                    user_id=owner.pk,
                    message=message,
                )
            self.invoices_by_business.setdefault(business.pk, []).append(invoice)
        InvoiceCounter.objects.create(business=business, last_number=len(chosen))

    def lead(self, business, person, source, status, created, metro):
        """A lead as `lead_create` / the webhooks write it: details from its
        source, external id and reference, and its timeline."""
        from account.models import ServiceType
        from leads.models import Lead, LeadActivity, LeadReference, new_lead_id

        from .payloads import new_call_id, new_thumbtack_id

        rng = self.rng
        name = f"{person['first_name']} {person['last_name']}"
        service = ServiceType(person["service_type"]).label
        details, external_id, estimate, message = {}, "", None, "Lead created (Manual)."
        if source == "retell":
            external_id = new_call_id()
            details = {
                "retell": {
                    "call_id": external_id,
                    "summary": f"{name} asked about a {service.lower()}.",
                    "sentiment": rng.choice(("Positive", "Neutral")),
                    "call_successful": True,
                    "transcript": f"Agent: How can I help?\nUser: I'd like a {service.lower()}.",
                    "recording_url": f"https://dxc03zgurdly9.cloudfront.net/{external_id}/r.wav",
                    "duration_seconds": rng.randint(45, 420),
                    "from_number": person["phone"],
                    "appointment_booked": status == "converted",
                    "custom_analysis_data": {
                        "first_name": person["first_name"],
                        "last_name": person["last_name"],
                        "service_type": person["service_type"],
                    },
                }
            }
            message = "Phone call analysed by the Retell agent."
        elif source == "thumbtack":
            external_id = new_thumbtack_id(rng)
            estimate = Decimal(rng.choice((120, 145, 175, 210, 260)))
            details = {
                "thumbtack": {
                    "negotiation_id": external_id,
                    "category": "House Cleaning",
                    "description": f"Looking for a {service.lower()}.",
                    "location": {
                        "city": person["city"],
                        "state": person["state"],
                        "zipCode": person["zip_code"],
                    },
                    "details": [{"question": "Type of property", "answer": "Home"}],
                    "proposed_times": [],
                    "created_at": created.isoformat(),
                    "status": "Open",
                    "lead_price": "$31.50",
                    "estimate": {"type": "Fixed", "total": f"${estimate}"},
                }
            }
            message = "Thumbtack request: House Cleaning."
        elif source == "other":
            message = "Lead created (Other)."
        updated = created
        if status not in ("new", "converted"):
            updated = self.between(created, self.now)
        lead = self.w.add(
            Lead(
                business=business,
                public_id=self.unique(new_lead_id),
                name=name,
                email=person["email"] if source != "retell" or rng.random() < 0.5 else "",
                phone=person["phone"],
                source=source,
                status=status,
                priority=_weighted(rng, (("normal", 80), ("high", 10), ("low", 10))),
                service_wanted=service,
                notes="Prefers mornings." if rng.random() < 0.1 else "",
                details=details,
                external_id=external_id,
                estimate_total=estimate,
                customer_id=person.get("_customer_id"),
                created_at=created,
                updated_at=updated,
            )
        )
        lead._bench_person = person
        self.w.row(
            LeadActivity, lead_id=lead.pk, kind="created", message=message, created_at=created
        )
        if external_id:
            self.w.row(
                LeadReference,
                business_id=business.pk,
                lead_id=lead.pk,
                source=source,
                external_id=external_id,
                created_at=created,
            )
        if updated != created:
            self.w.row(
                LeadActivity,
                lead_id=lead.pk,
                kind="status",
                message=f"Status changed from New to {Lead.Status(status).label}.",
                data={"from": "new", "to": status},
                created_at=updated,
            )
        return lead

    def inbox(self, business, leads, count, metro):
        """Inbox events: the deliveries that created the Retell and Thumbtack
        leads, calls' other events and Thumbtack messages, a few failures and
        repeats; exactly `count` of them."""
        from leads.models import LeadActivity, LeadMessage
        from webhooks.models import WebhookEvent

        from .payloads import new_call_id, new_thumbtack_id, retell_call, thumbtack_message
        from .payloads import thumbtack_negotiation as negotiation

        rng = self.rng
        to_number = self.phone(metro)
        primary, secondary = [], []
        for lead in leads:
            person, created = lead._bench_person, lead.created_at
            if lead.source == "retell":
                call_id = lead.external_id
                appointment = None
                if lead.status == "converted":
                    appointment = (created + timedelta(days=3)).replace(tzinfo=None)
                payload = retell_call(
                    rng,
                    event="call_analyzed",
                    call_id=call_id,
                    from_number=person["phone"],
                    to_number=to_number,
                    ended_at=created,
                    customer=person,
                    appointment=appointment,
                    business_name=business.name,
                )
                primary.append(
                    ("retell", "call_analyzed", f"call_analyzed:{call_id}", payload, created, lead)
                )
                if rng.random() < 0.5:
                    ended = retell_call(
                        rng,
                        event="call_ended",
                        call_id=call_id,
                        from_number=person["phone"],
                        to_number=to_number,
                        ended_at=created,
                        customer=person,
                        business_name=business.name,
                    )
                    secondary.append(
                        (
                            "retell",
                            "call_ended",
                            f"call_ended:{call_id}",
                            ended,
                            created - timedelta(seconds=20),
                            None,
                        )
                    )
            elif lead.source == "thumbtack":
                nid = lead.external_id
                payload = negotiation(
                    rng,
                    negotiation_id=nid,
                    created_at=created,
                    customer=person,
                    business_name=business.name,
                )
                primary.append(
                    (
                        "thumbtack",
                        "NegotiationCreatedV4",
                        f"negotiation:{nid}",
                        payload,
                        created,
                        lead,
                    )
                )
                if rng.random() < 0.3:
                    sent = created + timedelta(minutes=rng.randint(5, 600))
                    message_id = new_thumbtack_id(rng)
                    payload = thumbtack_message(
                        rng,
                        message_id=message_id,
                        negotiation_id=nid,
                        sent_at=sent,
                        customer=person,
                        business_name=business.name,
                    )
                    secondary.append(
                        (
                            "thumbtack",
                            "MessageCreatedV4",
                            f"message:{message_id}",
                            payload,
                            sent,
                            lead,
                        )
                    )
                    sender = payload["data"]["customer"]["displayName"]
                    self.w.row(
                        LeadMessage,
                        business_id=business.pk,
                        lead_id=lead.pk,
                        negotiation_id=nid,
                        message_id=message_id,
                        sender="Customer",
                        sender_name=sender,
                        text=payload["data"]["text"],
                        sent_at=sent,
                        raw=payload["data"],
                        created_at=sent,
                    )
                    self.w.row(
                        LeadActivity,
                        lead_id=lead.pk,
                        kind="message",
                        created_at=sent,
                        message=f"Thumbtack message from {sender.rstrip('.')}.",
                        data={"message_id": message_id},
                    )
        rng.shuffle(secondary)
        chosen = (primary + secondary)[:count]
        while len(chosen) < count:  # calls that never became a lead
            call_id = new_call_id()
            person = self.person(metro)
            moment = self.past(HISTORY_DAYS)
            payload = retell_call(
                rng,
                event="call_started",
                call_id=call_id,
                from_number=person["phone"],
                to_number=to_number,
                ended_at=moment,
                customer=person,
                business_name=business.name,
            )
            chosen.append(
                ("retell", "call_started", f"call_started:{call_id}", payload, moment, None)
            )
        for source, event_type, key, payload, moment, lead in chosen:
            status, error, repeats = "processed", "", 0
            roll = rng.random()
            if roll < 0.015:
                # A sender's retry is counted on the delivery it repeats.
                repeats = rng.randint(1, 3)
            elif roll < 0.03 and lead is not None:
                status, lead = "failed", None
                error = "The payload could not be processed: a required field is missing."
            elif event_type not in ("call_analyzed", "NegotiationCreatedV4"):
                status = "processed" if rng.random() < 0.9 else "ignored"
            self.w.row(
                WebhookEvent,
                business_id=business.pk,
                source=source,
                event_type=event_type,
                dedupe_key=key,
                payload=payload,
                received_at=moment,
                processed_at=moment + timedelta(seconds=rng.uniform(0.2, 5)),
                status=status,
                error=error,
                attempts=1,
                duplicate_count=repeats,
                last_duplicate_at=moment + timedelta(minutes=repeats) if repeats else None,
                lead_id=lead.pk if lead is not None else None,
            )

    # --- restaurant accounts -----------------------------------------------------------

    def restaurants(self, business, users, counts, metros):
        """Restaurants with their status history, contacts, interactions (and
        orders) and call plans; the interactions are spread unevenly, as
        some accounts are worked much harder than others. Returns a typical
        restaurant of `users[0]` (about 20 interactions) and the busiest one."""
        from call.models import CallPlan
        from call.periods import one_period_after
        from contact.models import Contact
        from restaurants.models import Restaurant, RestaurantStatusChange
        from track.models import Interaction, Order

        from .payloads import FIRST_NAMES, LAST_NAMES, STREET_KINDS, STREETS

        rng = self.rng
        weights = [rng.lognormvariate(0, 0.9) for _ in range(counts.restaurants)]
        scale = counts.interactions / sum(weights)
        shares = [int(w * scale) for w in weights]
        for n in range(counts.interactions - sum(shares)):
            shares[n % len(shares)] += 1
        picked = busiest = None
        most = -1
        for share in shares:
            metro = metros[0] if rng.random() < 0.4 else rng.choice(metros)
            word, noun = rng.choice(RESTAURANT_WORDS), rng.choice(RESTAURANT_NOUNS)
            name = f"{word} {noun} {rng.choice(RESTAURANT_KINDS)}"
            slug = f"{word}{noun}{rng.randint(1, 999)}".lower()
            status = _weighted(rng, RESTAURANT_STATUSES)
            assignee = rng.choice(users) if rng.random() < 0.9 else None
            created = self.past(3 * 365)
            restaurant = self.w.add(
                Restaurant(
                    business=business,
                    name=name,
                    address=f"{rng.randint(100, 9999)} {rng.choice(STREETS)} "
                    f"{rng.choice(STREET_KINDS)}",
                    city=rng.choice(metro.cities),
                    state=metro.state,
                    country="US",
                    phone=self.phone(metro),
                    email=f"info@{slug}.example.com",
                    website=f"https://{slug}.example.com",
                    cuisine=rng.choice(CUISINES),
                    status=status,
                    assigned_to=assignee,
                    timezone=metro.timezone,
                    created_at=created,
                    updated_at=created,
                )
            )
            assignee_id = assignee.pk if assignee else None
            # Status history: the pipeline walked up to the current status.
            if status == "LOST":
                path = [*PIPELINE[: rng.randint(2, 4)], "LOST"]
            else:
                path = list(PIPELINE[: PIPELINE.index(status) + 1])
            moment = created
            for before, after in zip(path, path[1:], strict=False):
                moment = self.between(moment, self.now)
                self.w.row(
                    RestaurantStatusChange,
                    restaurant_id=restaurant.pk,
                    from_status=before,
                    to_status=after,
                    changed_by_id=assignee_id,
                    changed_at=moment,
                )
            contacts = [
                self.w.row(
                    Contact,
                    restaurant_id=restaurant.pk,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    role=role,
                    email=f"{role.split()[0].lower()}@{slug}.example.com",
                    phone=self.phone(metro),
                    created_at=created,
                    updated_at=created,
                )
                for role in rng.sample(CONTACT_ROLES, rng.randint(1, 3))
            ]
            plan_frequency = _weighted(rng, FREQUENCIES) if status != "LOST" else None
            moments = sorted(self.between(created, self.now) for _ in range(share))
            types = [_weighted(rng, INTERACTION_TYPES) for _ in moments]
            if plan_frequency and moments:
                # Worked accounts were called within about one period.
                period = PERIOD_DAYS[plan_frequency]
                moments[-1] = self.now - timedelta(days=rng.uniform(0, period * 1.3))
                moments[-1] = max(moments[-1], created)
                types[-1] = "CALL"
            last_call = None
            for moment, kind in zip(moments, types, strict=True):
                order = kind == "ORDER" or (kind in ("VISIT", "MEETING") and rng.random() < 0.2)
                author = assignee_id or rng.choice(users).pk
                interaction = self.w.row(
                    Interaction,
                    restaurant_id=restaurant.pk,
                    contact_id=rng.choice(contacts) if rng.random() < 0.85 else None,
                    interaction_type=kind,
                    details="Order placed." if kind == "ORDER" else DETAILS[kind],
                    order_placed=order,
                    date=moment,
                    created_by_id=author,
                    created_at=moment,
                    updated_at=moment,
                )
                if order:
                    quantity = rng.randint(1, 40)
                    self.w.row(
                        Order,
                        interaction_id=interaction,
                        product_details=rng.choice(PRODUCTS),
                        quantity=quantity,
                        total_price=Decimal(quantity * rng.randint(15, 120)),
                        order_date=moment,
                    )
                if kind == "CALL":
                    last_call = moment
            if plan_frequency:
                base = last_call or created
                self.w.row(
                    CallPlan,
                    restaurant_id=restaurant.pk,
                    frequency=plan_frequency,
                    last_called=last_call,
                    next_call_date=one_period_after(base, plan_frequency, restaurant.tzinfo),
                    created_at=created,
                    updated_at=base,
                )
            if picked is None and assignee == users[0] and abs(share - 20) <= 4:
                picked = restaurant
            if share > most:
                busiest, most = restaurant, share
        return picked, busiest

    def series(self, business, owner, bookings, visits=80):
        """A weekly series whose visits are `visits` of the business's bookings
        (one a local date): the series page's data."""
        from booking.models import Booking, BookingSeries
        from booking.series import SERIES_ID_PREFIX
        from config.ids import new_public_id

        self.w.flush()
        tz = business.tzinfo
        chosen, days = [], set()
        for booking in sorted(bookings, key=lambda b: b.start, reverse=True):
            day = booking.start.astimezone(tz).date()
            if day not in days and booking.status != "cancelled":
                days.add(day)
                chosen.append(booking)
            if len(chosen) == visits:
                break
        first = chosen[-1]
        local = first.start.astimezone(tz)
        item = BookingSeries.objects.create(
            business=business,
            public_id=self.unique(lambda: new_public_id(SERIES_ID_PREFIX)),
            frequency="weekly",
            first_date=local.date(),
            start_time=local.time(),
            generated_until=max(days),
            customer_first_name=first.customer_first_name,
            customer_last_name=first.customer_last_name,
            address=first.address,
            city=first.city,
            service_type=first.service_type,
            bedrooms=first.bedrooms,
            bathrooms=first.bathrooms,
            square_feet=first.square_feet,
            duration_minutes=first.duration_minutes,
            created_by=owner,
        )
        rows = [
            Booking(pk=b.pk, series=item, occurrence_date=b.start.astimezone(tz).date())
            for b in chosen
        ]
        Booking.objects.bulk_update(rows, ["series", "occurrence_date"], batch_size=500)
        return item

    def booking_page(self, business):
        """The business's public booking page, on; its capacity is large so that
        every booking the benchmark posts (a new customer each) finds room."""
        from online.forms import form_token
        from online.models import BookingPage

        page = BookingPage.objects.create(
            business=business,
            enabled=True,
            slug=f"benchmark-home-cleaning-{business.pk}",
            working_hours={str(day): ["08:00", "18:00"] for day in range(7)},
            lead_time_hours=24,
            horizon_days=60,
            window_minutes=120,
            capacity=100,
        )
        return {"booking_page_slug": page.slug, "booking_form_token": form_token(page)}

    # --- the whole data set -------------------------------------------------------------

    def build(self, scale=1.0, small_businesses=None):
        from django.contrib.auth.hashers import make_password

        rng = self.rng
        self.invoices_by_business = {}
        counts = LARGE_BUSINESS.scaled(scale)
        neighbours = (
            max(1, round(SMALL_BUSINESSES * scale))
            if small_businesses is None
            else small_businesses
        )
        password_hash = make_password(self.password)
        owner, business = self.business(
            name="Benchmark Home Cleaning",
            username="bench-owner",
            metro=HOME,
            password_hash=password_hash,
        )
        secrets_ = self.credentials(business, thumbtack=True)
        booking_page = self.booking_page(business)
        kams = [owner, *self.members(business, KEY_ACCOUNT_MANAGERS, password_hash)]
        bookings = self.home_services(business, owner, counts, HOME)
        self.crew(owner, bookings)
        restaurant, busiest = self.restaurants(business, kams, counts, METROS)
        series = self.series(business, owner, bookings)

        unusable = make_password(None)
        for n in range(neighbours):
            metro = METROS[n % len(METROS)]
            other_owner, other = self.business(
                name=f"{rng.choice(METROS[n % len(METROS)].cities)} Cleaners {n + 1}",
                username=f"neighbour-{n + 1}",
                metro=metro,
                password_hash=unusable,
            )
            self.credentials(other)
            self.home_services(other, other_owner, SMALL_BUSINESS, metro)
            self.restaurants(other, [other_owner], SMALL_BUSINESS, [metro, *METROS[:3]])
        self.w.flush()
        kind_users = self.one_kind_businesses(neighbours, password_hash)

        invoices = self.invoices_by_business.get(business.pk, [])
        live = [i for i in invoices if i.status != "void"]
        detail_booking = next(
            (b for b in reversed(bookings) if b.status == "completed" and b.lead is None),
            bookings[-1],
        )
        detail_invoice = next((i for i in reversed(live) if i.status == "paid"), live[-1])
        pdf_invoice = live[-2] if len(live) > 1 else live[-1]
        pdf_pool = [i.public_id for i in reversed(live) if i not in (detail_invoice, pdf_invoice)]
        if restaurant is None:
            restaurant = business.restaurants.order_by("pk").first()
        return {
            "scale": scale,
            "username": owner.username,
            "password": self.password,
            "business_id": business.pk,
            "booking_id": detail_booking.public_id,
            "customer_id": detail_booking._bench_customer["_customer_public_id"],
            "series_id": series.public_id,
            "invoice_id": detail_invoice.public_id,
            "pdf_invoice_id": pdf_invoice.public_id,
            "pdf_first_ids": pdf_pool[:5000],
            "restaurant_id": restaurant.pk,
            "busy_restaurant_id": busiest.pk,
            # URL-quoted, for the targets' query strings.
            "restaurant_search": quote(restaurant.name.split()[0]),
            "restaurant_city": quote(restaurant.city),
            "search": detail_booking.customer_last_name,
            **secrets_,
            **booking_page,
            "small_businesses": neighbours,
            "kind_users": kind_users,
            "rows": self.w.counts(),
        }


def settle(using="default"):
    """Leave the tables as a live database's would be after autovacuum:
    vacuumed (hint bits and visibility map set) and analysed (planner
    statistics). Inside a transaction (tests) only ANALYZE is possible."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def build(scale=1.0, *, seed=SEED, small_businesses=None, password=None, using="default"):
    """Build the data set into the (empty, migrated) database; returns the
    references the load targets need, the row counts and the time taken."""
    from django.db import transaction

    from .bulk import BulkWriter

    started = time.perf_counter()
    with transaction.atomic(using=using):
        builder = Builder(writer=BulkWriter(using), seed=seed, password=password)
        refs = builder.build(scale, small_businesses=small_businesses)
    written = time.perf_counter()
    settle(using)
    refs["seconds"] = {
        "write": round(written - started, 1),  # rows written and committed (constraints checked)
        "settle": round(time.perf_counter() - written, 1),  # VACUUM (ANALYZE)
    }
    return refs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--refs", required=True, help="where to write the references (JSON)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    refs = build(args.scale, seed=args.seed)
    descriptor = os.open(args.refs, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(refs, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
