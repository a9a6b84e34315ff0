"""Retell phone agent: turn an analysed call into a lead and, when the
caller booked, into a priced booking.

`booking_request_from_call` is pure (no writes): it maps the post-call
analysis fields (see `account.selectors.retell_agent_fields`) to the
arguments of `booking.services.booking_create` and lists what is missing
or invalid, in words an owner understands."""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from account.models import Addon, ServiceType
from core.phones import mask_phone, normalize_phone_or_empty
from leads.models import Lead, LeadActivity
from leads.services import lead_receive, lead_record_activity

from .errors import PayloadError

logger = logging.getLogger(__name__)

REQUIRED_TEXT = ("first_name", "last_name", "address")
OPTIONAL_TEXT = ("city", "state", "zip_code", "notes")
TRUE_WORDS = {"true", "yes", "y", "1", "booked"}


@dataclass
class BookingRequest:
    """What `booking_create` needs, or why it cannot be called."""

    fields: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def is_true(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    return str(value or "").strip().lower() in TRUE_WORDS


def _text(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return ""


def parse_number(value, *, integer=True, allow_zero=True):
    """3, 3.0, "3", " 1,500 " -> int (or Decimal when `integer` is False);
    None when it is not a usable non-negative number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "")
        if not value:
            return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        return None
    if integer:
        if number != number.to_integral_value():
            return None
        return int(number)
    return number


def parse_service_type(value):
    """ "deep", "Deep clean", "move in/out" -> a ServiceType value, or None."""
    text = _text(value).lower()
    if not text:
        return None
    slug = text.replace("/", "_").replace("-", "_").replace(" ", "_")
    for choice in ServiceType:
        if slug == choice.value or text == choice.label.lower():
            return choice.value
    aliases = {"move_in_out": ("move_in", "move_out", "move", "moving", "move_in_move_out")}
    for target, names in aliases.items():
        if slug in names:
            return target
    for choice in ServiceType:
        if slug.startswith(choice.value):
            return choice.value
    return None


def parse_start(value, tzinfo):
    """ISO 8601 -> aware datetime; a naive value is in `tzinfo`."""
    text = _text(value)
    if not text:
        return None
    try:
        start = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if timezone.is_naive(start):
        start = timezone.make_aware(start, tzinfo)
    return start


def booking_request_from_call(*, business, data, caller_phone="", addon_keys=None):
    """Map `call_analysis.custom_analysis_data` to `booking_create` arguments.

    `addon_keys` are the business's active add-on keys (fetched when None).
    Unknown keys are ignored; numbers may be strings."""
    if not isinstance(data, dict):
        return BookingRequest(problems=["The call analysis has no booking fields."])
    if addon_keys is None:
        addon_keys = set(
            Addon.objects.filter(business=business, is_active=True).values_list("key", flat=True)
        )
    missing, invalid = [], []
    fields = {}
    for name in REQUIRED_TEXT:
        value = _text(data.get(name))
        if not value:
            missing.append(name)
        fields[name] = value
    for name in OPTIONAL_TEXT:
        fields[name] = _text(data.get(name))

    email = _text(data.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            invalid.append("email")
            email = ""
    fields["email"] = email

    raw_phone = _text(data.get("phone"))
    phone = normalize_phone_or_empty(raw_phone, business=business) if raw_phone else ""
    if raw_phone and not phone:
        phone = caller_phone
        if not phone:
            invalid.append("phone")
    fields["phone"] = phone or caller_phone
    if not fields["phone"] and not email:
        missing.append("phone")

    raw_service = data.get("service_type")
    service_type = parse_service_type(raw_service)
    if service_type is None:
        (invalid if _text(raw_service) else missing).append("service_type")
    fields["service_type"] = service_type

    raw_start = data.get("appointment_datetime")
    start = parse_start(raw_start, business.tzinfo)
    if start is None:
        (invalid if _text(raw_start) else missing).append("appointment_datetime")
    fields["start"] = start

    for name, allow_zero in (("bedrooms", True), ("bathrooms", True), ("square_feet", False)):
        raw = data.get(name)
        number = parse_number(raw, allow_zero=allow_zero)
        if name == "bathrooms" and number is None:
            # Half bathrooms exist: 2.5 is a valid answer.
            number = parse_number(raw, integer=False)
            if number is not None and number != number.quantize(Decimal("0.1")):
                number = None
        if number is None:
            (invalid if _text(raw) or isinstance(raw, int | float) else missing).append(name)
        fields[name] = number

    addons = {}
    for key in sorted(addon_keys):
        if key not in data:
            continue
        raw = data[key]
        if isinstance(raw, bool):
            quantity = int(raw)
        elif raw is None or _text(raw) == "":
            quantity = 0
        else:
            quantity = parse_number(raw)
            if quantity is None:
                invalid.append(key)
                continue
        if quantity:
            addons[key] = quantity
    fields["addons"] = addons

    problems = []
    if missing:
        problems.append("Missing: " + ", ".join(missing) + ".")
    if invalid:
        problems.append("Invalid: " + ", ".join(invalid) + ".")
    return BookingRequest(fields=fields, problems=problems)


def booking_available():
    try:
        from booking import services
    except ImportError:
        return False
    return hasattr(services, "booking_create")


def booking_create_from_request(*, business, request, lead):
    """Create the booking through the booking app's service (atomic, priced
    by the pricing function, links the lead and marks it converted)."""
    from booking.services import booking_create

    fields = request.fields
    return booking_create(
        business=business,
        customer_first_name=fields["first_name"],
        customer_last_name=fields["last_name"],
        customer_email=fields["email"],
        customer_phone=fields["phone"],
        address=fields["address"],
        city=fields["city"],
        state=fields["state"],
        zip_code=fields["zip_code"],
        service_type=fields["service_type"],
        bedrooms=fields["bedrooms"],
        bathrooms=fields["bathrooms"],
        square_feet=fields["square_feet"],
        start=fields["start"],
        addons=fields["addons"],
        special_requests=fields["notes"],
        source="retell",
        lead=lead,
    )


def _caller_name(call, data):
    first = _text(data.get("first_name"))
    last = _text(data.get("last_name"))
    name = " ".join(filter(None, [first, last]))
    if not name:
        collected = call.get("collected_dynamic_variables") or {}
        name = _text(collected.get("caller_name")) if isinstance(collected, dict) else ""
    return name


@transaction.atomic
def process_call_analyzed(*, business, payload):
    """Create or update the caller's lead; make the booking when asked.
    Returns the lead."""
    call = payload.get("call")
    if not isinstance(call, dict):
        raise PayloadError("The payload has no call object.")
    call_id = _text(call.get("call_id"))
    if not call_id:
        raise PayloadError("The call has no call_id.")
    analysis = call.get("call_analysis") if isinstance(call.get("call_analysis"), dict) else {}
    data = analysis.get("custom_analysis_data")
    data = data if isinstance(data, dict) else {}

    caller_phone = normalize_phone_or_empty(_text(call.get("from_number")), business=business)
    phone = normalize_phone_or_empty(_text(data.get("phone")), business=business) or caller_phone
    email = _text(data.get("email"))
    try:
        validate_email(email) if email else None
    except ValidationError:
        email = ""
    name = _caller_name(call, data) or (f"Caller {phone}" if phone else "Phone caller")
    service_type = parse_service_type(data.get("service_type"))
    duration_ms = parse_number(call.get("duration_ms"))
    details = {
        "call_id": call_id,
        "summary": _text(analysis.get("call_summary")),
        "sentiment": _text(analysis.get("user_sentiment")),
        "call_successful": analysis.get("call_successful"),
        "transcript": _text(call.get("transcript")),
        "recording_url": _text(call.get("recording_url")),
        "duration_seconds": round(duration_ms / 1000) if duration_ms is not None else None,
        "from_number": caller_phone,
        "appointment_booked": is_true(data.get("appointment_booked")),
        "custom_analysis_data": data,
    }
    lead, created = lead_receive(
        business=business,
        source=Lead.Source.RETELL,
        external_id=call_id,
        name=name,
        email=email,
        phone=phone,
        service_wanted=ServiceType(service_type).label if service_type else "",
        details={"retell": details},
        activity_kind=LeadActivity.Kind.CALL,
        activity_message="Phone call analysed by the Retell agent.",
        activity_data={
            "call_id": call_id,
            "summary": details["summary"],
            "recording_url": details["recording_url"],
        },
    )
    if details["appointment_booked"]:
        _book(business=business, lead=lead, data=data, caller_phone=caller_phone, call_id=call_id)
    logger.info(
        "retell call processed business=%s lead=%s created=%s caller=%s",
        business.pk,
        lead.public_id,
        created,
        mask_phone(caller_phone),
    )
    return lead


def _already_booked(lead, call_id):
    return lead.activities.filter(kind=LeadActivity.Kind.BOOKING, data__call_id=call_id).exists()


def _book(*, business, lead, data, caller_phone, call_id):
    if _already_booked(lead, call_id):
        return None
    request = booking_request_from_call(business=business, data=data, caller_phone=caller_phone)
    problems = list(request.problems)
    booking = None
    if not problems and not booking_available():
        problems = ["Bookings are not available in this installation."]
    if not problems:
        try:
            with transaction.atomic():
                booking = booking_create_from_request(business=business, request=request, lead=lead)
        except ValidationError as exc:
            problems = [" ".join(exc.messages)]
    if problems:
        _record_booking_problems(lead=lead, problems=problems, call_id=call_id)
        return None
    lead_record_activity(
        lead=lead,
        kind=LeadActivity.Kind.BOOKING,
        message=f"Booking {getattr(booking, 'public_id', booking)} made on the call.",
        data={"call_id": call_id, "booking": getattr(booking, "public_id", str(booking))},
    )
    return booking


def _record_booking_problems(*, lead, problems, call_id):
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    retell = dict(lead.details.get("retell") or {})
    if retell.get("call_id") == call_id:
        retell["booking_problems"] = problems
        lead.details = {**lead.details, "retell": retell}
        lead.save(update_fields=["details", "updated_at"])
    lead_record_activity(
        lead=lead,
        kind=LeadActivity.Kind.BOOKING_SKIPPED,
        message="The caller asked for an appointment, but no booking was made.",
        data={"call_id": call_id, "problems": problems},
    )
