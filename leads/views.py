from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_http_methods

from account.tenancy import business_required, get_for_business
from config.shortcuts import confirm_delete, paginate
from core.counts import cached as cached_counts
from core.spreadsheets import csv_response, export_filename, refused_export

from . import exports, selectors, services
from .filters import LeadFilterSet
from .forms import LeadForm, LeadQuickUpdateForm, LeadUpdateForm
from .models import Lead


@business_required
@require_GET
def lead_list(request):
    filters = LeadFilterSet(
        request.GET, selectors.leads(business=request.business), business=request.business
    )
    counts = cached_counts(
        "leads", request.business, lambda: selectors.status_counts(business=request.business)
    )
    context = {
        "filters": filters,
        "page_obj": paginate(request, filters.qs),
        "status_counts": [(s, label, counts[s]) for s, label in Lead.Status.choices],
        "total": sum(counts.values()),
        "current_status": filters.cleaned().get("status", ""),
    }
    return render(request, "leads/lead_list.html", context, status=filters.status_code)


@business_required
@require_GET
def lead_export(request):
    """The leads the list shows, with the same filters, as CSV."""
    business = request.business
    filters = LeadFilterSet(request.GET, selectors.leads(business=business), business=business)
    refused = refused_export(filters)
    if refused:
        return refused
    rows = exports.lead_rows(filters.qs, business)
    return csv_response(export_filename("leads", business), exports.LEAD_COLUMNS, rows)


@business_required
@require_http_methods(["GET", "POST"])
def lead_create(request):
    form = LeadForm(request.POST or None, business=request.business)
    if request.method == "POST":
        if form.is_valid():
            lead = services.lead_create(
                business=request.business, user=request.user, **form.cleaned_data
            )
            messages.success(request, f"Lead “{lead.name}” added.")
            return redirect("leads:detail", lead_id=lead.public_id)
        return render(request, "leads/lead_form.html", {"form": form}, status=400)
    return render(request, "leads/lead_form.html", {"form": form})


def _booking_create_url(lead):
    try:
        return reverse("booking:create") + "?lead=" + lead.public_id
    except NoReverseMatch:
        return ""


def _detail_context(request, lead):
    bookings = []
    if hasattr(lead, "bookings"):
        bookings = list(lead.bookings.all())
    return {
        "lead": lead,
        "activities": lead.activities.select_related("user")[:100],
        "thread": lead.messages.all() if lead.source == Lead.Source.THUMBTACK else [],
        "bookings": bookings,
        "booking_create_url": _booking_create_url(lead) if lead.status != "converted" else "",
        "retell": lead.retell,
        "thumbtack": lead.thumbtack,
        "location_text": _location_text(lead.thumbtack.get("location") or {}),
        "proposed_times": _proposed_times(lead.thumbtack.get("proposed_times") or []),
        "statuses": Lead.Status.choices,
    }


def _location_text(location):
    if not isinstance(location, dict):
        return str(location)
    street = " ".join(filter(None, [location.get("address1"), location.get("address2")]))
    city = " ".join(filter(None, [location.get("state"), location.get("zipCode")]))
    return ", ".join(filter(None, [street, location.get("city"), city]))


def _proposed_times(slots):
    times = []
    for slot in slots:
        if not isinstance(slot, dict):
            continue
        start = parse_datetime(str(slot.get("start") or ""))
        end = parse_datetime(str(slot.get("end") or ""))
        if start:
            times.append({"start": start, "end": end})
    return times


@business_required
def lead_detail(request, lead_id):
    lead = get_for_business(
        Lead.objects.select_related("customer"), request.business, public_id=lead_id
    )
    return render(request, "leads/lead_detail.html", _detail_context(request, lead))


@business_required
@require_http_methods(["GET", "POST"])
def lead_update(request, lead_id):
    lead = get_for_business(Lead, request.business, public_id=lead_id)
    if request.method == "GET":
        form = LeadUpdateForm(instance=lead, business=request.business)
        return render(request, "leads/lead_edit.html", {"form": form, "lead": lead})
    if request.POST.get("quick"):
        quick = LeadQuickUpdateForm(request.POST)
        if not quick.is_valid():
            messages.error(request, "Choose a valid status; notes are at most 500 characters.")
            context = _detail_context(request, lead)
            return render(request, "leads/lead_detail.html", context, status=400)
        services.lead_update(
            lead=lead,
            user=request.user,
            note=quick.cleaned_data["note"],
            status=quick.cleaned_data["status"],
        )
        messages.success(request, "Lead updated.")
        return redirect("leads:detail", lead_id=lead.public_id)
    original = Lead.objects.get(pk=lead.pk)
    form = LeadUpdateForm(request.POST, instance=lead, business=request.business)
    if not form.is_valid():
        return render(request, "leads/lead_edit.html", {"form": form, "lead": lead}, status=400)
    data = dict(form.cleaned_data)
    note = data.pop("note", "")
    services.lead_update(lead=original, user=request.user, note=note, **data)
    messages.success(request, f"Lead “{original.name}” saved.")
    return redirect("leads:detail", lead_id=original.public_id)


@business_required
@require_http_methods(["GET", "POST", "DELETE"])
def lead_delete(request, lead_id):
    lead = get_for_business(Lead, request.business, public_id=lead_id)

    def perform():
        try:
            services.lead_delete(lead=lead)
        except ProtectedError:
            return "This lead has bookings and cannot be deleted; mark it lost instead."
        return None

    return confirm_delete(
        request,
        obj=lead,
        perform=perform,
        success_url=reverse("leads:list"),
        cancel_url=reverse("leads:detail", args=[lead.public_id]),
        message=f"Lead “{lead.name}” deleted.",
        title="Delete lead",
        consequence="Its timeline and messages are deleted too. Bookings made from it are kept.",
    )
