"""Tenant-scoped reads and summaries for leads."""

from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from account import kinds
from core.time import as_date, day_bounds, week_start, week_starts

from .models import Lead


def leads(*, business):
    """The business's leads, newest first (filtered by `leads.filters.LeadFilterSet`)."""
    return Lead.objects.filter(business=business).order_by("-created_at", "-pk")


def status_counts(*, business):
    """{status: count} for every status, in one query."""
    rows = Lead.objects.filter(business=business).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(Lead.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


DOMAIN = kinds.HOME_SERVICES  # the dashboard of home-services businesses
CHART_WEEKS = 8
CONVERSION_DAYS = 90


def dashboard(business, user):
    """The leads panel of the home page: new leads this week (from Monday,
    the business's days) by source, the lead-to-booking conversion rate of
    the last CONVERSION_DAYS days, and leads per source per week for the
    last CHART_WEEKS weeks. Three queries whatever the row count."""
    tz = business.tzinfo
    today = business.today()
    monday = week_start(today)
    week_from, _ = day_bounds(tz, monday)
    since_day = today - timedelta(days=CONVERSION_DAYS - 1)
    since, _ = day_bounds(tz, since_day)
    this_week = Q(created_at__gte=week_from)
    recent = Q(created_at__gte=since)
    sources = Lead.Source.values
    totals = Lead.objects.filter(business=business).aggregate(
        new_this_week=Count("pk", filter=this_week),
        recent=Count("pk", filter=recent),
        recent_converted=Count("pk", filter=recent & Q(status=Lead.Status.CONVERTED)),
        **{
            f"week_{source}": Count("pk", filter=this_week & Q(source=source)) for source in sources
        },
        **{status: Count("pk", filter=Q(status=status)) for status in Lead.Status.values},
    )
    latest = list(Lead.objects.filter(business=business).order_by("-created_at", "-pk")[:5])
    weeks = week_starts(today, CHART_WEEKS)
    first, _ = day_bounds(tz, weeks[0])
    per_week = {
        (as_date(row["week"]), row["source"]): row["n"]
        for row in Lead.objects.filter(business=business, created_at__gte=first)
        .annotate(week=TruncWeek("created_at", tzinfo=tz))
        .order_by()
        .values("week", "source")
        .annotate(n=Count("pk"))
    }
    recent_total = totals.pop("recent")
    converted = totals.pop("recent_converted")
    by_source = [
        (Lead.Source(source).label, source, totals.pop(f"week_{source}")) for source in sources
    ]
    return {
        "order": 30,
        "charts": True,
        "template": "leads/_dashboard.html",
        "context": {
            "new_this_week": totals.pop("new_this_week"),
            "week_from": monday,
            "by_source": by_source,
            "conversion_rate": round(converted * 100 / recent_total) if recent_total else None,
            "converted": converted,
            "recent_total": recent_total,
            "conversion_days": CONVERSION_DAYS,
            "conversion_from": since_day,
            "counts": [(Lead.Status(s).label, s, totals[s]) for s in Lead.Status.values],
            "latest": latest,
            "weeks": [
                (week, [per_week.get((week, source), 0) for source in sources]) for week in weeks
            ],
            "source_labels": [Lead.Source(source).label for source in sources],
            "chart": {
                "labels": [f"{week:%b} {week.day}" for week in weeks],
                "datasets": [
                    {
                        "label": Lead.Source(source).label,
                        "values": [per_week.get((week, source), 0) for week in weeks],
                    }
                    for source in sources
                ],
                "stacked": True,
            },
        },
    }
