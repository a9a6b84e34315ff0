"""JWT token endpoints (`/api/token/`, `/api/token/refresh/`). Failed
attempts go through django-axes, so they share the lockout counter with the
HTML sign-in page. Tokens carry the user's token version
(`api.authentication`): a password change or "sign out everywhere" ends them."""

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenRefreshView as BaseTokenRefreshView

from .authentication import (
    MUST_CHANGE_PASSWORD_MESSAGE,
    VersionedTokenRefreshSerializer,
    issue_tokens,
)
from .schema import error_response

logger = logging.getLogger(__name__)


class LockedOut(exceptions.APIException):
    status_code = 429
    default_code = "locked_out"

    def __init__(self):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        super().__init__(
            f"Too many failed sign-in attempts. For your security, signing in is "
            f"paused for {minutes} minutes. Try again later or reset your password."
        )


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, write_only=True)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class TokenRefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class TokenRefreshResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class TokenObtainView(APIView):
    """Exchange a username (or email) and password for an access and a
    refresh token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenObtainSerializer
    public_endpoint = True

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'

    @extend_schema(
        summary="Get a JWT access and refresh token",
        tags=["Authentication"],
        auth=[],
        responses={
            200: TokenObtainSerializer,
            401: error_response("Wrong username or password."),
            403: error_response("The account must first replace its one-time password."),
            429: error_response("Too many failed attempts: signing in is paused."),
        },
    )
    def post(self, request):
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            raise LockedOut()
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(
                "No active account found with the given credentials."
            )
        if user.must_change_password:
            raise exceptions.PermissionDenied(MUST_CHANGE_PASSWORD_MESSAGE)
        refresh = issue_tokens(user)
        # A token is a sign-in: the same signal as the HTML sign-in records
        # the last login and resets the failure count of the lockout.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        logger.info("api token issued user=%s", user.pk)
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


class TokenRefreshView(BaseTokenRefreshView):
    """Exchange a refresh token for a new access token (and a new refresh
    token: the old one stops working)."""

    serializer_class = VersionedTokenRefreshSerializer
    public_endpoint = True

    @extend_schema(
        summary="Refresh a JWT access token",
        tags=["Authentication"],
        auth=[],
        request=TokenRefreshSerializer,
        responses={
            200: TokenRefreshResponseSerializer,
            401: error_response(
                "The refresh token is invalid, expired or already used, or the password "
                "was changed (or the account signed out everywhere) since it was issued."
            ),
            403: error_response("The account must first replace its one-time password."),
        },
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
