"""How a JSON API request proves who it is: JWT access tokens (carrying the
user's token version), personal API keys and the browser session (settings:
REST_FRAMEWORK). Also the refresh token and its serializer used by the
token endpoints (`api/auth_views.py`), and how each scheme appears in the
OpenAPI schema."""

from django.contrib.auth import get_user_model
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework_simplejwt import authentication as jwt_authentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from account.services import api_key_authenticate
from account.tenancy import remember_membership, users_with_membership

# The user's token version when the token was issued. Raising
# `User.token_version` (password change, "sign out everywhere") makes every
# token issued before it invalid. Tokens without the claim count as version 0.
TOKEN_VERSION_CLAIM = "ver"

REVOKED_MESSAGE = (
    "This token is no longer valid: the password was changed or the account "
    "was signed out everywhere. Sign in again."
)
MUST_CHANGE_PASSWORD_MESSAGE = (
    "This account still has its one-time password. Sign in at /account/login/ "
    "and choose your own password before using the API."
)


def token_version_of(token):
    return token.get(TOKEN_VERSION_CLAIM, 0)


class VersionedRefreshToken(RefreshToken):
    """A refresh token carrying the user's token version; the access tokens
    made from it (and from its rotations) carry it too."""

    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        token[TOKEN_VERSION_CLAIM] = user.token_version
        return token


def issue_tokens(user):
    """A new refresh token (recorded as outstanding) for `user`."""
    return VersionedRefreshToken.for_user(user)


class _UsersWithMembership:
    """The user model as simplejwt's `get_user` sees it: `objects` loads
    each user's membership and business in the same query."""

    def __init__(self, model):
        self._model = model
        self.objects = users_with_membership(model._default_manager.all())
        self.DoesNotExist = model.DoesNotExist

    def __getattr__(self, name):
        return getattr(self._model, name)


class JWTAuthentication(jwt_authentication.JWTAuthentication):
    """`Authorization: Bearer <access>`, refused once the user's token
    version has moved past the token's."""

    def get_user(self, validated_token):
        # The user with its membership and business, in one query.
        self.user_model = _UsersWithMembership(get_user_model())
        user = remember_membership(super().get_user(validated_token))
        if token_version_of(validated_token) != user.token_version:
            raise InvalidToken({"detail": REVOKED_MESSAGE, "code": "token_revoked"})
        return user


class VersionedTokenRefreshSerializer(TokenRefreshSerializer):
    """Refresh, refused for a token from before the user's last password
    change or sign-out everywhere (they are also blacklisted then; this
    check holds even for a token the blacklist never saw), and for a user
    who must still choose a password."""

    def validate(self, attrs):
        try:
            refresh = self.token_class(attrs["refresh"])
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        User = get_user_model()
        user = User._default_manager.filter(
            **{api_settings.USER_ID_FIELD: refresh.payload.get(api_settings.USER_ID_CLAIM)}
        ).first()
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(
                self.error_messages["no_active_account"], code="no_active_account"
            )
        if token_version_of(refresh) != user.token_version:
            raise InvalidToken({"detail": REVOKED_MESSAGE, "code": "token_revoked"})
        if user.must_change_password:
            raise exceptions.PermissionDenied(MUST_CHANGE_PASSWORD_MESSAGE)
        return super().validate(attrs)


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


# --- In the OpenAPI schema ----------------------------------------------------


class JWTAuthenticationScheme(SimpleJWTScheme):
    target_class = "api.authentication.JWTAuthentication"


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Personal API key: `Authorization: Api-Key <key>`.",
        }
