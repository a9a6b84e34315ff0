"""Authentication and permissions shared by every JSON API view."""

from rest_framework import authentication, exceptions, permissions

from .services import api_key_authenticate
from .tenancy import get_membership


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>` with a personal API key."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, raw_key = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        raw_key = raw_key.strip()
        if not raw_key:
            raise exceptions.AuthenticationFailed("No API key given.")
        api_key = api_key_authenticate(raw_key)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        return api_key.user, api_key

    def authenticate_header(self, request):
        return self.keyword


class HasBusiness(permissions.BasePermission):
    """Signed in, active, and a member of a business."""

    message = "Register a business before using the API."

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        membership = get_membership(user)
        if membership is None:
            return False
        request.membership = membership
        request.business = membership.business
        return True
