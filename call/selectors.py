"""Reads for call plans, scoped to one business."""

import datetime as dt
import zoneinfo

from django.db.models import Q

from . import clock
from .models import CallPlan
from .periods import start_of_day


def call_plan_list(*, business):
    return CallPlan.objects.filter(lead__business=business).order_by("id")


def call_plans_due(*, business, include_overdue=False, now=None):
    """Plans whose next call falls on today in each restaurant's own time
    zone (and, with `include_overdue`, those due before today). Two queries:
    the restaurants' time zones, then the plans."""
    now = now or clock.now()
    plans = CallPlan.objects.filter(lead__business=business)
    zones = set(plans.order_by().values_list("lead__timezone", flat=True).distinct())
    condition = Q()
    for name in zones:
        tz = zoneinfo.ZoneInfo(name)
        today = now.astimezone(tz).date()
        end = start_of_day(today + dt.timedelta(days=1), tz)
        if include_overdue:
            due = Q(next_call_date__lt=end)
        else:
            due = Q(next_call_date__gte=start_of_day(today, tz), next_call_date__lt=end)
        condition |= Q(lead__timezone=name) & due
    if not zones:
        return plans.none()
    return plans.filter(condition).order_by("next_call_date", "id")
