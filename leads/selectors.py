"""Tenant-scoped reads and summaries for leads."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

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


def dashboard(business, user):
    """The leads panel of the home page: three queries whatever the row count."""
    week_ago = timezone.now() - timedelta(days=7)
    totals = Lead.objects.filter(business=business).aggregate(
        new_this_week=Count("pk", filter=Q(created_at__gte=week_ago)),
        **{status: Count("pk", filter=Q(status=status)) for status in Lead.Status.values},
    )
    latest = list(Lead.objects.filter(business=business).order_by("-created_at", "-pk")[:5])
    return {
        "order": 30,
        "template": "leads/_dashboard.html",
        "context": {
            "new_this_week": totals.pop("new_this_week"),
            "counts": [(Lead.Status(s).label, s, totals[s]) for s in Lead.Status.values],
            "latest": latest,
        },
    }
