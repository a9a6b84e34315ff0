"""Thumbtack: new leads (negotiations) and their messages.

v4 deliveries are an envelope `{"event": {"eventType", ...}, "data": {...}}`;
the deprecated v2 lead is a flat object with `leadID`. Thumbtack's leads are
"negotiations" in v4, so a v2 `leadID` and a v4 `negotiationID` share one key.
The shapes read are declared below; a value Fieldbook cannot keep (an
estimate out of range, an unreadable phone or time) is left out and listed
on the lead in words."""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from account.models import MONEY
from booking.validation import LEAD_REQUEST_KEY
from core.phones import normalize_phone_or_empty
from leads.models import Lead, LeadActivity, LeadMessage
from leads.services import lead_find_by_reference, lead_receive, lead_record_activity

from .errors import PayloadError
from .payloads import cut, fit_id, key, read, text

logger = logging.getLogger(__name__)

NEGOTIATION_CREATED = "NegotiationCreatedV4"
MESSAGE_CREATED = "MessageCreatedV4"
LEAD_V2 = "LeadV2"

ID_LENGTH = Lead._meta.get_field("external_id").max_length
NAME_LENGTH = Lead._meta.get_field("name").max_length
EMAIL_LENGTH = Lead._meta.get_field("email").max_length
SERVICE_LENGTH = Lead._meta.get_field("service_wanted").max_length
SENDER_LENGTH = LeadMessage._meta.get_field("sender").max_length
SENDER_NAME_LENGTH = LeadMessage._meta.get_field("sender_name").max_length
MAX_ESTIMATE = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - Decimal("0.01")


# --- Payload shapes ----------------------------------------------------------------


@dataclass(frozen=True)
class EventInfo:
    event_type: str = key("eventType")
    webhook_id: str = key("webhookID")


@dataclass(frozen=True)
class Delivery:
    """What every delivery is read for first: its event type."""

    event: EventInfo | str | None
    lead_id: str = key("leadID")
    event_type: str = key("eventType")
    type: str


@dataclass(frozen=True)
class Envelope:
    data: dict


@dataclass(frozen=True)
class Customer:
    first_name: str = key("firstName")
    last_name: str = key("lastName")
    display_name: str = key("displayName")
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Category:
    name: str


@dataclass(frozen=True)
class Location:
    address1: str
    address2: str
    city: str
    state: str
    zip_code: str = key("zipCode")


@dataclass(frozen=True)
class TimeSlot:
    start: Any
    end: Any


@dataclass(frozen=True)
class Detail:
    question: str
    answer: str


@dataclass(frozen=True)
class Request:
    category: Category | str | None
    title: str
    description: str
    location: Location | str | None
    proposed_times: list[TimeSlot] = key("proposedTimes")
    details: list[Detail]


@dataclass(frozen=True)
class Estimate:
    type: str
    price_per_unit: str = key("pricePerUnit")
    unit_quantity: str = key("unitQuantity")
    unit_name: str = key("unitName")
    total: Any


@dataclass(frozen=True)
class Negotiation:
    negotiation_id: str = key("negotiationID")
    created_at: str = key("createdAt")
    status: str
    lead_price: str = key("leadPrice")
    customer: Customer
    request: Request
    estimate: Estimate


@dataclass(frozen=True)
class LeadV2:
    lead_id: str = key("leadID")
    create_timestamp: Any = key("createTimestamp")
    customer: Customer
    request: Request
    estimate: Estimate


@dataclass(frozen=True)
class Party:
    display_name: str = key("displayName")


@dataclass(frozen=True)
class Message:
    message_id: str = key("messageID")
    negotiation_id: str = key("negotiationID")
    sender: str = key("from")
    customer: Party
    business: Party
    text: str
    sent_at: Any = key("sentAt")


# --- Inbox hooks -------------------------------------------------------------------


def event_type_of(payload):
    """The event type of a delivery, "" when it has none."""
    delivery = read(Delivery, payload)
    if isinstance(delivery.event, EventInfo):
        return delivery.event.event_type
    if delivery.event:
        return delivery.event
    if "leadID" in payload:
        return LEAD_V2
    return delivery.event_type or delivery.type


def dedupe_parts(event_type, payload):
    """("negotiation", id) or ("message", id); None when the delivery has no id."""
    data = read(Envelope, payload).data
    if event_type == NEGOTIATION_CREATED:
        value = read(Negotiation, data).negotiation_id
        return ("negotiation", value) if value else None
    if event_type == MESSAGE_CREATED:
        value = read(Message, data).message_id
        return ("message", value) if value else None
    if event_type == LEAD_V2:
        value = read(LeadV2, payload).lead_id
        return ("negotiation", value) if value else None
    return None


# --- Values --------------------------------------------------------------------------

_MONEY_RE = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def parse_money(value):
    """ "$1,234.56", "1234.5", 175 -> Decimal("1234.56") etc.; None if unusable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        value = str(value)
    if not isinstance(value, str):
        return None
    match = _MONEY_RE.search(value.replace(",", "").replace(" ", ""))
    if not match:
        return None
    try:
        amount = Decimal(match.group(0))
        if not amount.is_finite() or abs(amount) > MAX_ESTIMATE:
            return None
        return amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def parse_time(value):
    """ISO 8601 or Unix seconds -> aware datetime (UTC when the text has no
    offset), or None when it cannot be read."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
            return datetime.fromtimestamp(int(value), tz=UTC)
        moment = parse_datetime(text(value))
    except (ValueError, OverflowError, OSError):
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


def _first_number(answer):
    match = _NUMBER_RE.search(answer)
    return match.group(0).replace(",", "") if match else ""


def _from_answers(details):
    """Booking values the customer gave in the request's Q&A."""
    values = {}
    for item in details:
        question, answer = item.question.lower(), item.answer
        if not answer:
            continue
        if "bedroom" in question:
            values["bedrooms"] = "0" if "studio" in answer.lower() else _first_number(answer)
        elif "bathroom" in question:
            values["bathrooms"] = _first_number(answer)
        elif "square" in question or "sq ft" in question or "size of" in question:
            values["square_feet"] = _first_number(answer)
        elif "how often" in question or "frequency" in question:
            values["frequency"] = answer
        elif "type of cleaning" in question or "kind of cleaning" in question:
            values["service_type"] = answer
    return {name: value for name, value in values.items() if value != ""}


def booking_request(*, first_name, last_name, phone, email, request, category, times):
    """The booking a Thumbtack request asks for: raw values keyed like
    `booking_create`'s arguments (plus "frequency"). The service comes from
    the Q&A or the category; the time is the first proposed one."""
    location = request.location if isinstance(request.location, Location) else None
    values = {
        "customer_first_name": first_name,
        "customer_last_name": last_name,
        "customer_phone": phone,
        "customer_email": email,
        "service_type": category,
        "special_requests": request.description,
    }
    if location is not None:
        values["address"] = " ".join(filter(None, [location.address1, location.address2]))
        values.update(city=location.city, state=location.state, zip_code=location.zip_code)
    if times:
        values["start"] = times[0]["start"]
    values.update(_from_answers(request.details))
    return {name: value for name, value in values.items() if value}


def _category(request):
    if isinstance(request.category, Category):
        return request.category.name
    return request.category or ""


def _location(request):
    if isinstance(request.location, Location):
        return {
            "address1": request.location.address1,
            "address2": request.location.address2,
            "city": request.location.city,
            "state": request.location.state,
            "zipCode": request.location.zip_code,
        }
    return request.location or ""


def _shown(value, limit=60):
    """A sender's value quoted in a problem message, shortened when long."""
    value = text(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _proposed_times(slots, problems):
    times = []
    for slot in slots:
        start, end = parse_time(slot.start), parse_time(slot.end)
        if start is None:
            if slot.start not in (None, ""):
                problems.append(f"A proposed time could not be read: “{_shown(slot.start)}”.")
            continue
        times.append({"start": start.isoformat(), "end": end.isoformat() if end else ""})
    return times


# --- Processing --------------------------------------------------------------------


@transaction.atomic
def process_negotiation(*, business, payload):
    data = read(Envelope, payload).data
    if not data:
        raise PayloadError("The payload has no data object.")
    negotiation = read(Negotiation, data)
    if not negotiation.negotiation_id:
        raise PayloadError("The negotiation has no negotiationID.")
    customer = negotiation.customer
    estimate = negotiation.estimate
    first, last = customer.first_name, customer.last_name
    if not (first or last) and customer.display_name:
        first, _, last = customer.display_name.partition(" ")
    return _receive(
        business=business,
        negotiation_id=negotiation.negotiation_id,
        first_name=first,
        last_name=last,
        phone=customer.phone,
        email=customer.email,
        request=negotiation.request,
        estimate_total=estimate.total,
        created_at=negotiation.created_at,
        extra={
            "status": negotiation.status,
            "lead_price": negotiation.lead_price,
            "estimate": {
                "type": estimate.type,
                "pricePerUnit": estimate.price_per_unit,
                "unitQuantity": estimate.unit_quantity,
                "unitName": estimate.unit_name,
                "total": text(estimate.total),
            },
        },
    )


@transaction.atomic
def process_lead_v2(*, business, payload):
    lead = read(LeadV2, payload)
    if not lead.lead_id:
        raise PayloadError("The lead has no leadID.")
    created = parse_time(lead.create_timestamp)
    first, _, last = lead.customer.name.partition(" ")
    return _receive(
        business=business,
        negotiation_id=lead.lead_id,
        first_name=first,
        last_name=last,
        phone=lead.customer.phone,
        email=lead.customer.email,
        request=lead.request,
        estimate_total=lead.estimate.total,
        created_at=created.isoformat() if created else "",
        extra={"api_version": "v2"},
    )


def _receive(
    *,
    business,
    negotiation_id,
    first_name,
    last_name,
    phone,
    email,
    request,
    estimate_total,
    created_at,
    extra,
):
    problems = []
    reference = fit_id(negotiation_id, ID_LENGTH)
    category = _category(request)
    times = _proposed_times(request.proposed_times, problems)
    estimate = parse_money(estimate_total)
    if estimate is None and text(estimate_total):
        problems.append(
            f"The estimate: “{_shown(estimate_total)}” is not an amount Fieldbook can keep "
            f"(at most {MAX_ESTIMATE:,}), so it was left out."
        )
    normalized_phone = normalize_phone_or_empty(phone, business=business)
    if phone and not normalized_phone:
        problems.append(
            f"The phone number: “{_shown(phone)}” could not be read, so it was left out."
        )
    if email:
        try:
            if len(email) > EMAIL_LENGTH:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            problems.append(
                f"The email address: “{_shown(email)}” is not valid, so it was left out."
            )
            email = ""
    name = " ".join(filter(None, [first_name, last_name]))
    details = {
        "negotiation_id": reference,
        "category": category,
        "description": request.description or request.title,
        "location": _location(request),
        "details": [{"question": d.question, "answer": d.answer} for d in request.details],
        "proposed_times": times,
        "created_at": created_at,
        **extra,
        LEAD_REQUEST_KEY: booking_request(
            first_name=first_name,
            last_name=last_name,
            phone=normalized_phone,
            email=email,
            request=request,
            category=category,
            times=times,
        ),
    }
    if problems:
        details["problems"] = problems
    activity_data = {"negotiation_id": reference}
    if problems:
        activity_data["problems"] = problems
    lead, created = lead_receive(
        business=business,
        source=Lead.Source.THUMBTACK,
        external_id=reference,
        name=cut(name, NAME_LENGTH) or "Thumbtack customer",
        email=email,
        phone=normalized_phone,
        service_wanted=cut(category, SERVICE_LENGTH),
        details={"thumbtack": details},
        estimate_total=estimate,
        activity_kind=LeadActivity.Kind.THUMBTACK,
        activity_message=f"Thumbtack request: {category or 'new lead'}.",
        activity_data=activity_data,
    )
    logger.info(
        "thumbtack lead processed business=%s lead=%s created=%s",
        business.pk,
        lead.public_id,
        created,
    )
    return lead


@transaction.atomic
def process_message(*, business, payload):
    """Store the message; attach it to its lead now, or when the lead arrives."""
    data = read(Envelope, payload).data
    if not data:
        raise PayloadError("The payload has no data object.")
    message = read(Message, data)
    if not message.message_id or not message.negotiation_id:
        raise PayloadError("The message has no messageID or negotiationID.")
    negotiation_ref = fit_id(message.negotiation_id, ID_LENGTH)
    message_ref = fit_id(message.message_id, ID_LENGTH)
    lead = lead_find_by_reference(
        business=business, source=Lead.Source.THUMBTACK, external_id=negotiation_ref
    )
    party = message.customer if message.sender.lower() == "customer" else message.business
    sender = cut(message.sender, SENDER_LENGTH)
    sender_name = cut(party.display_name, SENDER_NAME_LENGTH)
    stored, created = LeadMessage.objects.get_or_create(
        business=business,
        message_id=message_ref,
        defaults={
            "lead": lead,
            "negotiation_id": negotiation_ref,
            "sender": sender,
            "sender_name": sender_name,
            "text": message.text,
            "sent_at": parse_time(message.sent_at),
            "raw": data,
        },
    )
    if created and lead is not None:
        who = (sender_name or sender or "the customer").rstrip(".")
        lead_record_activity(
            lead=lead,
            kind=LeadActivity.Kind.MESSAGE,
            message=f"Thumbtack message from {who}.",
            data={"message_id": message_ref},
        )
    return lead


HANDLERS = {
    NEGOTIATION_CREATED: process_negotiation,
    MESSAGE_CREATED: process_message,
    LEAD_V2: process_lead_v2,
}
