"""Demo data of the restaurant CRM for `manage.py seed_demo`: restaurants in every
status with contacts, six months of interactions and orders, and call plans
of every frequency (some due today, some overdue).

Idempotent: restaurants are matched by name, and their contacts,
interactions, orders, history and plan are rebuilt from a fixed random seed.
"""

import calendar
import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from call.models import CallPlan, Frequency
from call.periods import one_period_after
from contact.models import Contact
from restaurants.models import Restaurant, RestaurantStatus, RestaurantStatusChange
from track.models import Interaction, Order

PIPELINE = [
    RestaurantStatus.NEW,
    RestaurantStatus.CONTACTED,
    RestaurantStatus.QUALIFIED,
    RestaurantStatus.NEGOTIATION,
    RestaurantStatus.CONVERTED,
]

# name, city, state, cuisine, status, time zone (None: the business's),
# order rhythm in days (None: no orders; 0: irregular), call frequency, call due
RESTAURANTS = [
    ("La Cocina de Rosa", "Austin", "TX", "Mexican", "CONVERTED", None, 7, "WEEKLY", "today"),
    (
        "Pho Saigon House",
        "Austin",
        "TX",
        "Vietnamese",
        "CONVERTED",
        None,
        14,
        "BIWEEKLY",
        "overdue",
    ),
    (
        "Smokey Pete's BBQ",
        "Round Rock",
        "TX",
        "Barbecue",
        "CONVERTED",
        None,
        30,
        "MONTHLY",
        "later",
    ),
    ("Bella Napoli", "San Marcos", "TX", "Italian", "CONVERTED", None, 0, "WEEKLY", "overdue"),
    ("Green Bowl Kitchen", "Austin", "TX", "Vegan", "NEGOTIATION", None, None, "DAILY", "today"),
    (
        "Sakura Sushi Bar",
        "Tokyo",
        "",
        "Japanese",
        "NEGOTIATION",
        "Asia/Tokyo",
        None,
        "WEEKLY",
        "today",
    ),
    ("The Golden Fork", "Dallas", "TX", "American", "QUALIFIED", None, None, "BIWEEKLY", "later"),
    ("Taste of Punjab", "Houston", "TX", "Indian", "QUALIFIED", None, None, "MONTHLY", "overdue"),
    (
        "Blue Crab Shack",
        "Los Angeles",
        "CA",
        "Seafood",
        "CONTACTED",
        "America/Los_Angeles",
        None,
        "WEEKLY",
        "later",
    ),
    ("Le Petit Bistro", "Austin", "TX", "French", "CONTACTED", None, None, None, None),
    ("Seoul Food Truck", "Austin", "TX", "Korean", "NEW", None, None, None, None),
    ("Casa Verde Cantina", "Pflugerville", "TX", "Tex-Mex", "NEW", None, None, None, None),
    ("Midnight Diner", "Austin", "TX", "Diner", "LOST", None, None, None, None),
]

FIRST_NAMES = ["Maria", "James", "Linh", "Tom", "Priya", "Kenji", "Sofia", "Omar", "Grace"]
LAST_NAMES = ["Lopez", "Nguyen", "Smith", "Patel", "Tanaka", "Rossi", "Kim", "Brown"]
ROLES = ["Owner", "General Manager", "Head Chef", "Purchasing Manager"]
PRODUCTS = [
    ("Extra virgin olive oil, 5 L", Decimal("38.50")),
    ("Basmati rice, 20 kg sack", Decimal("42.00")),
    ("San Marzano tomatoes, case of 6", Decimal("27.90")),
    ("Fryer oil, 35 lb jug", Decimal("45.25")),
    ("Takeout containers, case of 200", Decimal("31.00")),
]
NOTES = {
    "CALL": ["Checked stock levels.", "Followed up on last week's discussion.", "Quick check-in."],
    "EMAIL": ["Sent the new price list.", "Sent product catalog.", "Confirmed delivery window."],
    "MEETING": ["Tasting session with the chef.", "Reviewed the quarterly volumes."],
    "VISIT": ["Dropped off samples.", "Visited during lunch service."],
    "OTHER": ["Met at the restaurant association mixer."],
}


def _slug(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())[:20]


def seed(*, business, owner, member):
    rng = random.Random(20241228)
    now = timezone.now().replace(microsecond=0)
    for index, row in enumerate(RESTAURANTS):
        name, city, state, cuisine, status, tz, rhythm, frequency, due = row
        restaurant, _ = Restaurant.objects.update_or_create(
            business=business,
            name=name,
            defaults={
                "address": f"{100 + index * 17} Main St",
                "city": city,
                "state": state,
                "country": "Japan" if tz == "Asia/Tokyo" else "USA",
                "phone": f"+1512555{1000 + index:04d}",
                "email": f"hello@{_slug(name)}.example.com",
                "website": f"https://{_slug(name)}.example.com",
                "cuisine": cuisine,
                "status": status,
                "assigned_to": owner if index % 3 else member,
                "timezone": tz or business.timezone,
                "notes": "",
            },
        )
        restaurant.contacts.all().delete()
        restaurant.interactions.all().delete()
        restaurant.status_changes.all().delete()
        CallPlan.objects.filter(restaurant=restaurant).delete()

        contacts = Contact.objects.bulk_create(
            Contact(
                restaurant=restaurant,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                role=ROLES[n % len(ROLES)],
                email=f"contact{n + 1}@{_slug(name)}.example.com",
                phone=f"+1512556{index * 10 + n:04d}",
            )
            for n in range(1 + index % 3)
        )
        _history(restaurant, status, owner, now, rng)
        plan = _call_plan_dates(restaurant, frequency, due, now) if frequency else None
        _interactions(restaurant, contacts, rhythm, owner, now, rng, last_call=plan and plan[0])
        if plan:
            CallPlan.objects.create(
                restaurant=restaurant,
                frequency=frequency,
                last_called=plan[0],
                next_call_date=plan[1],
                notes=f"{Frequency(frequency).label} check-in with {restaurant.name}.",
            )


def _history(restaurant, status, user, now, rng):
    steps = PIPELINE[: PIPELINE.index(status) + 1] if status in PIPELINE else PIPELINE[:3]
    if status == RestaurantStatus.LOST:
        steps = [*steps, RestaurantStatus.LOST]
    moment = now - dt.timedelta(days=175)
    changes = []
    for before, after in zip(steps, steps[1:], strict=False):
        moment += dt.timedelta(days=rng.randint(5, 25))
        changes.append(
            RestaurantStatusChange(
                restaurant=restaurant,
                from_status=before,
                to_status=after,
                changed_by=user,
                changed_at=moment,
            )
        )
    RestaurantStatusChange.objects.bulk_create(changes)


def _interactions(restaurant, contacts, rhythm, user, now, rng, last_call=None):
    """About six months of touches; converted restaurants also order. With a
    call plan, the latest CALL is the plan's last call."""
    start = now - dt.timedelta(days=180)
    rows = []
    day = start
    while day < now - dt.timedelta(days=1):
        day += dt.timedelta(days=rng.randint(6, 20))
        kind = rng.choice(["CALL", "CALL", "EMAIL", "MEETING", "VISIT", "OTHER"])
        rows.append((day.replace(hour=15, minute=0, second=0), kind))
    if last_call is not None:
        rows = [(m, k) for m, k in rows if k != "CALL" or m < last_call]
        rows.append((last_call, "CALL"))
    orders = []
    if rhythm is not None:
        day = start + dt.timedelta(days=rng.randint(0, 6))
        while day < now:
            orders.append(day.replace(hour=17, minute=30, second=0))
            gap = rhythm or rng.choice([3, 9, 20, 35, 50])
            day += dt.timedelta(days=gap + rng.randint(-1, 1))
    created = Interaction.objects.bulk_create(
        [
            Interaction(
                restaurant=restaurant,
                contact=rng.choice(contacts),
                interaction_type=kind,
                details=rng.choice(NOTES[kind]),
                date=moment,
                created_by=user,
            )
            for moment, kind in rows
            if moment < now
        ]
        + [
            Interaction(
                restaurant=restaurant,
                contact=contacts[0],
                interaction_type="ORDER",
                details="Placed the regular order.",
                order_placed=True,
                date=moment,
                created_by=user,
            )
            for moment in orders
        ]
    )
    order_rows = []
    for interaction in created:
        if interaction.order_placed:
            product, unit = rng.choice(PRODUCTS)
            quantity = rng.randint(2, 40)
            order_rows.append(
                Order(
                    interaction=interaction,
                    product_details=f"{quantity} × {product}",
                    quantity=quantity,
                    total_price=unit * quantity,
                    order_date=interaction.date,
                )
            )
    Order.objects.bulk_create(order_rows)


def _call_plan_dates(restaurant, frequency, due, now):
    """(last call, next call) for a plan due today, overdue, or later."""
    tz = restaurant.tzinfo
    today = now.astimezone(tz).date()
    if due == "later":
        last = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(10), tzinfo=tz)
        return last.astimezone(dt.UTC), one_period_after(last, frequency, tz)
    day = today if due == "today" else today - dt.timedelta(days=3)
    next_call = dt.datetime.combine(day, dt.time(10), tzinfo=tz)
    if frequency == Frequency.MONTHLY:
        previous = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        last_day = previous.replace(
            day=min(day.day, calendar.monthrange(previous.year, previous.month)[1])
        )
    else:
        last_day = day - dt.timedelta(days={"DAILY": 1, "WEEKLY": 7, "BIWEEKLY": 14}[frequency])
    last = dt.datetime.combine(last_day, dt.time(10), tzinfo=tz)
    return last.astimezone(dt.UTC), next_call.astimezone(dt.UTC)
