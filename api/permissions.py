"""Who may use the JSON API (settings: REST_FRAMEWORK's default permission)."""

from rest_framework import exceptions, permissions

from account.tenancy import get_membership

from .authentication import MUST_CHANGE_PASSWORD_MESSAGE

CLEANER_MESSAGE = "Cleaners do not use the API; their jobs are under My jobs in the app."


class HasBusiness(permissions.BasePermission):
    """Signed in, active, done with any one-time password, and a member of a
    business. Every API view but the token endpoints has this permission, so
    it is the one place that keeps a user who must still change a one-time
    password out of the API, however they authenticated (JWT, API key or
    session), and cleaners out of it (403). It also sets `request.business`, the scope of every view
    (`api.viewsets.BusinessModelViewSet`)."""

    message = "Register a business before using the API."

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if user.must_change_password:
            raise exceptions.PermissionDenied(MUST_CHANGE_PASSWORD_MESSAGE)
        membership = get_membership(user)
        if membership is None:
            return False
        if membership.is_cleaner:
            raise exceptions.PermissionDenied(CLEANER_MESSAGE)
        request.membership = membership
        request.business = membership.business
        return True
