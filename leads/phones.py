"""Phone numbers in E.164, read in the business's own region."""

import phonenumbers
from django.core.exceptions import ValidationError

FALLBACK_REGION = "US"


def default_region(business):
    """The region of the business's own phone number, else the US."""
    if business is not None and business.phone:
        try:
            number = phonenumbers.parse(business.phone, FALLBACK_REGION)
        except phonenumbers.NumberParseException:
            return FALLBACK_REGION
        return phonenumbers.region_code_for_number(number) or FALLBACK_REGION
    return FALLBACK_REGION


def normalize_phone(raw, *, business=None, region=None):
    """`raw` in E.164 (+15125550143); "" for empty input; ValidationError when
    it is not a possible, valid number."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    region = region or default_region(business)
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError("Enter a valid phone number, such as +1 512 555 0143.")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("Enter a valid phone number, such as +1 512 555 0143.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone_or_empty(raw, *, business=None):
    """Like `normalize_phone`, but "" instead of an error (for data from webhooks)."""
    try:
        return normalize_phone(raw, business=business)
    except ValidationError:
        return ""


def mask_phone(phone):
    """For logs: never the full number."""
    return f"…{phone[-2:]}" if phone else ""
