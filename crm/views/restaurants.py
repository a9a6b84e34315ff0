"""The restaurants list and each restaurant's page, form and deletion."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from account.tenancy import business_required, owner_required
from account.zones import user_today, user_tzinfo
from call import clock
from call.selectors import calls_due_for, mark_overdue
from config.shortcuts import confirm_delete, paginate
from restaurants import services
from restaurants.models import RestaurantStatus

from .. import selectors
from ..filters import RestaurantFilterSet
from ..forms import (
    CallPlanForm,
    ContactForm,
    FrequencyForm,
    InteractionForm,
    RestaurantForm,
    StatusForm,
    add_service_errors,
)
from . import back_to, changes_orders_or_statuses, is_htmx


@business_required
@require_GET
def restaurant_list(request):
    business = request.business
    if "mine" in request.GET:
        # The list's former "Mine only" box: now the account manager filter.
        params = request.GET.copy()
        if params.pop("mine", None) == ["1"]:
            params["assigned_to"] = "me"
        return redirect(f"{request.path}?{params.urlencode()}")
    people = selectors.people(business)
    filters = RestaurantFilterSet(
        request.GET,
        selectors.restaurants(business),
        business=business,
        request=request,
        people=people,
    )
    page_obj = paginate(request, filters.qs)
    due, more_due = calls_due_for(business=business, user=request.user)
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "cities": selectors.cities(business),
        "due": mark_overdue(due),
        "more_due": more_due,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "crm/restaurant_list.html", context, status=filters.status_code)


@business_required
@require_http_methods(["GET", "POST"])
def restaurant_create(request):
    form = RestaurantForm(request.POST or None, business=request.business)
    if request.method == "POST":
        if form.is_valid():
            restaurant = services.restaurant_create(
                business=request.business, user=request.user, **form.cleaned_data
            )
            messages.success(request, f"Restaurant “{restaurant.name}” added.")
            return redirect("crm:detail", pk=restaurant.pk)
        return render(request, "crm/restaurant_form.html", {"form": form}, status=400)
    form.initial.setdefault("assigned_to", request.user.pk)
    return render(request, "crm/restaurant_form.html", {"form": form})


@business_required
@require_http_methods(["GET", "POST"])
@changes_orders_or_statuses
def restaurant_edit(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    original = selectors.restaurant_for_page(request.business, pk) if request.POST else None
    form = RestaurantForm(request.POST or None, instance=restaurant, business=request.business)
    context = {"form": form, "restaurant": original or restaurant}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "crm/restaurant_form.html", context, status=400)
        data = dict(form.cleaned_data)
        note = data.pop("note", "")
        services.restaurant_update(restaurant=original, user=request.user, note=note, **data)
        messages.success(request, f"Restaurant “{data['name']}” saved.")
        return redirect("crm:detail", pk=pk)
    return render(request, "crm/restaurant_form.html", context)


def _plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


@owner_required
@require_http_methods(["GET", "POST", "DELETE"])
@changes_orders_or_statuses
def restaurant_delete(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    summary = selectors.deletion_summary(restaurant)
    parts = [
        _plural(summary["contacts"], "contact"),
        _plural(summary["interactions"], "interaction"),
        _plural(summary["orders"], "order"),
        _plural(summary["status_changes"], "status change"),
    ]
    if summary["call_plan"]:
        parts.append("its call plan")
    consequence = (
        f"Deleted with it: {', '.join(parts[:-1])} and {parts[-1]}. "
        "To keep its history, move it to Lost instead."
    )
    if request.method == "GET":
        context = {"restaurant": restaurant, "summary": summary, "consequence": consequence}
        return render(request, "crm/restaurant_delete.html", context)
    return confirm_delete(
        request,
        obj=restaurant,
        perform=lambda: services.restaurant_delete(restaurant=restaurant),
        success_url=reverse("crm:home"),
        cancel_url=reverse("crm:detail", args=[restaurant.pk]),
        message=f"Restaurant “{restaurant.name}” deleted.",
    )


def detail_context(request, restaurant, **forms):
    """Everything the restaurant page shows; `forms` replaces a blank form
    (a bound one with its errors)."""
    business = request.business
    history, more_history = selectors.status_history(restaurant)
    contacts = selectors.contacts(restaurant)
    timeline, next_cursor = selectors.timeline(restaurant)
    tz = user_tzinfo(request.user, business)
    today = user_today(request.user, business, clock.now())
    months = selectors.monthly_order_value(restaurant, tz=tz, today=today)
    plan = selectors.plan_state(getattr(restaurant, "call_plan", None))
    context = {
        "restaurant": restaurant,
        "plan": plan,
        "history": history,
        "more_history": more_history,
        "contacts": contacts,
        "timeline": timeline,
        "next_cursor": next_cursor,
        "summary": selectors.order_summary(restaurant),
        "months": months,
        "chart": {
            "labels": [start.strftime("%b %Y") for start, _ in months],
            "values": [float(value) for _, value in months],
            "currency": business.currency,
        },
        "status_form": StatusForm(initial={"status": restaurant.status}),
        "contact_form": ContactForm(business=business, auto_id="new-contact-%s"),
        "interaction_form": InteractionForm(contacts=contacts, auto_id="log-%s"),
        "plan_form": CallPlanForm(auto_id="plan-%s"),
        "frequency_form": FrequencyForm(
            initial={"frequency": plan.frequency if plan else None}, auto_id="frequency-%s"
        ),
    }
    context.update(forms)
    return context


@business_required
@require_GET
def restaurant_detail(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    return render(request, "crm/restaurant_detail.html", detail_context(request, restaurant))


@business_required
@require_POST
@changes_orders_or_statuses
def restaurant_status(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.restaurant_change_status(
                restaurant=restaurant, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = RestaurantStatus(form.cleaned_data["status"]).label
            messages.success(request, f"{restaurant.name} moved to {label}.")
            return back_to(restaurant, "status")
    context = detail_context(request, restaurant, status_form=form)
    return render(request, "crm/restaurant_detail.html", context, status=400)


@business_required
@require_GET
def restaurant_timeline(request, pk):
    """Older interactions of a restaurant: the rows after `?before=` (htmx:
    the rows and the next "Show more"; otherwise a page of their own)."""
    restaurant = selectors.restaurant_for_page(request.business, pk)
    before = selectors.parse_cursor(request.GET.get("before"))
    if request.GET.get("before") and before is None:
        raise Http404("No such page of the timeline.")
    timeline, next_cursor = selectors.timeline(restaurant, before=before)
    context = {"restaurant": restaurant, "timeline": timeline, "next_cursor": next_cursor}
    template = "crm/_timeline_rows.html" if is_htmx(request) else "crm/timeline.html"
    return render(request, template, context)
