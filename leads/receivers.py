"""Keep the lead timeline in step with bookings made from a lead."""

import logging

from .models import Lead, LeadActivity

logger = logging.getLogger(__name__)


def record_booking_on_lead(sender, *, business, event_type, data, **kwargs):
    """`booking.created` for a lead goes on its timeline. Bookings made by the
    phone agent are recorded by the webhook processing itself."""
    if event_type != "booking.created" or not isinstance(data, dict):
        return
    lead_id = data.get("lead_id")
    if not lead_id or data.get("source") == "retell":
        return
    lead = Lead.objects.filter(business=business, public_id=lead_id).first()
    if lead is None:
        return
    LeadActivity.objects.create(
        lead=lead,
        kind=LeadActivity.Kind.BOOKING,
        message=f"Converted: booking {data.get('booking_id')} created.",
        data={"booking": data.get("booking_id")},
    )
