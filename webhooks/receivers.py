"""Signal receivers, connected in WebhooksConfig.ready()."""

import logging

from django.db.models.signals import pre_save as models_pre_save

from . import services

logger = logging.getLogger(__name__)

__all__ = ["deliver_business_event", "models_pre_save", "resume_reactivated_integration"]


def deliver_business_event(sender, *, business, event_type, data, **kwargs):
    """Queue a delivery for every active integration subscribed to the event."""
    try:
        services.deliveries_create(business=business, event_type=event_type, data=data)
    except Exception:
        # The business action already committed; never fail it over a delivery.
        logger.exception("could not queue deliveries business=%s event=%s", business.pk, event_type)


def resume_reactivated_integration(sender, instance, **kwargs):
    """A paused integration is switched off; when the owner saves it as
    active again, it resumes with a clean failure count."""
    if instance.is_active and instance.paused_at is not None:
        instance.paused_at = None
        instance.paused_reason = ""
        instance.consecutive_failures = 0
