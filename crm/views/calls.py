"""The call plan card of a restaurant's page: create a plan, record a call,
change the frequency, stop the plan (`call.services`, as the API does).
With htmx each answers with the card; without, it goes back to the page."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from account.tenancy import business_required
from call import services
from call.models import CallPlan
from config.shortcuts import confirm_delete

from .. import selectors
from ..forms import CallPlanForm, FrequencyForm, RecordCallForm, add_service_errors
from . import back_to, is_htmx
from .restaurants import detail_context


def _plan(restaurant):
    plan = getattr(restaurant, "call_plan", None)
    if plan is None:
        raise Http404("This restaurant has no call plan.")
    return plan


def _next_call_text(plan, restaurant):
    moment = timezone.localtime(plan.next_call_date, restaurant.tzinfo)
    return f"{moment:%a %b} {moment.day}"


def _answer(request, restaurant, message, *, status=200, **forms):
    """The card (htmx) or the restaurant's page: after a change, a redirect
    with `message`; with errors (`status` 400), the page with the forms."""
    if is_htmx(request):
        restaurant = selectors.restaurant_for_page(request.business, restaurant.pk)
        plan = selectors.plan_state(getattr(restaurant, "call_plan", None))
        context = {
            "restaurant": restaurant,
            "plan": plan,
            "plan_form": forms.get("plan_form") or CallPlanForm(auto_id="plan-%s"),
            "frequency_form": forms.get("frequency_form")
            or FrequencyForm(
                initial={"frequency": plan.frequency if plan else None}, auto_id="frequency-%s"
            ),
        }
        response = render(request, "crm/_call_plan.html", context, status=status)
        if message:
            response["HX-Trigger"] = json.dumps({"crm:announce": message})
        return response
    if status == 200:
        messages.success(request, message)
        return back_to(restaurant, "call-plan")
    context = detail_context(request, restaurant, **forms)
    return render(request, "crm/restaurant_detail.html", context, status=status)


@business_required
@require_POST
def plan_create(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    form = CallPlanForm(request.POST, auto_id="plan-%s")
    if form.is_valid():
        try:
            plan = services.call_plan_create(restaurant=restaurant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            message = f"Call plan created: next call {_next_call_text(plan, restaurant)}."
            return _answer(request, restaurant, message)
    return _answer(request, restaurant, "", status=400, plan_form=form)


@business_required
@require_POST
def plan_record_call(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    plan = _plan(restaurant)
    form = RecordCallForm(request.POST)
    if not form.is_valid():
        return _answer(request, restaurant, "", status=400)
    plan = services.call_plan_record_call(plan=plan, last_called=form.moment())
    message = f"Call recorded. Next call: {_next_call_text(plan, restaurant)}."
    return _answer(request, restaurant, message)


@business_required
@require_POST
def plan_frequency(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    plan = _plan(restaurant)
    form = FrequencyForm(request.POST, auto_id="frequency-%s")
    if not form.is_valid():
        return _answer(request, restaurant, "", status=400, frequency_form=form)
    plan = services.call_plan_set_frequency(plan=plan, frequency=form.cleaned_data["frequency"])
    message = (
        f"Calls are now {plan.get_frequency_display().lower()}. "
        f"Next call: {_next_call_text(plan, restaurant)}."
    )
    return _answer(request, restaurant, message)


@business_required
@require_http_methods(["GET", "POST", "DELETE"])
def plan_delete(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    plan = _plan(restaurant)
    if request.method == "GET":
        return render(request, "crm/plan_delete.html", {"restaurant": restaurant, "plan": plan})
    if is_htmx(request):
        CallPlan.objects.filter(pk=plan.pk).delete()
        restaurant = selectors.restaurant_for_page(request.business, pk)
        return _answer(request, restaurant, "Call plan stopped.")
    url = reverse("crm:detail", args=[restaurant.pk]) + "#call-plan"
    return confirm_delete(
        request,
        obj=plan,
        perform=plan.delete,
        success_url=url,
        cancel_url=url,
        message="Call plan stopped.",
    )
