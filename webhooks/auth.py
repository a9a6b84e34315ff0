"""Authentication of inbound webhooks: Retell's secret URL and signature,
Thumbtack's HTTP Basic credentials (with a rate limit on wrong ones). Every
comparison is constant-time."""

import base64
import binascii
import hashlib
import hmac
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache

from account.models import BusinessCredentials
from account.ratelimit import RateLimit, RateLimited, client_address
from account.services import thumbtack_password_matches

logger = logging.getLogger(__name__)

RETELL_SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000
_SIGNATURE_RE = re.compile(r"v=(\d{1,16}),d=([0-9a-f]{64})")
_MAX_SECRET_LENGTH = BusinessCredentials._meta.get_field("webhook_secret").max_length
_MAX_THUMBTACK_USERNAME_LENGTH = BusinessCredentials._meta.get_field(
    "thumbtack_username"
).max_length


def credentials_for_secret(secret):
    """The credentials whose webhook secret is `secret`, or None.

    The row is found through the unique index; the final comparison is
    constant-time, so a near-miss takes as long as a complete miss."""
    if not secret or len(secret) > _MAX_SECRET_LENGTH:
        return None
    credentials = (
        BusinessCredentials.objects.select_related("business").filter(webhook_secret=secret).first()
    )
    if credentials is None:
        # Same work as a hit, so timing does not tell a near miss.
        hmac.compare_digest(secret.encode(), secret.encode()[::-1])
        return None
    if not hmac.compare_digest(credentials.webhook_secret.encode(), secret.encode()):
        return None
    return credentials


def retell_signature(body, api_key, timestamp_ms):
    """`v=<ms>,d=<hex HMAC-SHA256(api_key, body + ms)>`, as Retell signs."""
    digest = hmac.new(
        api_key.encode(), body + str(timestamp_ms).encode(), hashlib.sha256
    ).hexdigest()
    return f"v={timestamp_ms},d={digest}"


def retell_signature_valid(body, api_key, header, now_ms=None):
    """Whether `header` signs the raw `body` bytes with `api_key`, at most
    five minutes from now (either way)."""
    match = _SIGNATURE_RE.fullmatch((header or "").strip())
    if not match:
        return False
    timestamp_ms = int(match.group(1))
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(now_ms - timestamp_ms) > RETELL_SIGNATURE_TOLERANCE_MS:
        return False
    expected = retell_signature(body, api_key, timestamp_ms)
    return hmac.compare_digest(expected.encode(), match.group(0).encode())


def parse_basic_auth(header):
    """(username, password) from an `Authorization: Basic …` header, or None."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None
    return username, password


# A digest that no password has: an unknown username costs one HMAC, like a
# known one, so timing does not tell which usernames exist.
_NO_SUCH_CREDENTIAL = BusinessCredentials.THUMBTACK_DIGEST_PREFIX + "0" * 64


def credentials_for_thumbtack(header):
    """The credentials that `header` (HTTP Basic) authenticates, or None.

    The username finds the row through its unique index; the password is
    checked against the stored keyed digest in constant time (see
    account.services.thumbtack_password_matches)."""
    parsed = parse_basic_auth(header)
    if parsed is None:
        return None
    username, password = parsed
    credentials = None
    if username and len(username) <= _MAX_THUMBTACK_USERNAME_LENGTH:
        credentials = (
            BusinessCredentials.objects.select_related("business")
            .filter(thumbtack_username=username)
            .first()
        )
    if (
        credentials is None
        or not credentials.thumbtack_password_hash
        or not hmac.compare_digest(credentials.thumbtack_username.encode(), username.encode())
    ):
        thumbtack_password_matches(password, _NO_SUCH_CREDENTIAL)
        return None
    if not thumbtack_password_matches(password, credentials.thumbtack_password_hash):
        return None
    return credentials


# --- Rate limit on wrong Thumbtack credentials ------------------------------------------
#
# Every wrong or malformed credential is counted per username (lower-cased,
# whether or not it exists) and per client address. Reaching
# THUMBTACK_AUTH_FAILURE_LIMIT within THUMBTACK_AUTH_COOLOFF answers 429 with
# Retry-After until the cool-off ends. What each lock refuses:
#
# - A locked username refuses every attempt for it, without checking the
#   password: this is what stops guessing. One exception keeps the real sender
#   working: an address that has already delivered with that username's
#   correct password (within KNOWN_SENDER_DAYS) still has its password
#   checked, and a correct one is accepted. So someone who knows the username
#   cannot cut off Thumbtack's deliveries by sending wrong passwords.
# - A locked address answers 429 to wrong credentials, but correct ones from it
#   are still accepted: Thumbtack posts for every business from shared
#   addresses, so one business's stale password (or an attacker behind the same
#   address) must not stop the deliveries of the others.

KNOWN_SENDER_DAYS = 30
KNOWN_SENDER_REFRESH = 86400  # seconds between two writes of the same known sender


def _thumbtack_limit():
    return RateLimit(
        "thumbtack-auth",
        limit=settings.THUMBTACK_AUTH_FAILURE_LIMIT,
        window=settings.THUMBTACK_AUTH_COOLOFF.total_seconds(),
    )


def _known_sender_key(username, address):
    digest = hashlib.sha256(f"{username}\0{address}".encode("utf-8", "surrogatepass"))
    return f"thumbtack-auth:known-sender:{digest.hexdigest()[:40]}"


def thumbtack_authenticate(request):
    """The credentials that the request's HTTP Basic header authenticates,
    or None (answer 401). Raises RateLimited (answer 429) past the limit."""
    header = request.headers.get("Authorization", "")
    if not header:
        # Nothing was guessed: a client that waits for the challenge before
        # sending credentials gets its 401, never a 429.
        return None
    parsed = parse_basic_auth(header)
    username = parsed[0] if parsed else ""
    address = client_address(request)
    limit = _thumbtack_limit()
    user_identity = f"user:{username.lower()}" if username else None
    identities = [f"addr:{address}", *([user_identity] if user_identity else [])]

    if user_identity:
        wait = limit.retry_after(user_identity)
        if wait and not cache.get(_known_sender_key(username, address)):
            raise RateLimited(wait)

    credentials = credentials_for_thumbtack(header)
    if credentials is not None:
        # Written at most once a day per sender: a cache write (in the
        # database cache, several queries) on every delivery would cost more
        # than the rest of the request.
        key = _known_sender_key(username, address)
        since = cache.get(key)
        now = time.time()
        if not isinstance(since, float) or now - since > KNOWN_SENDER_REFRESH:
            cache.set(key, now, KNOWN_SENDER_DAYS * 86400)
        return credentials

    wait = limit.hit(*identities)
    if wait:
        logger.warning("thumbtack auth rate limited retry_after=%s", wait)
        raise RateLimited(wait)
    return None
