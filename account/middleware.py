from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .tenancy import get_membership


class BusinessMiddleware:
    """Attach the user's membership and business, and work in its time zone.

    Also keeps users who signed in with a one-time password on the
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
        if (
            membership is not None
            and request.user.must_change_password
            and not self._exempt(request.path)
        ):
            return redirect("account:change_password")
        return self.get_response(request)

    @staticmethod
    def _exempt(path):
        allowed = (
            reverse("account:change_password"),
            reverse("account:logout"),
            reverse("account:profile"),
        )
        return path.startswith(allowed) or path.startswith(("/static/", "/media/"))
