"""Retell phone agent: turn an analysed call into a lead and, when the
caller booked, into a priced booking.

The payload shapes read are declared below. `booking_request_from_call` is
pure: it maps the post-call analysis fields (see
`account.selectors.retell_agent_fields`) to a booking request, which
`booking.validation.validate_booking` checks exactly as it checks the booking
form; what is missing or invalid is listed on the lead in the same words."""

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from account.models import Addon, ServiceType
from booking import services as booking_services
from booking.validation import LEAD_REQUEST_KEY, parse_service_type, validate_booking
from core.phones import mask_phone, normalize_phone_or_empty
from leads.models import Lead, LeadActivity
from leads.services import lead_receive, lead_record_activity

from .errors import PayloadError
from .payloads import cut, fit_id, read, text

logger = logging.getLogger(__name__)

TRUE_WORDS = {"true", "yes", "y", "1", "booked"}
# Sent once per call: the event and the call id identify the delivery. Every
# other event (transcript_updated on each turn, transfer_*) may come several
# times in one call, so its body is part of its identity.
ONCE_PER_CALL = {"call_started", "call_ended", "call_analyzed"}
MAX_CALL_MS = 7 * 24 * 3600 * 1000

LEAD_NAME_LENGTH = Lead._meta.get_field("name").max_length
LEAD_EMAIL_LENGTH = Lead._meta.get_field("email").max_length
LEAD_EXTERNAL_ID_LENGTH = Lead._meta.get_field("external_id").max_length


# --- Payload shapes ----------------------------------------------------------------


@dataclass(frozen=True)
class CallAnalysis:
    call_summary: str
    user_sentiment: str
    call_successful: bool | None
    custom_analysis_data: dict


@dataclass(frozen=True)
class Call:
    call_id: str
    from_number: str
    transcript: str
    recording_url: str
    duration_ms: int | None
    collected_dynamic_variables: dict
    call_analysis: CallAnalysis


@dataclass(frozen=True)
class RetellEvent:
    event: str
    call: Call


@dataclass(frozen=True)
class BookingFields:
    """`custom_analysis_data`: the fields the owner configures in the agent.
    Sizes and the time stay raw: the booking validation reads them. The
    add-on quantities are keyed by the business's add-on keys."""

    appointment_booked: Any
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    city: str
    state: str
    zip_code: str
    service_type: Any
    appointment_datetime: Any
    bedrooms: Any
    bathrooms: Any
    square_feet: Any
    notes: str
    frequency: str


# --- Inbox hooks -------------------------------------------------------------------


def event_type_of(payload):
    return read(RetellEvent, payload).event


def dedupe_parts(event_type, payload):
    """The parts of the delivery's dedupe key: the event and the call id, plus
    a hash of the body for events that repeat within a call."""
    call_id = read(RetellEvent, payload).call.call_id
    if not call_id:
        return None
    if event_type in ONCE_PER_CALL:
        return (event_type, call_id)
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (event_type, call_id, hashlib.sha256(body.encode("utf-8", "replace")).hexdigest())


def record_only(*, business, payload):
    """call_started / call_ended: kept in the inbox; the lead comes with call_analyzed."""
    return None


# --- Mapping -----------------------------------------------------------------------


def is_true(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    return str(value or "").strip().lower() in TRUE_WORDS


def _email_or_empty(value):
    if not value or len(value) > LEAD_EMAIL_LENGTH:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def booking_request_from_call(*, business, data, caller_phone="", addon_keys=None):
    """The booking request in `custom_analysis_data` (`data`): raw values keyed
    like `booking_create`'s arguments, plus "frequency". Pure apart from
    reading the business's active add-on keys (when `addon_keys` is None).

    The phone the caller gave is used when it can be read, else the caller ID."""
    fields = read(BookingFields, data)
    raw = data if isinstance(data, dict) else {}
    if addon_keys is None:
        addon_keys = Addon.objects.filter(business=business, is_active=True).values_list(
            "key", flat=True
        )
    phone = fields.phone
    if not phone or not normalize_phone_or_empty(phone, business=business):
        phone = caller_phone or phone
    request = {
        "customer_first_name": fields.first_name,
        "customer_last_name": fields.last_name,
        "customer_email": fields.email,
        "customer_phone": phone,
        "address": fields.address,
        "city": fields.city,
        "state": fields.state,
        "zip_code": fields.zip_code,
        "service_type": fields.service_type,
        "start": fields.appointment_datetime,
        "bedrooms": fields.bedrooms,
        "bathrooms": fields.bathrooms,
        "square_feet": fields.square_feet,
        "addons": {key: raw[key] for key in sorted(addon_keys) if key in raw},
        "special_requests": fields.notes,
        "frequency": fields.frequency,
    }
    return request


def _caller_name(call, fields):
    name = " ".join(filter(None, [fields.first_name, fields.last_name]))
    return name or text(call.collected_dynamic_variables.get("caller_name"))


@transaction.atomic
def process_call_analyzed(*, business, payload):
    """Create or update the caller's lead; make the booking when asked.
    Returns the lead. The lead is made whatever the booking fields say."""
    call = read(RetellEvent, payload).call
    if not call.call_id:
        raise PayloadError("The call has no call_id.")
    call_ref = fit_id(call.call_id, LEAD_EXTERNAL_ID_LENGTH)
    analysis = call.call_analysis
    data = analysis.custom_analysis_data
    fields = read(BookingFields, data)

    caller_phone = normalize_phone_or_empty(call.from_number, business=business)
    phone = normalize_phone_or_empty(fields.phone, business=business) or caller_phone
    email = _email_or_empty(fields.email)
    name = _caller_name(call, fields) or (f"Caller {phone}" if phone else "Phone caller")
    service_type = parse_service_type(fields.service_type)
    request = booking_request_from_call(business=business, data=data, caller_phone=caller_phone)
    duration_ms = call.duration_ms
    if duration_ms is not None and not 0 <= duration_ms <= MAX_CALL_MS:
        duration_ms = None
    details = {
        "call_id": call_ref,
        "summary": analysis.call_summary,
        "sentiment": analysis.user_sentiment,
        "call_successful": analysis.call_successful,
        "transcript": call.transcript,
        "recording_url": call.recording_url,
        "duration_seconds": round(duration_ms / 1000) if duration_ms is not None else None,
        "from_number": caller_phone,
        "appointment_booked": is_true(fields.appointment_booked),
        "custom_analysis_data": data,
        LEAD_REQUEST_KEY: request,
    }
    lead, created = lead_receive(
        business=business,
        source=Lead.Source.RETELL,
        external_id=call_ref,
        name=cut(name, LEAD_NAME_LENGTH),
        email=email,
        phone=phone,
        service_wanted=ServiceType(service_type).label if service_type else "",
        details={"retell": details},
        activity_kind=LeadActivity.Kind.CALL,
        activity_message="Phone call analysed by the Retell agent.",
        activity_data={
            "call_id": call_ref,
            "summary": details["summary"],
            "recording_url": details["recording_url"],
        },
    )
    if details["appointment_booked"]:
        _book(business=business, lead=lead, request=request, call_id=call_ref)
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


def _book(*, business, lead, request, call_id):
    """The booking the caller asked for, through the one booking validation;
    when it is refused, its errors are listed on the lead and no booking is made."""
    if _already_booked(lead, call_id):
        return None
    checked = validate_booking(business, request)
    if "frequency" in checked.errors:
        # A frequency the agent could not pin down does not stop the booking:
        # it is booked once, and the lead keeps what the caller said.
        request = {name: value for name, value in request.items() if name != "frequency"}
        checked = validate_booking(business, request)
    problems = checked.messages
    booking = None
    if not problems:
        try:
            with transaction.atomic():
                booking = booking_services.booking_create(
                    business=business,
                    **checked.cleaned,
                    source="retell",
                    lead=lead,
                )
        except ValidationError as exc:
            problems = exc.messages
    if problems:
        _record_booking_problems(lead=lead, problems=problems, call_id=call_id)
        return None
    lead_record_activity(
        lead=lead,
        kind=LeadActivity.Kind.BOOKING,
        message=f"Booking {booking.public_id} made on the call.",
        data={"call_id": call_id, "booking": booking.public_id},
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


HANDLERS = {
    "call_analyzed": process_call_analyzed,
    "call_started": record_only,
    "call_ended": record_only,
}
