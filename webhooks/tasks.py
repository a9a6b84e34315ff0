"""Background work: process inbox events. Tasks take ids, fetch, and call a
service. (Outbound deliveries are sent by webhooks.outbound.deliver.)"""

from django_tasks import task

from . import services


@task()
def process_webhook_event(event_id):
    event = services.webhook_event_process(event_id=event_id)
    return event.status if event else None
