from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from rest_framework.views import APIView

from .kinds import RESTAURANTS, domain_of, page_offered
from .tenancy import get_membership
from .zones import user_tzinfo


class BusinessMiddleware:
    """Attach the user's membership and business, and work in its time zone.

    Pages of a domain the business does not offer answer 404
    (`account.kinds`). Also keeps users who signed in with a one-time password on the
    change-password page until they choose their own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = get_membership(getattr(request, "user", None))
        request.membership = membership
        request.business = membership.business if membership else None
        if request.business is not None:
            timezone.activate(request.business.tzinfo)
        else:
            timezone.deactivate()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A page of a domain the business does not offer does not exist for
        # it (account.kinds); the JSON API is not gated.
        if (
            request.business is not None
            and not self._is_api_view(view_func)
            and not page_offered(request.business, request.resolver_match)
        ):
            raise Http404("Your business does not use this part of Fieldbook.")
        # The restaurant CRM's pages show and read times where the person is
        # (their profile's time zone, else the business's).
        if request.business is not None and domain_of(request.resolver_match) == RESTAURANTS:
            timezone.activate(user_tzinfo(request.user, request.business))
        if (
            request.membership is not None
            and request.user.must_change_password
            and not self._exempt(request.path)
            and not self._is_api_view(view_func)
        ):
            return redirect("account:change_password")
        return None

    @staticmethod
    def _is_api_view(view_func):
        # The JSON API answers for itself (api.permissions.HasBusiness: 403
        # with a message) rather than redirecting a script to a form.
        view_class = getattr(view_func, "cls", None)
        return isinstance(view_class, type) and issubclass(view_class, APIView)

    @staticmethod
    def _exempt(path):
        allowed = (
            reverse("account:change_password"),
            reverse("account:logout"),
            reverse("account:profile"),
        )
        return path.startswith(allowed) or path.startswith(("/static/", "/media/"))
