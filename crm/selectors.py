"""Reads for the restaurant CRM's pages, scoped to one business. Every
figure is an aggregate in the database; no read grows in queries with the
number of restaurants, interactions or orders."""

import datetime as dt
import heapq
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from contact.models import Contact
from core import time as local_time
from restaurants.models import Restaurant, RestaurantStatus, RestaurantStatusChange
from track.models import Interaction, Order

TIMELINE_PAGE = 20
HISTORY_SHOWN = 10
BOARD_CARDS = 12  # cards shown per column of the board
RECENT_DAYS = 90  # "recent order value" on the board
RECENT_CACHE_SECONDS = 60
CHART_MONTHS = 12
MAX_CITIES = 500


def restaurants(business):
    """The business's restaurants with what the list shows joined."""
    return Restaurant.objects.filter(business=business).select_related("assigned_to", "call_plan")


def restaurant_for_page(business, pk):
    """One restaurant of `business` (Http404 otherwise), with its assignee and plan."""
    from account.tenancy import get_for_business

    return get_for_business(restaurants(business), business, pk=pk)


def people(business):
    """The people of the business, for choosing an account manager."""
    return list(
        get_user_model()
        .objects.filter(membership__business=business, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def cities(business):
    """The cities the business's restaurants are in (for the filter's suggestions)."""
    return list(
        Restaurant.objects.filter(business=business)
        .exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()[:MAX_CITIES]
    )


# --- the restaurant page -----------------------------------------------------------


def status_history(restaurant, limit=HISTORY_SHOWN):
    """The latest moves of the restaurant (newest first), and whether there are more."""
    rows = list(
        RestaurantStatusChange.objects.filter(restaurant=restaurant)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def contacts(restaurant):
    """The restaurant's contacts, the main contact (added first) first."""
    return list(Contact.objects.filter(restaurant=restaurant).order_by("id"))


def _cursor(interaction):
    return f"{interaction.date.isoformat()}~{interaction.pk}"


def parse_cursor(value):
    """(date, id) from a timeline cursor, or None when it cannot be read."""
    date_text, _, pk = (value or "").partition("~")
    try:
        moment = parse_datetime(date_text)
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment) or not pk.isdigit() or len(pk) > 18:
        return None
    return moment, int(pk)


def timeline(restaurant, *, before=None, limit=TIMELINE_PAGE):
    """Interactions of the restaurant, newest first, `limit` at a time after
    the cursor `before` ((date, id) of the last one shown). Returns (rows,
    cursor of the next page or "")."""
    queryset = (
        Interaction.objects.filter(restaurant=restaurant)
        .select_related("contact", "created_by", "order")
        .order_by("-date", "-id")
    )
    if before is not None:
        moment, pk = before
        queryset = queryset.filter(Q(date__lt=moment) | Q(date=moment, id__lt=pk))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_cursor(rows[-1]) if more and rows else "")


def _orders(restaurant):
    return Order.objects.filter(interaction__restaurant=restaurant)


def order_summary(restaurant):
    """{"count", "total", "last"} of the restaurant's orders."""
    summary = _orders(restaurant).aggregate(
        count=Count("id"), total=Sum("total_price"), last=Max("order_date")
    )
    summary["total"] = summary["total"] or Decimal("0")
    return summary


def month_starts(today, months=CHART_MONTHS):
    """The first day of each of the last `months` months, oldest first."""
    return local_time.month_starts(today, months)


def monthly_order_value(restaurant, *, tz, today, months=CHART_MONTHS):
    """[(first day of the month, order value)] for the last `months` months in
    `tz` (months without orders are zero), in one grouped query."""
    starts = month_starts(today, months)
    since = dt.datetime.combine(starts[0], dt.time.min, tzinfo=tz)
    rows = (
        _orders(restaurant)
        .filter(order_date__gte=since)
        .annotate(month=TruncMonth("order_date", tzinfo=tz))
        .values("month")
        .annotate(value=Sum("total_price"))
        .order_by()
    )
    values = {}
    for row in rows:
        month = row["month"]
        day = month.date() if isinstance(month, dt.datetime) else month
        values[day.replace(day=1)] = row["value"]
    return [(start, values.get(start, Decimal("0"))) for start in starts]


def deletion_summary(restaurant):
    """What goes with the restaurant when it is deleted."""
    return {
        "contacts": Contact.objects.filter(restaurant=restaurant).count(),
        "interactions": Interaction.objects.filter(restaurant=restaurant).count(),
        "orders": _orders(restaurant).count(),
        "status_changes": RestaurantStatusChange.objects.filter(restaurant=restaurant).count(),
        "call_plan": hasattr(restaurant, "call_plan"),
    }


# --- the pipeline board ----------------------------------------------------------------


@dataclass
class Column:
    status: str
    label: str
    count: int = 0
    value: Decimal = Decimal("0")
    cards: list = field(default_factory=list)

    @property
    def more(self):
        return max(0, self.count - len(self.cards))


def _recent_key(business, days):
    return f"crm:recent-orders:{business.pk}:{days}"


def recent_order_values(business, *, days=RECENT_DAYS, now=None):
    """[(restaurant id, status, order value)] of the restaurants that ordered
    in the last `days` days, in one grouped query. Kept in the cache for
    RECENT_CACHE_SECONDS (the pages that log orders or move restaurants
    forget it at once: `forget_recent_order_values`), since summing a
    quarter's orders is the board's one costly read."""
    key = _recent_key(business, days)
    rows = cache.get(key)
    if rows is None:
        now = now or timezone.now()
        rows = list(
            Order.objects.filter(
                interaction__restaurant__business=business,
                order_date__gte=now - dt.timedelta(days=days),
            )
            .order_by()
            .values_list("interaction__restaurant_id", "interaction__restaurant__status")
            .annotate(value=Sum("total_price"))
        )
        cache.set(key, rows, RECENT_CACHE_SECONDS)
    return rows


def forget_recent_order_values(business):
    cache.delete(_recent_key(business, RECENT_DAYS))


def board(business, *, per_column=BOARD_CARDS, days=RECENT_DAYS, now=None):
    """One column per status: how many restaurants, their order value in the
    last `days` days, and the top `per_column` cards (highest recent order
    value first, then the most recently changed). Four queries whatever the
    number of restaurants and orders; the counts and where each card stands
    are always current, the order values at most RECENT_CACHE_SECONDS old
    (`recent_order_values`)."""
    now = now or timezone.now()
    columns = {value: Column(value, label) for value, label in RestaurantStatus.choices}
    for status, count in (
        Restaurant.objects.filter(business=business)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    ):
        columns[status].count = count

    recent = recent_order_values(business, days=days, now=now)
    best = {status: [] for status in columns}
    for restaurant_id, status, value in recent:
        columns[status].value += value
        best[status].append((value, restaurant_id))
    values = {}
    for rows in best.values():
        values.update((pk, value) for value, pk in heapq.nlargest(per_column, rows))

    # The most recently changed restaurants, per status, for columns that
    # have fewer restaurants with orders than cards.
    latest = (
        Restaurant.objects.filter(business=business)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("status")],
                order_by=[F("updated_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=per_column)
        .select_related("assigned_to")
    )
    cards = {restaurant.pk: restaurant for restaurant in latest}
    missing = [pk for pk in values if pk not in cards]
    if missing:
        cards.update(
            (restaurant.pk, restaurant)
            for restaurant in Restaurant.objects.filter(
                business=business, pk__in=missing
            ).select_related("assigned_to")
        )
    for restaurant in cards.values():
        restaurant.recent_value = values.get(restaurant.pk, Decimal("0"))

    ranked = sorted(
        cards.values(),
        key=lambda r: (-r.recent_value, -r.updated_at.timestamp(), -r.pk),
    )
    for restaurant in ranked:
        column = columns[restaurant.status]
        if len(column.cards) < per_column:
            column.cards.append(restaurant)
    return list(columns.values())


def plan_state(plan, now=None):
    """Mark a call plan as due today (`is_today`) or overdue (`is_overdue`)
    in its restaurant's time zone."""
    if plan is None:
        return None
    from call import clock

    tz = plan.restaurant.tzinfo
    today = (now or clock.now()).astimezone(tz).date()
    day = plan.next_call_date.astimezone(tz).date()
    plan.is_overdue, plan.is_today = day < today, day == today
    return plan


# --- the calls agenda and account performance -------------------------------------------

AGENDA_PAGE = 25
PERFORMANCE_PAGE = 25
UNDER_SHOWN = 10  # under-performing accounts shown on the agenda and the dashboard


def agenda_plans(business, user, *, mine=True, now=None):
    """Call plans due today (in the user's time zone) or overdue, most
    overdue first; with `mine`, only the user's restaurants."""
    from account.zones import user_day_bounds
    from call.models import CallPlan

    _, end = user_day_bounds(user, business, now=now)
    plans = CallPlan.objects.filter(restaurant__business=business, next_call_date__lt=end)
    if mine:
        plans = plans.filter(restaurant__assigned_to=user)
    return plans.select_related("restaurant", "restaurant__assigned_to").order_by(
        "next_call_date", "id"
    )


def first_per_restaurant(queryset, restaurant_ids, order_by):
    """{restaurant id: the first row of `queryset` for it by `order_by`}, in
    one query (a window function)."""
    rows = (
        queryset.filter(restaurant_id__in=restaurant_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("restaurant_id")], order_by=order_by))
        .filter(rank=1)
    )
    return {row.restaurant_id: row for row in rows}


def annotate_agenda(plans, *, user, business, now=None):
    """Add to each plan on a page its main contact, last interaction, how
    many days overdue (in the user's time zone); two queries."""
    from account.zones import user_today, user_tzinfo

    ids = [plan.restaurant_id for plan in plans]
    main_contacts = first_per_restaurant(Contact.objects.all(), ids, [F("id").asc()])
    last = first_per_restaurant(
        Interaction.objects.select_related("order"), ids, [F("date").desc(), F("id").desc()]
    )
    tz, today = user_tzinfo(user, business), user_today(user, business, now)
    for plan in plans:
        plan.main_contact = main_contacts.get(plan.restaurant_id)
        plan.last_interaction = last.get(plan.restaurant_id)
        plan.days_overdue = (today - plan.next_call_date.astimezone(tz).date()).days
    return plans


def account_performance(business, user, *, now=None):
    """Every account with orders, judged (`track.performance`), "today" in
    the user's time zone."""
    from account.zones import user_today, user_tzinfo
    from track import performance

    return performance.performance(
        business,
        today=user_today(user, business, now),
        tz=user_tzinfo(user, business),
        now=now,
    )


def attach_restaurants(business, items):
    """Fetch the restaurants of `items` (one query) onto `item.restaurant`."""
    rows = Restaurant.objects.filter(
        business=business, pk__in=[item.restaurant_id for item in items]
    ).select_related("assigned_to")
    by_pk = {row.pk: row for row in rows}
    for item in items:
        item.restaurant = by_pk.get(item.restaurant_id)
    return [item for item in items if item.restaurant is not None]


def under_performing(business, user, *, mine=False, limit=UNDER_SHOWN, now=None):
    """The under-performing accounts (the user's when `mine`), longest lapsed
    first, the first `limit` with their restaurants, and how many in all."""
    from track.performance import UNDER

    items = [
        item
        for item in account_performance(business, user, now=now)
        if item.classification == UNDER and (not mine or item.assigned_to_id == user.pk)
    ]
    return attach_restaurants(business, items[:limit]), len(items)


# --- the home dashboard -----------------------------------------------------------

DOMAIN = "restaurants"  # account.kinds.RESTAURANTS: shown to restaurant account managers
DASHBOARD_UNDER = 5


def calls_due_counts(business, user, *, now=None):
    """How many calls are due today or overdue (the user's day): the user's
    and everyone's, in one query."""
    from account.zones import user_day_bounds
    from call.models import CallPlan

    _, end = user_day_bounds(user, business, now=now)
    return CallPlan.objects.filter(restaurant__business=business, next_call_date__lt=end).aggregate(
        mine=Count("id", filter=Q(restaurant__assigned_to=user)), everyone=Count("id")
    )


def pipeline_counts(business):
    """[(status, label, count)] for every status, in one query."""
    counts = dict(
        Restaurant.objects.filter(business=business)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return [(value, label, counts.get(value, 0)) for value, label in RestaurantStatus.choices]


def business_monthly_order_value(business, *, tz, today, months=CHART_MONTHS):
    """[(first day of the month, order value)] of every restaurant of the
    business for the last `months` months, in one grouped query."""
    starts = month_starts(today, months)
    since = dt.datetime.combine(starts[0], dt.time.min, tzinfo=tz)
    rows = (
        Order.objects.filter(interaction__restaurant__business=business, order_date__gte=since)
        .annotate(month=TruncMonth("order_date", tzinfo=tz))
        .order_by()
        .values("month")
        .annotate(value=Sum("total_price"))
    )
    values = {local_time.as_date(row["month"]).replace(day=1): row["value"] for row in rows}
    return [(start, values.get(start, Decimal("0"))) for start in starts]


def dashboard(business, user):
    """The restaurant accounts panel: calls due (the user's and everyone's),
    under-performing accounts with their reasons, the pipeline and the order
    value per month. Five queries whatever the number of rows (the
    performance figures come from the cache when fresh)."""
    from account.zones import user_today, user_tzinfo

    tz, today = user_tzinfo(user, business), user_today(user, business)
    pipeline = pipeline_counts(business)
    if not any(count for _, _, count in pipeline):
        return {
            "order": 35,
            "template": "crm/_dashboard.html",
            "context": {"empty": True},
        }
    under, under_count = under_performing(business, user, limit=DASHBOARD_UNDER)
    months = business_monthly_order_value(business, tz=tz, today=today)
    return {
        "order": 35,
        "template": "crm/_dashboard.html",
        "charts": True,
        "context": {
            "calls": calls_due_counts(business, user),
            "under": under,
            "under_count": under_count,
            "pipeline": pipeline,
            "months": months,
            "chart": {
                "labels": [start.strftime("%b %Y") for start, _ in months],
                "values": [float(value) for _, value in months],
                "currency": business.currency,
                "label": "Order value",
            },
            "currency": business.currency,
        },
    }


def checklist(business):
    """Getting started with the restaurant CRM: three queries."""
    from django.urls import reverse

    from call.models import CallPlan

    return [
        {
            "order": 60,
            "label": "Add your first restaurant",
            "done": Restaurant.objects.filter(business=business).exists(),
            "url": reverse("crm:create"),
        },
        {
            "order": 70,
            "label": "Plan regular calls to a restaurant",
            "done": CallPlan.objects.filter(restaurant__business=business).exists(),
            "url": reverse("crm:home"),
        },
        {
            "order": 80,
            "label": "Log a restaurant's first order",
            "done": Order.objects.filter(interaction__restaurant__business=business).exists(),
            "url": reverse("crm:calls_today"),
        },
    ]
