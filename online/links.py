"""The customer's own links: `/c/<token>/…`.

A token is signed (`django.core.signing`, its own salt), carries the booking's
public id, its business and the nonce of the booking's `CustomerLink`, and
expires after `FIELDBOOK_CUSTOMER_LINK_DAYS`. Rotating the nonce revokes every
link sent before. Every email that points a customer at their booking or
invoice builds the link here.
"""

import logging

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking

from .models import CustomerLink, new_nonce

logger = logging.getLogger(__name__)

SALT = "online.customer-link"


def max_age():
    return settings.FIELDBOOK_CUSTOMER_LINK_DAYS * 24 * 3600


def _link(booking):
    link, _ = CustomerLink.objects.get_or_create(booking=booking)
    return link


def customer_token(booking):
    link = _link(booking)
    payload = {"b": booking.public_id, "o": booking.business_id, "n": link.nonce}
    return signing.dumps(payload, salt=SALT, compress=True)


def customer_path(booking, page="booking"):
    """The path of the customer's booking page ("booking") or invoice page ("invoice")."""
    name = "online:customer_invoice" if page == "invoice" else "online:customer_booking"
    return reverse(name, args=[customer_token(booking)])


def customer_url(booking, page="booking"):
    """The absolute link for an email."""
    return settings.SITE_URL + customer_path(booking, page)


def booking_for_token(token):
    """The booking the token opens, or None (tampered, expired, revoked, unknown)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict):
        return None
    public_id, business_id, nonce = payload.get("b"), payload.get("o"), payload.get("n")
    if not (isinstance(public_id, str) and isinstance(nonce, str) and isinstance(business_id, int)):
        return None
    booking = (
        Booking.objects.select_related("business", "business__settings", "customer_link")
        .filter(public_id=public_id, business_id=business_id)
        .first()
    )
    if booking is None:
        return None
    link = getattr(booking, "customer_link", None)
    if link is None or not signing.constant_time_compare(link.nonce, nonce):
        return None
    return booking


def revoke(booking):
    """Rotate the booking's nonce: every link sent so far stops working."""
    link = _link(booking)
    link.nonce = new_nonce()
    link.rotated_at = timezone.now()
    link.save(update_fields=["nonce", "rotated_at"])
    logger.info("customer links of booking %s revoked", booking.public_id)
