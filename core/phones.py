"""Phone numbers: stored in E.164, read in the business's region, shown in
its national format, searched by their digits. The one home of these rules.

A business's region is the country of its own phone number, else of its
currency, else the US. Numbers are accepted when `phonenumbers` can read them
and they have the length of a full number of their country ("123-456-7890"
is one in the US even though no area code 123 exists; "555-0143", a local
number without its area code, is not).
"""

import functools
import logging
import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

logger = logging.getLogger(__name__)

FALLBACK_REGION = "US"
INVALID_MESSAGE = "Enter a valid phone number, such as +1 512 555 0143."
MAX_LENGTH = 32
# Where a currency is used in one country, that country (EUR says nothing).
CURRENCY_REGIONS = {
    "USD": "US",
    "CAD": "CA",
    "AUD": "AU",
    "NZD": "NZ",
    "GBP": "GB",
    "INR": "IN",
    "MXN": "MX",
}
# A search term is a phone search when it has this many digits and only
# characters people type in phone numbers.
MIN_SEARCH_DIGITS = 3
PHONE_LIKE = re.compile(r"[\d\s()+.\-/]+")


def _parse(raw, region):
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


def _is_whole_number(number):
    """A possible length for a full number of its country (a local number
    without its area code is not one)."""
    reason = phonenumbers.is_possible_number_with_reason(number)
    return reason == phonenumbers.ValidationResult.IS_POSSIBLE


@functools.lru_cache(maxsize=1024)
def region_of(phone="", currency=""):
    """The country (ISO 3166 code) of a phone number, else of a currency; None
    when neither says. Remembered: a page asks it for every time it shows."""
    number = _parse(phone, CURRENCY_REGIONS.get(currency) or FALLBACK_REGION) if phone else None
    if number is not None:
        region = phonenumbers.region_code_for_number(number)
        if not region:
            region = phonenumbers.region_code_for_country_code(number.country_code)
        if region and region != phonenumbers.UNKNOWN_REGION:
            return region
    return CURRENCY_REGIONS.get(currency)


def business_country(business):
    """The business's country, or None when its phone and currency do not say."""
    if business is None:
        return None
    return region_of(getattr(business, "phone", ""), getattr(business, "currency", ""))


def business_region(business):
    """The region phone numbers of `business` are read in."""
    return business_country(business) or FALLBACK_REGION


def normalize_phone(raw, *, business=None, region=None):
    """`raw` in E.164 (+15125550143); "" for empty input; ValidationError when
    it cannot be read as a phone number."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    number = _parse(raw, region or business_region(business))
    if number is None or not _is_whole_number(number):
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone_or_empty(raw, *, business=None):
    """Like `normalize_phone`, but "" instead of an error (for data from webhooks)."""
    try:
        return normalize_phone(raw, business=business)
    except ValidationError:
        return ""


def format_phone(value, business=None, *, region=None):
    """A stored number as people read it: the national format for numbers of
    the business's country ("(512) 555-0143"), international otherwise
    ("+44 20 7946 0958"). Text that is not a number is returned as it is."""
    if not value:
        return ""
    region = region or business_region(business)
    number = _parse(value, region)
    if number is None:
        return value
    home = phonenumbers.country_code_for_region(region)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def mask_phone(phone):
    """For logs: never the full number."""
    return f"…{phone[-2:]}" if phone else ""


def search_digits(term):
    """The digits to look for when `term` is a phone search, else None."""
    term = (term or "").strip()
    if not PHONE_LIKE.fullmatch(term):
        return None
    digits = "".join(ch for ch in term if ch.isdigit())
    return digits if len(digits) >= MIN_SEARCH_DIGITS else None


def phone_search_q(field, term, *, business=None):
    """The one phone search rule: a term made of at least three digits (with
    any spacing, dashes, brackets or a leading +) matches stored numbers that
    contain those digits, or the national number the term stands for
    ("020 7946 0958" finds +442079460958). None when `term` is not a phone
    search."""
    digits = search_digits(term)
    if digits is None:
        return None
    condition = Q(**{f"{field}__contains": digits})
    number = _parse(term, business_region(business))
    if number is not None and _is_whole_number(number):
        national = str(number.national_number)
        if national != digits:
            condition |= Q(**{f"{field}__contains": national})
    return condition


# --- Fields -------------------------------------------------------------------------


class PhoneFormField(forms.CharField):
    """A phone number, cleaned to E.164. `region` (set by the form, usually
    from the business) is the country numbers without a + are read in."""

    default_error_messages = {"invalid_phone": INVALID_MESSAGE}

    def __init__(self, *, region=None, **kwargs):
        self.region = region
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("help_text", "For example (512) 555-0143, or +44 20 7946 0958.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        """Stored numbers are shown in the form as people read them."""
        if isinstance(value, str) and value.startswith("+"):
            return format_phone(value, region=self.region or FALLBACK_REGION)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(type="tel", autocomplete="tel")
        return attrs

    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value, region=self.region or FALLBACK_REGION)


class PhoneField(models.CharField):
    """A phone number column: E.164 text (rows saved before numbers were
    normalised may still hold what was typed). Forms get a `PhoneFormField`."""

    description = "Phone number (E.164)"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == MAX_LENGTH:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        else:
            kwargs["blank"] = False
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})


def set_phone_region(form, region):
    """Read every phone field of `form` in `region`."""
    for field in form.fields.values():
        if isinstance(field, PhoneFormField):
            field.region = region


# --- Data migrations ------------------------------------------------------------------


def normalise_stored_phones(queryset, field, region_for_row, *, label):
    """Rewrite `field` of every row in E.164. Rows that cannot be read keep
    their text and are listed in the log (row ids and masked numbers only).
    Returns the ids of those rows."""
    changed, unreadable = [], []
    for row in queryset.exclude(**{field: ""}).iterator(chunk_size=500):
        raw = getattr(row, field)
        try:
            value = normalize_phone(raw, region=region_for_row(row))
        except ValidationError:
            unreadable.append(row.pk)
            logger.warning(
                "%s %s: phone %s could not be read as a number; kept as typed",
                label,
                row.pk,
                mask_phone(raw),
            )
            continue
        if value != raw:
            setattr(row, field, value)
            changed.append(row)
    queryset.model._default_manager.bulk_update(changed, [field], batch_size=500)
    if changed or unreadable:
        logger.info(
            "%s: %d phone numbers rewritten in E.164, %d kept as typed%s",
            label,
            len(changed),
            len(unreadable),
            f" (ids {', '.join(map(str, unreadable))})" if unreadable else "",
        )
    return unreadable
