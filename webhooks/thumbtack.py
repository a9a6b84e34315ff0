"""Thumbtack: new leads (negotiations) and their messages.

v4 deliveries are an envelope `{"event": {"eventType", ...}, "data": {...}}`;
the deprecated v2 lead is a flat object with `leadID`. Thumbtack's leads are
"negotiations" in v4, so a v2 `leadID` and a v4 `negotiationID` share one key."""

import logging
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.dateparse import parse_datetime

from core.phones import normalize_phone_or_empty
from leads.models import Lead, LeadActivity, LeadMessage
from leads.services import lead_find_by_reference, lead_receive, lead_record_activity

from .errors import PayloadError

logger = logging.getLogger(__name__)

NEGOTIATION_CREATED = "NegotiationCreatedV4"
MESSAGE_CREATED = "MessageCreatedV4"
LEAD_V2 = "LeadV2"


def _text(value):
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def event_type_of(payload):
    """The event type of a delivery, "" when it has none."""
    event = payload.get("event")
    if isinstance(event, dict):
        return _text(event.get("eventType"))
    if isinstance(event, str):
        return event.strip()
    if "leadID" in payload:
        return LEAD_V2
    return _text(payload.get("eventType") or payload.get("type"))


def dedupe_key_of(event_type, payload):
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    if event_type == NEGOTIATION_CREATED and _text(data.get("negotiationID")):
        return f"negotiation:{_text(data['negotiationID'])}"
    if event_type == MESSAGE_CREATED and _text(data.get("messageID")):
        return f"message:{_text(data['messageID'])}"
    if event_type == LEAD_V2 and _text(payload.get("leadID")):
        return f"negotiation:{_text(payload['leadID'])}"
    return ""


_MONEY_RE = re.compile(r"-?\d+(?:\.\d+)?")


def parse_money(value):
    """ "$1,234.56", "1234.5", 175 -> Decimal("1234.56") etc.; None if unusable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        text = str(value)
    else:
        text = str(value).replace(",", "").replace(" ", "")
    match = _MONEY_RE.search(text)
    if not match:
        return None
    try:
        amount = Decimal(match.group(0))
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01"))


def parse_time(value):
    """ISO 8601 or Unix seconds -> aware datetime, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    text = _text(value)
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    try:
        return parse_datetime(text)
    except ValueError:
        return None


def _details(items):
    result = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            result.append(
                {"question": _text(item.get("question")), "answer": _text(item.get("answer"))}
            )
    return result


def _proposed_times(items):
    result = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("start"):
            result.append({"start": _text(item.get("start")), "end": _text(item.get("end"))})
    return result


@transaction.atomic
def process_negotiation(*, business, payload):
    data = payload.get("data")
    if not isinstance(data, dict):
        raise PayloadError("The payload has no data object.")
    negotiation_id = _text(data.get("negotiationID"))
    if not negotiation_id:
        raise PayloadError("The negotiation has no negotiationID.")
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    request = data.get("request") if isinstance(data.get("request"), dict) else {}
    category = request.get("category")
    category_name = _text(category.get("name")) if isinstance(category, dict) else _text(category)
    estimate = data.get("estimate") if isinstance(data.get("estimate"), dict) else {}
    name = " ".join(
        filter(None, [_text(customer.get("firstName")), _text(customer.get("lastName"))])
    ) or _text(customer.get("displayName"))
    return _receive(
        business=business,
        negotiation_id=negotiation_id,
        name=name,
        phone=_text(customer.get("phone")),
        email=_text(customer.get("email")),
        category=category_name,
        request=request,
        estimate_total=parse_money(estimate.get("total")),
        created_at=_text(data.get("createdAt")),
        extra={
            "status": _text(data.get("status")),
            "lead_price": _text(data.get("leadPrice")),
            "estimate": {k: _text(v) for k, v in estimate.items()},
        },
    )


@transaction.atomic
def process_lead_v2(*, business, payload):
    lead_id = _text(payload.get("leadID"))
    if not lead_id:
        raise PayloadError("The lead has no leadID.")
    customer = payload.get("customer") if isinstance(payload.get("customer"), dict) else {}
    request = payload.get("request") if isinstance(payload.get("request"), dict) else {}
    created = parse_time(payload.get("createTimestamp"))
    category = request.get("category")
    category_name = _text(category.get("name")) if isinstance(category, dict) else _text(category)
    return _receive(
        business=business,
        negotiation_id=lead_id,
        name=_text(customer.get("name")),
        phone=_text(customer.get("phone")),
        email=_text(customer.get("email")),
        category=category_name,
        request=request,
        estimate_total=parse_money((payload.get("estimate") or {}).get("total"))
        if isinstance(payload.get("estimate"), dict)
        else None,
        created_at=created.isoformat() if created else "",
        extra={"api_version": "v2"},
    )


def _receive(
    *,
    business,
    negotiation_id,
    name,
    phone,
    email,
    category,
    request,
    estimate_total,
    created_at,
    extra,
):
    location = request.get("location")
    details = {
        "negotiation_id": negotiation_id,
        "category": category,
        "description": _text(request.get("description") or request.get("title")),
        "location": location if isinstance(location, dict) else _text(location),
        "details": _details(request.get("details")),
        "proposed_times": _proposed_times(request.get("proposedTimes")),
        "created_at": created_at,
        **extra,
    }
    lead, created = lead_receive(
        business=business,
        source=Lead.Source.THUMBTACK,
        external_id=negotiation_id,
        name=name or "Thumbtack customer",
        email=email,
        phone=normalize_phone_or_empty(phone, business=business),
        service_wanted=category,
        details={"thumbtack": details},
        estimate_total=estimate_total,
        activity_kind=LeadActivity.Kind.THUMBTACK,
        activity_message=f"Thumbtack request: {category or 'new lead'}.",
        activity_data={"negotiation_id": negotiation_id},
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
    data = payload.get("data")
    if not isinstance(data, dict):
        raise PayloadError("The payload has no data object.")
    message_id = _text(data.get("messageID"))
    negotiation_id = _text(data.get("negotiationID"))
    if not message_id or not negotiation_id:
        raise PayloadError("The message has no messageID or negotiationID.")
    lead = lead_find_by_reference(
        business=business, source=Lead.Source.THUMBTACK, external_id=negotiation_id
    )
    sender = _text(data.get("from"))
    party = data.get("customer") if sender.lower() == "customer" else data.get("business")
    sender_name = _text(party.get("displayName")) if isinstance(party, dict) else ""
    message, created = LeadMessage.objects.get_or_create(
        business=business,
        message_id=message_id,
        defaults={
            "lead": lead,
            "negotiation_id": negotiation_id,
            "sender": sender,
            "sender_name": sender_name,
            "text": _text(data.get("text")),
            "sent_at": parse_time(data.get("sentAt")),
            "raw": data,
        },
    )
    if created and lead is not None:
        who = (sender_name or sender or "the customer").rstrip(".")
        lead_record_activity(
            lead=lead,
            kind=LeadActivity.Kind.MESSAGE,
            message=f"Thumbtack message from {who}.",
            data={"message_id": message_id},
        )
    return lead
