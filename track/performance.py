"""Account performance: how each restaurant orders, and whether it needs
attention. The one home of these figures and of the classification rule.

For every restaurant with orders, one grouped query in the database
(conditional aggregation) gives its orders and order value in the last 30
and 90 days and in the period before each, its first and last order and how
many orders it placed. From those, `classify` judges the account:

- fewer than NEW_ACCOUNT_ORDERS orders: a new account, listed apart and not
  judged;
- under-performing: no order for more than LAPSE_FACTOR × its usual interval
  (the average number of days between its orders), or order value in the last
  TREND_DAYS days down more than DECLINE_PERCENT % on the TREND_DAYS before;
- well-performing: ordering at or above its rhythm (its last order no longer
  ago than its usual interval) and order value growing over the same periods
  (up more than GROWTH_PERCENT %, or orders where there were none);
- otherwise steady.

Each judgement comes with its reason in words. The figures of a business are
kept in the cache for CACHE_SECONDS (writes that log orders forget them), as
summing every order of a large business is the costly read.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, DecimalField, Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import format_money

from .models import Order

# The thresholds (shown on the performance page).
NEW_ACCOUNT_ORDERS = 3
LAPSE_FACTOR = Decimal("1.5")
DECLINE_PERCENT = 30
GROWTH_PERCENT = 10
TREND_DAYS = 90
SHORT_DAYS = 30
CACHE_SECONDS = 60

UNDER = "under"
WELL = "well"
STEADY = "steady"
NEW = "new"
CLASS_LABELS = {
    UNDER: "Under-performing",
    WELL: "Well-performing",
    STEADY: "Steady",
    NEW: "New account",
}
ZERO = Decimal("0.00")
MONEY_OUT = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class Performance:
    restaurant_id: int
    assigned_to_id: int | None
    orders: int
    first_order: dt.datetime
    last_order: dt.datetime
    orders_30: int
    value_30: Decimal
    orders_prev_30: int
    value_prev_30: Decimal
    orders_90: int
    value_90: Decimal
    orders_prev_90: int
    value_prev_90: Decimal
    days_since_last: int = 0
    interval_days: float | None = None
    classification: str = NEW
    reason: str = ""
    restaurant: object = None

    @property
    def label(self):
        return CLASS_LABELS[self.classification]

    @property
    def trend_30(self):
        return _change(self.value_30, self.value_prev_30)

    @property
    def trend_90(self):
        return _change(self.value_90, self.value_prev_90)

    @property
    def interval_rounded(self):
        return None if self.interval_days is None else round(self.interval_days)


def _change(now_value, before):
    """Percent change of value on the period before (None when there was none)."""
    if not before:
        return None
    return int(((now_value - before) * 100 / before).to_integral_value())


def _money_sum(condition):
    return Coalesce(
        Sum("total_price", filter=condition, output_field=MONEY_OUT),
        Value(ZERO),
        output_field=MONEY_OUT,
    )


def figures(business, *, now=None):
    """[Performance] of every restaurant of `business` with orders, from one
    grouped query (unclassified)."""
    now = now or timezone.now()
    short, trend = dt.timedelta(days=SHORT_DAYS), dt.timedelta(days=TREND_DAYS)
    last_30 = Q(order_date__gte=now - short, order_date__lte=now)
    prev_30 = Q(order_date__gte=now - 2 * short, order_date__lt=now - short)
    last_90 = Q(order_date__gte=now - trend, order_date__lte=now)
    prev_90 = Q(order_date__gte=now - 2 * trend, order_date__lt=now - trend)
    rows = (
        Order.objects.filter(interaction__restaurant__business=business)
        .order_by()
        .values("interaction__restaurant_id", "interaction__restaurant__assigned_to_id")
        .annotate(
            orders=Count("id"),
            first_order=Min("order_date"),
            last_order=Max("order_date"),
            orders_30=Count("id", filter=last_30),
            value_30=_money_sum(last_30),
            orders_prev_30=Count("id", filter=prev_30),
            value_prev_30=_money_sum(prev_30),
            orders_90=Count("id", filter=last_90),
            value_90=_money_sum(last_90),
            orders_prev_90=Count("id", filter=prev_90),
            value_prev_90=_money_sum(prev_90),
        )
    )
    result = []
    for row in rows:
        restaurant_id = row.pop("interaction__restaurant_id")
        assigned_to_id = row.pop("interaction__restaurant__assigned_to_id")
        result.append(Performance(restaurant_id, assigned_to_id, **row))
    return result


def _days(value):
    return f"{value} day" if value == 1 else f"{value} days"


def _ago(value):
    if value == 0:
        return "today"
    if value == 1:
        return "yesterday"
    return f"{value} days ago"


def classify(item, *, today, tz, currency="USD"):
    """Judge one account (sets days_since_last, interval_days, classification
    and reason) by the rule in this module's docstring; returns it."""
    last_day = item.last_order.astimezone(tz).date()
    first_day = item.first_order.astimezone(tz).date()
    item.days_since_last = max(0, (today - last_day).days)
    if item.orders >= 2:
        item.interval_days = max(1.0, (last_day - first_day).days / (item.orders - 1))
    if item.orders < NEW_ACCOUNT_ORDERS:
        item.classification = NEW
        item.reason = (
            f"{item.orders} order{'s' if item.orders != 1 else ''} so far, the last "
            f"{_ago(item.days_since_last)}; judged from {NEW_ACCOUNT_ORDERS} orders"
        )
        return item
    interval = item.interval_days
    usual = max(1, round(interval))
    lapsed = item.days_since_last > float(LAPSE_FACTOR) * interval
    change = item.trend_90
    shrinking = change is not None and change < -DECLINE_PERCENT
    if lapsed or shrinking:
        reasons = []
        if lapsed:
            reasons.append(f"no order for {_days(item.days_since_last)}, usually every {usual}")
        if shrinking:
            reasons.append(
                f"order value down {-change} % on the previous {TREND_DAYS} days "
                f"({format_money(item.value_prev_90, currency)} → "
                f"{format_money(item.value_90, currency)})"
            )
        item.classification = UNDER
        item.reason = "; ".join(reasons)
    elif item.days_since_last <= interval and _growing(item):
        item.classification = WELL
        growth = f"up {change} %" if change is not None else "new this period"
        item.reason = (
            f"ordering every {usual} days, last order {_ago(item.days_since_last)}; "
            f"order value {growth} on the previous {TREND_DAYS} days"
        )
    else:
        item.classification = STEADY
        item.reason = f"ordering about every {usual} days, last order {_ago(item.days_since_last)}"
    return item


def _growing(item):
    change = item.trend_90
    if change is None:
        return item.value_90 > 0
    return change > GROWTH_PERCENT


ORDER = {UNDER: 0, WELL: 1, STEADY: 2, NEW: 3}


def _key(business, today, tz):
    return f"track:performance:{business.pk}:{today.isoformat()}:{tz}"


def performance(business, *, today, tz, now=None, use_cache=True):
    """Every account with orders, classified: under-performing first (longest
    lapsed first), then well-performing, steady and new accounts. Cached for
    CACHE_SECONDS per business and day (`forget`)."""
    key = _key(business, today, tz)
    items = cache.get(key) if use_cache and now is None else None
    if items is None:
        items = [
            classify(item, today=today, tz=tz, currency=business.currency)
            for item in figures(business, now=now)
        ]
        items.sort(
            key=lambda i: (
                ORDER[i.classification],
                -i.days_since_last,
                -i.value_90,
                i.restaurant_id,
            )
        )
        if use_cache and now is None:
            cache.set(key, items, CACHE_SECONDS)
            keys = cache.get(_index_key(business.pk)) or []
            cache.set(_index_key(business.pk), [*keys[-20:], key], CACHE_SECONDS)
    return items


def _index_key(business_id):
    return f"track:performance-keys:{business_id}"


def forget(business_id):
    """Drop the cached figures of a business (after its orders change)."""
    keys = cache.get(_index_key(business_id)) or []
    cache.delete_many([*keys, _index_key(business_id)])


def counts(items):
    result = dict.fromkeys(ORDER, 0)
    for item in items:
        result[item.classification] += 1
    return result


def thresholds():
    """The rule's thresholds, in words (for the page and the API docs)."""
    return [
        f"Accounts with fewer than {NEW_ACCOUNT_ORDERS} orders are new: listed apart, not judged.",
        f"Under-performing: no order for more than {LAPSE_FACTOR}× the account's usual "
        f"interval between orders, or order value in the last {TREND_DAYS} days down more "
        f"than {DECLINE_PERCENT} % on the {TREND_DAYS} days before.",
        f"Well-performing: last order no longer ago than the usual interval, and order "
        f"value in the last {TREND_DAYS} days up more than {GROWTH_PERCENT} % on the "
        f"{TREND_DAYS} days before.",
        "Steady: every other account with orders.",
    ]


def percent_text(value):
    """ "+25 %", "−40 %" or "—"."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{value} %"
    if value < 0:
        return f"−{-value} %"
    return "0 %"
