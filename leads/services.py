"""Writes for leads. Each is atomic and keyword-only."""

import logging

from django.db import transaction
from django.db.models import Q

from account.events import BusinessEvent, emit
from customers.services import customer_find

from .models import Lead, LeadActivity, LeadMessage, LeadReference

logger = logging.getLogger(__name__)


def lead_event_data(lead):
    """The `data` of a `lead.created` event sent to integrations."""
    return {
        "id": lead.public_id,
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "source": lead.source,
        "status": lead.status,
        "priority": lead.priority,
        "service_wanted": lead.service_wanted,
        "notes": lead.notes,
        "estimate_total": str(lead.estimate_total) if lead.estimate_total is not None else None,
        "created_at": lead.created_at.isoformat(),
    }


def lead_record_activity(*, lead, kind, message, data=None, user=None):
    return LeadActivity.objects.create(
        lead=lead, kind=kind, message=message[:500], data=data or {}, user=user
    )


def _attach_reference(*, lead, source, external_id):
    if external_id:
        LeadReference.objects.get_or_create(
            business=lead.business,
            source=source,
            external_id=external_id,
            defaults={"lead": lead},
        )
        if source == Lead.Source.THUMBTACK:
            LeadMessage.objects.filter(
                business=lead.business, negotiation_id=external_id, lead__isnull=True
            ).update(lead=lead)


@transaction.atomic
def lead_create(
    *,
    business,
    name,
    email="",
    phone="",
    service_wanted="",
    notes="",
    source=Lead.Source.MANUAL,
    status=Lead.Status.NEW,
    priority=Lead.Priority.NORMAL,
    details=None,
    external_id="",
    estimate_total=None,
    user=None,
    activity_message="",
    activity_data=None,
):
    """Create a lead, start its timeline and tell subscribed integrations."""
    lead = Lead.objects.create(
        business=business,
        name=name[:200],
        email=email,
        phone=phone,
        service_wanted=service_wanted[:200],
        notes=notes,
        source=source,
        status=status,
        priority=priority,
        details=details or {},
        external_id=external_id,
        estimate_total=estimate_total,
        customer=customer_find(business=business, phone=phone, email=email),
    )
    lead_record_activity(
        lead=lead,
        kind=LeadActivity.Kind.CREATED,
        message=activity_message or f"Lead created ({lead.get_source_display()}).",
        data=activity_data,
        user=user,
    )
    _attach_reference(lead=lead, source=source, external_id=external_id)
    emit(business=business, event_type=BusinessEvent.LEAD_CREATED, data=lead_event_data(lead))
    logger.info("lead created business=%s lead=%s source=%s", business.pk, lead.public_id, source)
    return lead


def lead_find_by_reference(*, business, source, external_id):
    if not external_id:
        return None
    reference = (
        LeadReference.objects.select_related("lead")
        .filter(business=business, source=source, external_id=external_id)
        .first()
    )
    return reference.lead if reference else None


def lead_find_open_match(*, business, phone="", email=""):
    """The newest open lead of `business` with the same phone or email."""
    condition = Q()
    if phone:
        condition |= Q(phone=phone)
    if email:
        condition |= Q(email__iexact=email)
    if not condition:
        return None
    return (
        Lead.objects.filter(business=business, status__in=Lead.OPEN_STATUSES)
        .filter(condition)
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def lead_receive(
    *,
    business,
    source,
    external_id,
    name,
    email="",
    phone="",
    service_wanted="",
    details=None,
    estimate_total=None,
    activity_kind,
    activity_message,
    activity_data=None,
):
    """A lead arriving from a platform. Returns (lead, created).

    The same platform id updates its lead; a new id whose phone or email
    matches an open lead of the business goes on that lead's timeline;
    otherwise a new lead is created."""
    lead = lead_find_by_reference(business=business, source=source, external_id=external_id)
    if lead is not None:
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.source == source and details:
            lead.details = {**lead.details, **details}
        if estimate_total is not None and lead.estimate_total is None:
            lead.estimate_total = estimate_total
        _fill_blanks(lead, email=email, phone=phone, service_wanted=service_wanted)
        lead.save()
        lead_record_activity(
            lead=lead, kind=activity_kind, message=activity_message, data=activity_data
        )
        return lead, False
    lead = lead_find_open_match(business=business, phone=phone, email=email)
    if lead is not None:
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        _fill_blanks(lead, email=email, phone=phone, service_wanted=service_wanted)
        if details and not any(key in lead.details for key in details):
            lead.details = {**lead.details, **details}
        if estimate_total is not None and lead.estimate_total is None:
            lead.estimate_total = estimate_total
        lead.save()
        _attach_reference(lead=lead, source=source, external_id=external_id)
        lead_record_activity(
            lead=lead,
            kind=LeadActivity.Kind.REPEAT,
            message=f"{activity_message} Matched this open lead by phone or email.",
            data=activity_data,
        )
        logger.info(
            "lead matched business=%s lead=%s source=%s", business.pk, lead.public_id, source
        )
        return lead, False
    lead = lead_create(
        business=business,
        name=name,
        email=email,
        phone=phone,
        service_wanted=service_wanted,
        source=source,
        details=details,
        external_id=external_id,
        estimate_total=estimate_total,
        activity_message=activity_message,
        activity_data=activity_data,
    )
    return lead, True


def _fill_blanks(lead, **values):
    for field, value in values.items():
        if value and not getattr(lead, field):
            setattr(lead, field, value)
    if lead.customer_id is None:
        lead.customer = customer_find(business=lead.business, phone=lead.phone, email=lead.email)


@transaction.atomic
def lead_update(*, lead, user=None, note="", **fields):
    """Save edited fields; a status change and a note go on the timeline."""
    old_status = lead.status
    changed = [field for field, value in fields.items() if getattr(lead, field) != value]
    for field, value in fields.items():
        setattr(lead, field, value)
    lead.save()
    if lead.status != old_status:
        lead_record_activity(
            lead=lead,
            kind=LeadActivity.Kind.STATUS,
            message=(
                f"Status changed from {Lead.Status(old_status).label} "
                f"to {lead.get_status_display()}."
            ),
            data={"from": old_status, "to": lead.status},
            user=user,
        )
    other = [field for field in changed if field != "status"]
    if other:
        labels = ", ".join(Lead._meta.get_field(f).verbose_name for f in other)
        lead_record_activity(
            lead=lead, kind=LeadActivity.Kind.UPDATED, message=f"Edited: {labels}.", user=user
        )
    if note:
        lead_record_activity(lead=lead, kind=LeadActivity.Kind.NOTE, message=note, user=user)
    return lead


@transaction.atomic
def lead_delete(*, lead):
    """Delete a lead with its timeline, references and messages; inbox events
    and bookings keep existing, without the link."""
    logger.info("lead deleted business=%s lead=%s", lead.business_id, lead.public_id)
    lead.delete()
