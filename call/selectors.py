"""Reads for call plans, scoped to one business."""

import zoneinfo

from django.db.models import Q

from account import kinds
from core import counts
from core.time import day_bounds

from . import clock
from .models import CallPlan


def call_plan_list(*, business):
    return CallPlan.objects.filter(restaurant__business=business).order_by("id")


def restaurant_zones(business):
    """The time zones of the business's restaurants (a superset of those of
    its call plans, which is all `call_plans_due` needs), cached until a
    restaurant changes (core.counts; forgotten in restaurants' `ready()`)."""
    from restaurants.models import Restaurant

    return counts.cached(
        "restaurant-zones",
        business,
        lambda: set(
            Restaurant.objects.filter(business=business)
            .order_by()
            .values_list("timezone", flat=True)
            .distinct()
        ),
    )


def call_plans_due(*, business, include_overdue=False, now=None):
    """Plans whose next call falls on today in each restaurant's own time
    zone (and, with `include_overdue`, those due before today). Two queries:
    the restaurants' time zones (cached), then the plans."""
    now = now or clock.now()
    plans = CallPlan.objects.filter(restaurant__business=business)
    zones = restaurant_zones(business)
    condition = Q()
    for name in zones:
        tz = zoneinfo.ZoneInfo(name)
        start, end = day_bounds(tz, now.astimezone(tz).date())
        if include_overdue:
            due = Q(next_call_date__lt=end)
        else:
            due = Q(next_call_date__gte=start, next_call_date__lt=end)
        condition |= Q(restaurant__timezone=name) & due
    if not zones:
        return plans.none()
    return plans.filter(condition).order_by("next_call_date", "id")


def calls_due_for(*, business, user, limit=10):
    """The user's calls due today or overdue (their restaurants first by
    time), and how many there are in all."""
    queryset = (
        call_plans_due(business=business, include_overdue=True)
        .filter(restaurant__assigned_to=user)
        .select_related("restaurant")
    )
    plans = list(queryset[: limit + 1])
    return plans[:limit], len(plans) > limit


def mark_overdue(plans, now=None):
    """Flag each plan whose call was due before today in its restaurant's zone."""
    now = now or clock.now()
    for plan in plans:
        tz = plan.restaurant.tzinfo
        plan.is_overdue = plan.next_call_date.astimezone(tz).date() < now.astimezone(tz).date()
    return plans


DOMAIN = kinds.RESTAURANTS  # the dashboard of restaurant account managers


def dashboard(business, user):
    """Home panel "Calls due today" for key account managers. Shown only
    when the business has call plans. Two or three queries."""
    plans, more = calls_due_for(business=business, user=user, limit=5)
    if not plans and not CallPlan.objects.filter(restaurant__business=business).exists():
        return None
    mark_overdue(plans)
    return {
        "order": 40,
        "template": "call/_dashboard.html",
        "context": {"plans": plans, "more": more},
    }
