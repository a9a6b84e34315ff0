"""Signing in with a username or an email address, and the account name the
sign-in lockout counts failures under."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .tenancy import remember_membership, users_with_membership


def find_user(identifier):
    """The user that `identifier` (a username or an email address, in any
    case) names, or None when there is no such user or it is ambiguous."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    User = get_user_model()
    field = "email__iexact" if "@" in identifier else "username__iexact"
    try:
        return User._default_manager.get(**{field: identifier})
    except (User.DoesNotExist, User.MultipleObjectsReturned):
        return None


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with a username or an email address (case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Run the hasher anyway so timing does not reveal unknown users.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of a session, with its membership and business
        in the same query (account.tenancy.get_membership then asks nothing)."""
        User = get_user_model()
        user = users_with_membership(User._default_manager.filter(pk=user_id)).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return remember_membership(user)


def lockout_username(request, credentials=None):
    """The name django-axes counts sign-in failures under
    (`AXES_USERNAME_CALLABLE`): the lower-cased username of the account that
    the typed identifier names, so `victim1`, `VICTIM1` and
    `victim1@example.com` share one counter; for an identifier that names no
    account, the lower-cased identifier itself.

    Used for the HTML sign-in page and `POST /api/token/` alike, since both
    authenticate through `django.contrib.auth.authenticate`."""
    typed = None
    if credentials:
        typed = credentials.get("username")
    elif request is not None:
        typed = getattr(request, "data", request.POST).get("username")
    if not isinstance(typed, str):
        return None
    typed = typed.strip()
    # axes asks several times per request; resolve each identifier once.
    memo = getattr(request, "_fieldbook_lockout_names", None) if request is not None else None
    if memo is not None and typed in memo:
        return memo[typed]
    user = find_user(typed)
    name = (user.get_username() if user is not None else typed).lower()
    if request is not None:
        if memo is None:
            memo = {}
            try:
                request._fieldbook_lockout_names = memo
            except AttributeError:
                return name
        memo[typed] = name
    return name
