"""Signal receivers, connected in WebhooksConfig.ready()."""

import logging

from django.db import transaction

from . import outbound

logger = logging.getLogger(__name__)


def deliver_business_event(sender, *, business, event_type, data, **kwargs):
    """Write a delivery for every active integration subscribed to the event,
    in the transaction of the business change (an outbox: it commits with the
    change; the send is queued after the commit)."""
    try:
        with transaction.atomic():
            outbound.deliveries_create(business=business, event_type=event_type, data=data)
    except Exception:
        # Never fail the business action over a delivery (the savepoint keeps
        # the surrounding transaction usable).
        logger.exception("could not queue deliveries business=%s event=%s", business.pk, event_type)
