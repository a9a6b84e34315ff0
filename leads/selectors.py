"""Tenant-scoped reads and summaries for leads."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from core.phones import phone_search_q

from .models import Lead


def lead_list(*, business, q="", status="", source=""):
    leads = Lead.objects.filter(business=business)
    if status:
        leads = leads.filter(status=status)
    if source:
        leads = leads.filter(source=source)
    q = q.strip()
    if q:
        condition = Q(name__icontains=q) | Q(email__icontains=q) | Q(public_id__iexact=q)
        phone = phone_search_q("phone", q, business=business)
        if phone is not None:
            condition |= phone
        leads = leads.filter(condition)
    return leads.order_by("-created_at", "-pk")


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
