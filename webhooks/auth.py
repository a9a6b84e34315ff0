"""Authentication of inbound webhooks: Retell's secret URL and signature,
Thumbtack's HTTP Basic credentials. Every comparison is constant-time."""

import base64
import binascii
import hashlib
import hmac
import re
import time

from django.contrib.auth.hashers import check_password, make_password

from account.models import BusinessCredentials

RETELL_SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000
_SIGNATURE_RE = re.compile(r"v=(\d{1,16}),d=([0-9a-f]{64})")
_MAX_SECRET_LENGTH = BusinessCredentials._meta.get_field("webhook_secret").max_length


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


_dummy_hash = None


def _dummy_password_hash():
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = make_password("fieldbook-no-such-user")
    return _dummy_hash


def credentials_for_thumbtack(header):
    """The credentials that `header` (HTTP Basic) authenticates, or None.

    An unknown username still costs one password hash check, so response
    times do not reveal which usernames exist."""
    parsed = parse_basic_auth(header)
    if parsed is None:
        return None
    username, password = parsed
    credentials = None
    if username and len(username) <= 150:
        credentials = (
            BusinessCredentials.objects.select_related("business")
            .filter(thumbtack_username=username)
            .first()
        )
    if credentials is None or not credentials.thumbtack_password_hash:
        check_password(password, _dummy_password_hash())
        return None
    if not hmac.compare_digest(credentials.thumbtack_username.encode(), username.encode()):
        check_password(password, _dummy_password_hash())
        return None
    if not check_password(password, credentials.thumbtack_password_hash):
        return None
    return credentials
