"""The pipeline board: a column per status; a card moves by drag and drop
(static/js/crm-board.js posts the move with htmx) or by its "Move to" form.
Every move goes through `restaurants.services.restaurant_change_status`,
so it is recorded in the status history as any other change."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from account.tenancy import business_required
from restaurants import services
from restaurants.models import RestaurantStatus

from .. import selectors
from ..forms import MoveForm
from . import changes_orders_or_statuses, is_htmx


def _board_context(request):
    return {
        "columns": selectors.board(request.business),
        "statuses": RestaurantStatus.choices,
        "recent_days": selectors.RECENT_DAYS,
    }


@business_required
@require_GET
def board(request):
    return render(request, "crm/board.html", _board_context(request))


@business_required
@require_POST
@changes_orders_or_statuses
def move(request, pk):
    restaurant = selectors.restaurant_for_page(request.business, pk)
    form = MoveForm(request.POST)
    error = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        try:
            services.restaurant_change_status(
                restaurant=restaurant, user=request.user, status=status
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            message = f"{restaurant.name} moved to {RestaurantStatus(status).label}."
    else:
        error = "Choose the status to move the restaurant to."
    if is_htmx(request):
        response = render(
            request, "crm/_board.html", _board_context(request), status=400 if error else 200
        )
        response["HX-Trigger"] = json.dumps({"crm:announce": error or message})
        return response
    if error:
        messages.error(request, f"{restaurant.name} was not moved: {error}")
    else:
        messages.success(request, message)
    return redirect("crm:board")
