"""The one validation of a booking request.

Every way a booking comes in goes through `validate_booking`: the booking
form, the Retell phone agent, a lead converted into a booking, and
`booking.services.booking_create` itself. It parses raw values (text from a
form or a webhook, or Python values), applies the limits below, and returns
the cleaned values or errors in words an owner understands, such as
"The number of bathrooms: use whole or half bathrooms, such as 1 or 1.5."

The rules:

- service: one of `ServiceType`; text from outside ("deep clean",
  "Move-in/out") is read by `parse_service_type`, the only such parser;
- bedrooms 0–50 and square feet 0–100,000, whole numbers; bathrooms 0–50 in
  whole or half steps;
- add-ons: active add-ons of the business, 0–99 of each;
- start: an aware datetime, or ISO 8601 text read in the business's time
  zone when it has no offset; at most a year in the past and at most two
  years ahead (`START_PAST_LIMIT`, `START_FUTURE_LIMIT`); an edited booking
  may keep the start it has;
- frequency (optional): one of `ServiceFrequency`; text from outside
  ("biweekly", "Every 2 weeks", "once") is read by `parse_frequency`;
- duration 15–1440 minutes (default: the business's default duration);
- customer: first name and street address are required; text is refused
  when longer than the booking's column; email must be valid; the phone is
  read in the business's region and stored in E.164.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from account.models import Addon, ServiceFrequency, ServiceType
from core.phones import INVALID_MESSAGE as INVALID_PHONE_MESSAGE
from core.phones import normalize_phone

from .models import Booking

MIN_BEDROOMS, MAX_BEDROOMS = 0, 50
MIN_BATHROOMS, MAX_BATHROOMS = Decimal(0), Decimal(50)
MIN_SQUARE_FEET, MAX_SQUARE_FEET = 0, 100_000
MIN_ADDON_QUANTITY, MAX_ADDON_QUANTITY = 0, 99
MIN_DURATION, MAX_DURATION = 15, 24 * 60
START_PAST_LIMIT = timedelta(days=365)
START_FUTURE_LIMIT = timedelta(days=2 * 365)

ADDON_PREFIX = "addon_"
# Where a lead keeps the booking it asked for: `lead.details[<source>][LEAD_REQUEST_KEY]`,
# raw values keyed like `validate_booking`'s, plus "frequency".
LEAD_REQUEST_KEY = "booking_request"

TEXT_FIELDS = (
    "customer_first_name",
    "customer_last_name",
    "customer_company",
    "address",
    "city",
    "state",
    "zip_code",
    "special_requests",
)
REQUIRED = (
    "customer_first_name",
    "address",
    "service_type",
    "bedrooms",
    "bathrooms",
    "square_feet",
    "start",
)

# What each field is called when talking to an owner.
LABELS = {
    "customer_first_name": "the first name",
    "customer_last_name": "the last name",
    "customer_email": "the email address",
    "customer_phone": "the phone number",
    "customer_company": "the company",
    "address": "the address",
    "city": "the city",
    "state": "the state",
    "zip_code": "the ZIP code",
    "service_type": "the service",
    "bedrooms": "the number of bedrooms",
    "bathrooms": "the number of bathrooms",
    "square_feet": "the square footage",
    "start": "the appointment time",
    "duration_minutes": "the duration",
    "special_requests": "the special requests",
    "addons": "the add-ons",
    "frequency": "how often",
}
# The order in which errors are listed (the order of the booking form).
FIELD_ORDER = (
    "customer_first_name",
    "customer_last_name",
    "customer_email",
    "customer_phone",
    "customer_company",
    "address",
    "city",
    "state",
    "zip_code",
    "service_type",
    "bedrooms",
    "bathrooms",
    "square_feet",
    "start",
    "frequency",
    "duration_minutes",
    "addons",
    "special_requests",
)


def label(name):
    """The owner's word for a field, capitalised: "The appointment time"."""
    text = LABELS.get(name, name.replace("_", " "))
    return text[:1].upper() + text[1:]


def missing_message(name):
    return f"{label(name)} is missing."


def max_length(name):
    """The longest text the booking keeps in `name`, or None."""
    return Booking._meta.get_field(name).max_length


def _service_list():
    labels = [choice.label for choice in ServiceType]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


MESSAGES = {
    "customer_email": "enter a valid email address, such as name@example.com",
    # The phone rule and its words live in core.phones.
    "customer_phone": INVALID_PHONE_MESSAGE[0].lower() + INVALID_PHONE_MESSAGE[1:].rstrip("."),
    "service_type": f"choose one of {_service_list()}",
    "bedrooms": f"enter a whole number from {MIN_BEDROOMS} to {MAX_BEDROOMS}",
    "bathrooms": f"enter a number from {MIN_BATHROOMS} to {MAX_BATHROOMS}, such as 1 or 1.5",
    "bathrooms_half": "use whole or half bathrooms, such as 1 or 1.5",
    "square_feet": f"enter a whole number from {MIN_SQUARE_FEET} to {MAX_SQUARE_FEET:,}",
    "start": "enter a date and time, such as 2026-12-04 09:00",
    "frequency": "choose one time, every week, every 2 weeks, every 4 weeks or every month",
    "start_past": "it cannot be more than a year in the past",
    "start_future": "it cannot be more than two years ahead",
    "duration_minutes": f"enter a whole number of minutes from {MIN_DURATION} to {MAX_DURATION}",
    "addon": f"enter a whole number from {MIN_ADDON_QUANTITY} to {MAX_ADDON_QUANTITY}",
    "text": "enter text",
}


def message(name, rule=None):
    """The error for field `name` breaking `rule` (default: the field's own)."""
    return f"{label(name)}: {MESSAGES[rule or name]}."


def addon_message(addon):
    return f"The quantity of “{addon.name}”: {MESSAGES['addon']}."


def unknown_addon_message(key):
    return f"“{key}” is not one of your active add-ons."


class _Invalid(Exception):
    def __init__(self, text):
        super().__init__(text)
        self.text = text


# --- Parsing text from outside ------------------------------------------------------

_SERVICE_WORDS = (
    # (words that name the service, service type); the first match wins.
    (("move", "moving"), ServiceType.MOVE_IN_OUT),
    (("airbnb", "turnover", "vacation", "short term", "rental"), ServiceType.AIRBNB),
    (("deep",), ServiceType.DEEP),
    (("standard", "regular", "basic", "routine", "maintenance"), ServiceType.STANDARD),
)


def _parse_choice(value, choices, words, *, whole_words):
    """The value of `choices` (a TextChoices class) that `value` names, or None:
    the value or label itself (any case), else the first entry of `words`
    ((names, choice), …) with a name in the text, as a whole word or phrase
    when `whole_words`, else at the start of a word."""
    if isinstance(value, choices):
        return value.value
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if not text:
        return None
    for choice in choices:
        if text in (choice.value, choice.label.lower()):
            return choice.value
    padded = " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "
    end = " " if whole_words else ""
    for names, choice in words:
        if any(f" {name}{end}" in padded for name in names):
            return choice.value
    return None


def parse_service_type(value):
    """A `ServiceType` value for service text from outside, or None.

    "deep", "Deep clean", "DEEP", "move-out", "Move-in/out", "move_in_out",
    "Airbnb turnover", "standard" are understood; "window washing" is not."""
    return _parse_choice(value, ServiceType, _SERVICE_WORDS, whole_words=False)


_FREQUENCY_WORDS = (
    # (words, frequency); the first match wins.
    (
        (
            "biweekly",
            "bi weekly",
            "every 2 weeks",
            "every two weeks",
            "fortnight",
            "every other week",
        ),
        ServiceFrequency.BIWEEKLY,
    ),
    (("every 4 weeks", "every four weeks"), ServiceFrequency.EVERY_4_WEEKS),
    (("monthly", "every month", "once a month"), ServiceFrequency.MONTHLY),
    (("weekly", "every week", "once a week"), ServiceFrequency.WEEKLY),
    (("one time", "one off", "once", "single", "just once"), ServiceFrequency.ONE_TIME),
)


def parse_frequency(value):
    """A `ServiceFrequency` value for frequency text from outside, or None:
    "biweekly", "Every 2 weeks", "every_4_weeks", "Monthly", "one-time"."""
    return _parse_choice(value, ServiceFrequency, _FREQUENCY_WORDS, whole_words=True)


def parse_number(value):
    """A finite Decimal from 3, 2.5, "3", " 1,500 ", "1e3"; None when `value`
    is not a number (booleans are not numbers)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "")
        if not value:
            return None
    elif not isinstance(value, int | float | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _whole(value, low, high):
    number = parse_number(value)
    if number is None or number < low or number > high or number != number.to_integral_value():
        raise _Invalid("")
    return int(number)


def parse_start(value, tzinfo):
    """An aware datetime from a datetime, or ISO 8601 text ("2026-12-04T09:00",
    "2026-12-04 09:00:00Z"); a value without an offset is in `tzinfo`.
    None when it cannot be read."""
    if isinstance(value, datetime):
        start = value
    elif isinstance(value, str):
        text = value.strip()
        if ":" not in text:
            return None  # a date alone is not an appointment time
        try:
            start = parse_datetime(text)
        except (ValueError, OverflowError):
            return None
        if start is None:
            return None
    else:
        return None
    try:
        if timezone.is_naive(start):
            start = timezone.make_aware(start, tzinfo)
    except (ValueError, OverflowError):
        return None
    return start


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _Invalid("text")
    if isinstance(value, int | float | Decimal):
        value = str(value)
    if not isinstance(value, str):
        raise _Invalid("text")
    return value.replace("\x00", "").strip()


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# --- The validation -----------------------------------------------------------------


@dataclass
class BookingValidation:
    """The result of `validate_booking`: `cleaned` holds every valid value
    (the keyword arguments of `booking_create`), `errors` a list of messages
    per field. Add-on errors are keyed `addon_<key>`."""

    cleaned: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors

    def add(self, name, text):
        self.errors.setdefault(name, []).append(text)

    @property
    def messages(self):
        """Every error, in the order of the booking form."""

        def position(name):
            if name in FIELD_ORDER:
                return FIELD_ORDER.index(name)
            return FIELD_ORDER.index("addons")

        names = sorted(self.errors, key=position)
        return [text for name in names for text in self.errors[name]]

    def raise_if_invalid(self):
        if self.errors:
            raise ValidationError(self.errors)


def _check_start(start, *, now, current_start):
    if current_start is not None and start == current_start:
        return None
    try:
        if start < now - START_PAST_LIMIT:
            return "start_past"
        if start > now + START_FUTURE_LIMIT:
            return "start_future"
    except (OverflowError, ValueError):
        return "start"
    return None


def validate_booking(business, values, *, partial=False, current_start=None, now=None, addons=None):
    """Validate the booking request `values` (a mapping keyed like the
    arguments of `booking_create`; `addons` inside it maps add-on keys to
    quantities) for `business`.

    With `partial`, missing values are not errors (they are simply left out
    of `cleaned`): used to pre-fill a form. `current_start` is the start an
    edited booking already has, accepted as it is. `addons` are the
    business's active add-ons when the caller has them already."""
    result = BookingValidation()
    now = now or timezone.now()

    def present(name):
        return name in values and not _is_blank(values[name])

    def require(name):
        if not partial and name in REQUIRED:
            result.add(name, missing_message(name))

    for name in (*TEXT_FIELDS, "customer_email", "customer_phone"):
        if not present(name):
            require(name)
            if not partial:
                result.cleaned[name] = ""
            continue
        try:
            text = _text(values[name])
        except _Invalid:
            result.add(name, message(name, "text"))
            continue
        limit = max_length(name)
        if limit and len(text) > limit:
            result.add(
                name, f"{label(name)}: use at most {limit} characters (this one has {len(text)})."
            )
            continue
        if name == "customer_email":
            try:
                validate_email(text)
            except ValidationError:
                result.add(name, message(name))
                continue
        if name == "customer_phone":
            try:
                text = normalize_phone(text, business=business)
            except ValidationError:
                result.add(name, message(name))
                continue
        result.cleaned[name] = text

    if present("service_type"):
        service = parse_service_type(values["service_type"])
        if service is None:
            result.add("service_type", message("service_type"))
        else:
            result.cleaned["service_type"] = service
    else:
        require("service_type")

    numbers = (
        ("bedrooms", MIN_BEDROOMS, MAX_BEDROOMS),
        ("square_feet", MIN_SQUARE_FEET, MAX_SQUARE_FEET),
    )
    for name, low, high in numbers:
        if not present(name):
            require(name)
            continue
        try:
            result.cleaned[name] = _whole(values[name], low, high)
        except _Invalid:
            result.add(name, message(name))

    if present("bathrooms"):
        number = parse_number(values["bathrooms"])
        if number is None or number < MIN_BATHROOMS or number > MAX_BATHROOMS:
            result.add("bathrooms", message("bathrooms"))
        elif (number * 2) != (number * 2).to_integral_value():
            result.add("bathrooms", message("bathrooms", "bathrooms_half"))
        else:
            result.cleaned["bathrooms"] = number.quantize(Decimal("0.1"))
    else:
        require("bathrooms")

    if present("start"):
        start = parse_start(values["start"], business.tzinfo)
        problem = "start" if start is None else None
        problem = problem or _check_start(start, now=now, current_start=current_start)
        if problem:
            result.add("start", message("start", problem))
        else:
            result.cleaned["start"] = start
    else:
        require("start")

    if present("frequency"):
        frequency = parse_frequency(values["frequency"])
        if frequency is None:
            result.add("frequency", message("frequency"))
        else:
            result.cleaned["frequency"] = frequency

    if present("duration_minutes"):
        try:
            result.cleaned["duration_minutes"] = _whole(
                values["duration_minutes"], MIN_DURATION, MAX_DURATION
            )
        except _Invalid:
            result.add("duration_minutes", message("duration_minutes"))
    elif not partial:
        result.cleaned["duration_minutes"] = business.settings.default_duration_minutes

    _validate_addons(business, values.get("addons"), result, addons=addons, partial=partial)
    return result


def _validate_addons(business, wanted, result, *, addons, partial):
    if wanted is None:
        wanted = {}
    if not isinstance(wanted, dict):
        result.add("addons", f"{label('addons')}: list each add-on with its quantity.")
        return
    if addons is None:
        addons = Addon.objects.filter(business=business, is_active=True) if wanted else []
    active = {addon.key: addon for addon in addons}
    quantities = {}
    for key, raw in wanted.items():
        addon = active.get(key)
        name = ADDON_PREFIX + str(key)
        if isinstance(raw, bool):
            quantity = int(raw)
        elif _is_blank(raw):
            quantity = 0
        else:
            try:
                quantity = _whole(raw, MIN_ADDON_QUANTITY, MAX_ADDON_QUANTITY)
            except _Invalid:
                result.add(name, addon_message(addon) if addon else unknown_addon_message(key))
                continue
        if not quantity:
            continue
        if addon is None:
            result.add(name, unknown_addon_message(key))
            continue
        quantities[key] = quantity
    if quantities or not partial:
        result.cleaned["addons"] = quantities


# --- Helpers for forms ----------------------------------------------------------------


def local_date_and_time(start, tzinfo):
    """(date, time) of `start` in `tzinfo`, for a form's date and time inputs."""
    local = timezone.localtime(start, tzinfo)
    return local.date(), local.time().replace(second=0, microsecond=0)


def combine(day, at, tzinfo):
    """The aware datetime of a local date and time (a form's two inputs)."""
    if not isinstance(day, date) or not isinstance(at, time):
        return None
    return timezone.make_aware(datetime.combine(day, at), tzinfo)
