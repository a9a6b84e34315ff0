"""The restaurant CRM's pages for key account managers. `/restaurants/`:
the business's restaurants and the signed-in manager's calls due (read-only;
the restaurants themselves are edited through the JSON API)."""

from django.shortcuts import render

from account.tenancy import business_required
from call.selectors import calls_due_for, mark_overdue
from config.shortcuts import paginate, querystring_without_page
from core.search import clean_search_term
from restaurants.models import RestaurantStatus

from . import selectors


@business_required
def home(request):
    status = request.GET.get("status", "")
    if status not in RestaurantStatus.values:
        status = ""
    search = clean_search_term(request.GET.get("q"))
    mine = request.GET.get("mine") == "1"
    restaurants = selectors.restaurant_page_list(
        business=request.business, user=request.user, search=search, status=status, mine=mine
    )
    page_obj = paginate(request, restaurants)
    due, more_due = calls_due_for(business=request.business, user=request.user)
    context = {
        "page_obj": page_obj,
        "querystring": querystring_without_page(request),
        "statuses": RestaurantStatus.choices,
        "status": status,
        "search": search,
        "mine": mine,
        "filtered": bool(status or search or mine),
        "due": mark_overdue(due),
        "more_due": more_due,
    }
    return render(request, "crm/home.html", context)
