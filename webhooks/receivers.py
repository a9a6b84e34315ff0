"""Signal receivers, connected in WebhooksConfig.ready()."""

import logging

from . import outbound

logger = logging.getLogger(__name__)


def deliver_business_event(sender, *, business, event_type, data, **kwargs):
    """Queue a delivery for every active integration subscribed to the event."""
    try:
        outbound.deliveries_create(business=business, event_type=event_type, data=data)
    except Exception:
        # The business action already committed; never fail it over a delivery.
        logger.exception("could not queue deliveries business=%s event=%s", business.pk, event_type)
