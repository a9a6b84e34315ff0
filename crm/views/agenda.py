"""The manager's calls agenda (`/restaurants/calls/today/`) and the account
performance page (`/restaurants/performance/`).

"Record call" logs a CALL interaction (with its order, when one was placed)
through `track.services.interaction_create`, as the API does; logging a call
moves the restaurant's call plan forward (`call.services.call_plan_note_call`)
in the same transaction.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from account.tenancy import business_required
from account.zones import user_tzinfo
from call import clock
from call.models import CallPlan
from track import performance as rule
from track import services

from .. import selectors
from ..forms import AgendaCallForm, add_service_errors
from . import changes_orders_or_statuses

SCOPES = {"mine": "My restaurants", "all": "Everyone's"}


def _scope(request):
    scope = request.GET.get("who") or request.POST.get("who") or "mine"
    return scope if scope in SCOPES else "mine"


def _agenda_context(request, *, forms=None):
    business, user = request.business, request.user
    scope = _scope(request)
    mine = scope == "mine"
    paginator = Paginator(selectors.agenda_plans(business, user, mine=mine), selectors.AGENDA_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    plans = selectors.annotate_agenda(list(page.object_list), user=user, business=business)
    forms = forms or {}
    for plan in plans:
        plan.form = forms.get(plan.pk) or AgendaCallForm(auto_id=f"call-{plan.pk}-%s")
    under, under_count = selectors.under_performing(business, user, mine=mine)
    return {
        "plans": plans,
        "page_obj": page,
        "scope": scope,
        "scopes": SCOPES,
        "under": under,
        "under_count": under_count,
        "tz": user_tzinfo(user, business),
    }


@business_required
@require_GET
def calls_today(request):
    return render(request, "crm/calls_today.html", _agenda_context(request))


@business_required
@require_POST
@changes_orders_or_statuses
def record_call(request, plan_pk):
    """Log a call (notes, order) on a plan of the agenda and move the plan on."""
    from account.tenancy import get_for_business

    plan = get_for_business(
        CallPlan.objects.select_related("restaurant"),
        request.business,
        field="restaurant__business",
        pk=plan_pk,
    )
    restaurant = plan.restaurant
    form = AgendaCallForm(request.POST, auto_id=f"call-{plan.pk}-%s")
    if form.is_valid():
        contact = selectors.contacts(restaurant)[:1]
        fields, order = form.service_fields(
            moment=clock.now(), contact=contact[0] if contact else None
        )
        try:
            services.interaction_create(
                user=request.user, restaurant=restaurant, order=order, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            plan.refresh_from_db()
            moment = timezone.localtime(
                plan.next_call_date, user_tzinfo(request.user, request.business)
            )
            text = "with its order" if fields["order_placed"] else "logged"
            messages.success(
                request,
                f"Call to {restaurant.name} {text}. Next call: {moment:%a %b} {moment.day}.",
            )
            url = reverse("crm:calls_today")
            if _scope(request) != "mine":
                url += f"?who={_scope(request)}"
            return redirect(url)
    context = _agenda_context(request, forms={plan.pk: form})
    context["failed_plan"] = plan.pk
    return render(request, "crm/calls_today.html", context, status=400)


@business_required
@require_GET
def performance(request):
    business, user = request.business, request.user
    items = selectors.account_performance(business, user)
    counts = rule.counts(items)
    judged = [item for item in items if item.classification != rule.NEW]
    new = [item for item in items if item.classification == rule.NEW]
    show = request.GET.get("show", "")
    if show in (rule.UNDER, rule.WELL, rule.STEADY):
        judged = [item for item in judged if item.classification == show]
    else:
        show = ""
    page = Paginator(judged, selectors.PERFORMANCE_PAGE).get_page(request.GET.get("page"))
    new_page = Paginator(new, selectors.PERFORMANCE_PAGE).get_page(request.GET.get("new_page"))
    rows = selectors.attach_restaurants(business, [*page.object_list, *new_page.object_list])
    shown = {id(item) for item in rows}
    context = {
        "page_obj": page,
        "rows": [item for item in page.object_list if id(item) in shown],
        "new_page": new_page,
        "new_rows": [item for item in new_page.object_list if id(item) in shown],
        "counts": counts,
        "show": show,
        "filters": [
            ("", "All judged", counts[rule.UNDER] + counts[rule.WELL] + counts[rule.STEADY]),
            (rule.UNDER, "Under-performing", counts[rule.UNDER]),
            (rule.WELL, "Well-performing", counts[rule.WELL]),
            (rule.STEADY, "Steady", counts[rule.STEADY]),
        ],
        "thresholds": rule.thresholds(),
        "short_days": rule.SHORT_DAYS,
        "trend_days": rule.TREND_DAYS,
        "currency": business.currency,
    }
    return render(request, "crm/performance.html", context)
