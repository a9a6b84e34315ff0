"""Background work: process inbox events and send outbound deliveries.
Tasks take ids, fetch, and call a service."""

from django_tasks import task

from . import services


@task()
def process_webhook_event(event_id):
    event = services.webhook_event_process(event_id=event_id)
    return event.status if event else None


@task()
def deliver(delivery_id):
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None
