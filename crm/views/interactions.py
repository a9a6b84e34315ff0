"""Logging, correcting and deleting a restaurant's interactions (with their
orders), through `track.services` as the API does: a logged CALL moves the
restaurant's call plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from account.tenancy import business_required, get_for_business
from call.models import CallPlan
from config.shortcuts import confirm_delete
from track import services
from track.models import Interaction, InteractionType

from .. import selectors
from ..forms import InteractionForm, add_service_errors
from . import back_to, changes_orders_or_statuses
from .restaurants import detail_context


def _interaction(restaurant, interaction_pk):
    return get_for_business(
        Interaction.objects.select_related("order", "contact"),
        restaurant.business,
        field="restaurant__business",
        restaurant=restaurant,
        pk=interaction_pk,
    )


@business_required
@require_http_methods(["GET", "POST"])
@changes_orders_or_statuses
def interaction_create(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    contacts = selectors.contacts(restaurant)
    form = InteractionForm(request.POST or None, contacts=contacts, auto_id="log-%s")
    if request.method == "POST" and form.is_valid():
        fields, order = form.service_fields()
        try:
            interaction = services.interaction_create(
                user=request.user, restaurant=restaurant, order=order, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _message(interaction, request.business))
            return back_to(restaurant, "timeline")
    if request.method == "GET":
        context = {"restaurant": restaurant, "form": form, "title": "Log an interaction"}
        return render(request, "crm/interaction_form.html", context)
    context = detail_context(request, restaurant, interaction_form=form)
    return render(request, "crm/restaurant_detail.html", context, status=400)


def _message(interaction, business):
    kind = interaction.get_interaction_type_display()
    text = f"{kind} logged" + (" with its order." if interaction.order_placed else ".")
    if interaction.interaction_type == InteractionType.CALL:
        plan = CallPlan.objects.filter(restaurant_id=interaction.restaurant_id).first()
        if plan is not None:
            moment = timezone.localtime(plan.next_call_date, interaction.restaurant.tzinfo)
            text += f" Next call: {moment:%a %b} {moment.day}."
    return text


@business_required
@require_http_methods(["GET", "POST"])
@changes_orders_or_statuses
def interaction_edit(request, pk, interaction_pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    interaction = _interaction(restaurant, interaction_pk)
    contacts = selectors.contacts(restaurant)
    form = InteractionForm(
        request.POST or None,
        contacts=contacts,
        initial=InteractionForm.initial_for(interaction),
        auto_id="log-%s",
    )
    if request.method == "POST" and form.is_valid():
        fields, order = form.service_fields()
        try:
            services.interaction_update(interaction=interaction, order=order, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{interaction.get_interaction_type_display()} saved.")
            return back_to(restaurant, "timeline")
    context = {
        "restaurant": restaurant,
        "interaction": interaction,
        "form": form,
        "title": "Edit interaction",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "crm/interaction_form.html", context, status=status)


@business_required
@require_http_methods(["GET", "POST", "DELETE"])
@changes_orders_or_statuses
def interaction_delete(request, pk, interaction_pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    interaction = _interaction(restaurant, interaction_pk)
    if request.method == "GET":
        context = {"restaurant": restaurant, "interaction": interaction}
        return render(request, "crm/interaction_delete.html", context)
    kind = interaction.get_interaction_type_display()
    return confirm_delete(
        request,
        obj=interaction,
        perform=interaction.delete,
        success_url=reverse("crm:detail", args=[restaurant.pk]) + "#timeline",
        cancel_url=reverse("crm:detail", args=[restaurant.pk]) + "#timeline",
        message=f"{kind} deleted.",
    )
