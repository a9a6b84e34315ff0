"""The one place that decides which business a request acts for, and what
each role of its team may open.

Every view that shows or changes business data goes through these helpers:
`business_required` / `owner_required` guard views, and `get_for_business`
fetches a row of the current business or answers 404, so another business's
object is indistinguishable from one that does not exist.

Roles (`account.models.Membership.Role`): the owner opens everything; office
everything but `owner_required` views; a cleaner is refused (403) by
`business_required` unless the view is also marked `crew_allowed`, so a new
view is closed to cleaners until someone decides otherwise. A `crew_allowed`
view shows a cleaner only their own jobs (`booking.crew`).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect


def get_membership(user):
    """The user's membership (with its business), or None."""
    if not user or not user.is_authenticated:
        return None
    if not hasattr(user, "_fieldbook_membership"):
        from .models import Membership

        user._fieldbook_membership = (
            Membership.objects.select_related("business").filter(user_id=user.pk).first()
        )
    return user._fieldbook_membership


def users_with_membership(queryset):
    """`queryset` of users that loads each one's membership and business in
    the same query (see `remember_membership`): signing a request in then
    costs one query for the user, its membership and its business."""
    return queryset.select_related("membership__business")


def remember_membership(user):
    """Keep the membership loaded with `user` (`users_with_membership`) as the
    one `get_membership` answers, so it is not fetched again."""
    if user is not None and not hasattr(user, "_fieldbook_membership"):
        try:
            user._fieldbook_membership = user.membership
        except user.__class__.membership.RelatedObjectDoesNotExist:
            user._fieldbook_membership = None
    return user


def get_business(request):
    """The business the current request acts for, or None."""
    return getattr(request, "business", None)


def scoped(queryset, business, field="business"):
    """Restrict a queryset to one business (through `field`)."""
    return queryset.filter(**{field: business})


def get_for_business(queryset, business, field="business", **lookup):
    """Fetch one row of `business` or raise Http404."""
    if hasattr(queryset, "_default_manager"):
        queryset = queryset._default_manager.all()
    return get_object_or_404(scoped(queryset, business, field), **lookup)


CREW_ALLOWED = "crew_allowed"
CLEANER_REFUSED = "Cleaners see only their own jobs: this page is for the office."


def is_cleaner(request):
    """Whether the request comes from a cleaner of its business."""
    membership = getattr(request, "membership", None)
    return bool(membership and membership.is_cleaner)


def crew_allowed(view):
    """Open a `business_required` view to cleaners too. Apply it above (or
    below) `business_required`; the view must then itself limit a cleaner to
    their own jobs (see `booking.crew.visible_bookings`)."""
    setattr(view, CREW_ALLOWED, True)
    return view


def business_required(view):
    """Logged-in users with a business only; others go to login or registration.
    Cleaners get 403 unless the view is marked `crew_allowed`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if get_business(request) is None:
            messages.info(request, "Register your business first: it takes a minute.")
            return redirect("account:register_business")
        if is_cleaner(request) and not getattr(wrapper, CREW_ALLOWED, False):
            raise PermissionDenied(CLEANER_REFUSED)
        return view(request, *args, **kwargs)

    return wrapper


def owner_required(view):
    """Like `business_required`, and only for the business's owner (403 otherwise)."""

    @wraps(view)
    @business_required
    def wrapper(request, *args, **kwargs):
        if not request.membership.is_owner:
            raise PermissionDenied("Only the business owner can do this.")
        return view(request, *args, **kwargs)

    return wrapper
