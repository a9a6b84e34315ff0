"""Writes for accounts and businesses. Each is atomic and keyword-only."""

import hmac
import logging
import secrets

from django.conf import settings
from django.contrib.auth import hashers
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from .models import (
    STANDARD_ADDONS,
    Addon,
    ApiKey,
    Business,
    BusinessCredentials,
    BusinessSettings,
    Membership,
    User,
    new_webhook_secret,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def business_register(*, owner, **details):
    """Create a business owned by `owner`, with default settings, the standard
    add-ons and fresh webhook credentials."""
    business = Business.objects.create(**details)
    Membership.objects.create(user=owner, business=business, role=Membership.Role.OWNER)
    BusinessSettings.objects.create(business=business)
    BusinessCredentials.objects.create(business=business)
    Addon.objects.bulk_create(
        Addon(business=business, key=key, name=name, price=price, is_standard=True)
        for key, name, price in STANDARD_ADDONS
    )
    logger.info("business registered id=%s", business.pk)
    return business


def unique_addon_key(*, business, name, exclude_pk=None):
    """A slug of `name` not yet used by another add-on of the business."""
    base = slugify(name).replace("-", "_")[:40] or "addon"
    taken = set(
        Addon.objects.filter(business=business, key__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    return key


def addon_save(*, addon):
    """Save an add-on, deriving its key from its name when it has none."""
    if not addon.key:
        addon.key = unique_addon_key(business=addon.business, name=addon.name)
    addon.save()
    BusinessSettings.objects.filter(business=addon.business).update(
        addons_reviewed_at=timezone.now()
    )
    return addon


def credentials_rotate_secret(*, credentials):
    """Replace the inbound webhook secret; the old one stops working at once."""
    credentials.webhook_secret = new_webhook_secret()
    credentials.webhook_secret_rotated_at = timezone.now()
    credentials.save(update_fields=["webhook_secret", "webhook_secret_rotated_at", "updated_at"])
    logger.info("webhook secret rotated business=%s", credentials.business_id)
    return credentials


# --- Thumbtack webhook password ------------------------------------------------
#
# The Thumbtack password is a machine secret that Fieldbook generates (256
# bits), not a password a person chose, so a fast keyed digest is enough to
# keep it safe at rest: HMAC-SHA256 under a server key (`CREDENTIAL_DIGEST_KEY`,
# by default derived from `SECRET_KEY`). Checking it costs microseconds, where
# a password hash costs about 300 ms of CPU on every webhook delivery.

THUMBTACK_DIGEST_SALT = "account.BusinessCredentials.thumbtack_password"


def _credential_digest_keys():
    """The server keys, newest first: the dedicated key when configured,
    otherwise `SECRET_KEY` and then its fallbacks (so rotating the secret key
    with `SECRET_KEY_FALLBACKS` does not disconnect Thumbtack)."""
    if settings.CREDENTIAL_DIGEST_KEY:
        return [settings.CREDENTIAL_DIGEST_KEY]
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def thumbtack_password_digest(password, *, key=None):
    """What is stored for a Thumbtack password: "hmac-sha256$<hex>"."""
    mac = salted_hmac(
        THUMBTACK_DIGEST_SALT,
        password,
        secret=key or _credential_digest_keys()[0],
        algorithm="sha256",
    ).hexdigest()
    return BusinessCredentials.THUMBTACK_DIGEST_PREFIX + mac


def thumbtack_password_matches(password, stored):
    """Whether `password` is the one `stored` was made from, in constant time.

    `stored` is a keyed digest, or for credentials saved before passwords
    were generated, a Django password hash (checked the slow way until the
    owner generates a new password)."""
    if not stored:
        return False
    if stored.startswith(BusinessCredentials.THUMBTACK_DIGEST_PREFIX):
        matched = False
        for key in _credential_digest_keys():
            candidate = thumbtack_password_digest(password, key=key)
            matched |= hmac.compare_digest(candidate.encode(), stored.encode())
        return matched
    return hashers.check_password(password, stored)


def credentials_set_thumbtack_password(*, credentials, password):
    """Store the digest of `password` (not saved). `password` must be a
    generated secret: see credentials_generate_thumbtack_password."""
    credentials.thumbtack_password_hash = thumbtack_password_digest(password) if password else ""


def new_thumbtack_password():
    return secrets.token_urlsafe(32)


def credentials_generate_thumbtack_password(*, credentials):
    """Give the business a new random Thumbtack password and return it: it is
    shown once, for the owner to paste into Thumbtack. The old one stops
    working at once."""
    password = new_thumbtack_password()
    credentials_set_thumbtack_password(credentials=credentials, password=password)
    credentials.save(update_fields=["thumbtack_password_hash", "updated_at"])
    logger.info("thumbtack password generated business=%s", credentials.business_id)
    return password


# --- API tokens and sessions -------------------------------------------------------


def refresh_tokens_blacklist(*, user):
    """Blacklist every refresh token of `user` that is still outstanding."""
    pending = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    count = len(
        BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=token) for token in pending], ignore_conflicts=True
        )
    )
    if count:
        logger.info("refresh tokens blacklisted user=%s count=%s", user.pk, count)
    return count


@transaction.atomic
def user_sign_out_everywhere(*, user, revoke_api_keys=False):
    """End every browser session, refresh token and access token of `user`
    (and, when asked, revoke their API keys). The caller decides whether the
    current session continues (`update_session_auth_hash`)."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.refresh_from_db(fields=["token_version"])
    refresh_tokens_blacklist(user=user)
    revoked = 0
    if revoke_api_keys:
        revoked = ApiKey.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    logger.info("signed out everywhere user=%s api_keys_revoked=%s", user.pk, revoked)
    return revoked


def api_key_create(*, user, name):
    """Create a personal API key. Returns (ApiKey, raw key); the raw key is
    shown once and never stored."""
    for _ in range(5):
        prefix = secrets.token_hex(ApiKey.PREFIX_LENGTH // 2)
        raw = f"fb_{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                api_key = ApiKey.objects.create(
                    user=user, name=name, prefix=prefix, key_hash=ApiKey.hash(raw)
                )
            return api_key, raw
        except IntegrityError:
            continue
    raise RuntimeError("Could not allocate a unique API key prefix.")


def api_key_authenticate(raw_key):
    """The active key matching `raw_key`, with its last use recorded; or None."""
    parts = raw_key.split("_")
    if len(parts) < 3 or parts[0] != "fb":
        return None
    api_key = (
        ApiKey.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, ApiKey.hash(raw_key)):
        return None
    now = timezone.now()
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def api_key_revoke(*, api_key):
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])


def one_time_password():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(14))


TEAM_ROLES = (Membership.Role.OFFICE, Membership.Role.CLEANER)


@transaction.atomic
def member_create(
    *, business, username, email, first_name="", last_name="", role=Membership.Role.OFFICE
):
    """Add a team member (office or cleaner) with a one-time password they
    must change. Returns (user, password)."""
    if role not in TEAM_ROLES:
        raise ValueError(f"Unknown team role: {role!r}")
    password = one_time_password()
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        must_change_password=True,
    )
    Membership.objects.create(user=user, business=business, role=role)
    logger.info("member added business=%s user=%s role=%s", business.pk, user.pk, role)
    return user, password


def member_set_role(*, membership, role):
    """Make a member office or cleaner (the owner's role is not changed here)."""
    if membership.is_owner:
        raise ValueError("The owner's role cannot be changed.")
    if role not in TEAM_ROLES:
        raise ValueError(f"Unknown team role: {role!r}")
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        logger.info(
            "member role changed business=%s user=%s role=%s",
            membership.business_id,
            membership.user_id,
            role,
        )
    return membership


@transaction.atomic
def member_remove(*, membership):
    """Remove a member from the business and disable their sign-in."""
    user = membership.user
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiKey.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
