"""Business events (booking created, invoice paid, ...) for outbound integrations.

Domain services call `emit`; the signal fires only after the surrounding
transaction commits, so receivers never see rolled-back work.
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with business=<Business>, event_type=<IntegrationEvent value>, data=<dict>.
business_event = Signal()


def emit(*, business, event_type, data):
    transaction.on_commit(
        lambda: business_event.send(
            sender=business.__class__, business=business, event_type=event_type, data=data
        )
    )
