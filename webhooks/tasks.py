"""Background work: process inbox events and send outbound deliveries.
Tasks take ids, fetch, and call a service.

The inbox's task is defined next to the inbox (`webhooks.inbox`), so the
inbox and this module never import each other."""

from django_tasks import task

from . import services
from .inbox import process_webhook_event

__all__ = ["deliver", "process_webhook_event"]


@task()
def deliver(delivery_id):
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None
