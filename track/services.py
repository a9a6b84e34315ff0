"""Writes for interactions and their orders. Each is atomic and keyword-only."""

import logging

from django.db import transaction

from call.services import call_plan_note_call

from .models import Interaction, InteractionType, Order

logger = logging.getLogger(__name__)


def _save_order(*, interaction, order):
    fields = dict(order)
    if not fields.get("order_date"):
        fields["order_date"] = interaction.date
    Order.objects.update_or_create(interaction=interaction, defaults=fields)


def _after_save(*, interaction, order):
    if order is not None:
        _save_order(interaction=interaction, order=order)
    if not interaction.order_placed:
        Order.objects.filter(interaction=interaction).delete()
    if interaction.interaction_type == InteractionType.CALL:
        call_plan_note_call(restaurant=interaction.restaurant, called_at=interaction.date)


@transaction.atomic
def interaction_create(*, user, order=None, **fields):
    """Log an interaction, with its order when one was placed. A CALL is
    recorded on the restaurant's call plan."""
    interaction = Interaction.objects.create(
        created_by=user if user and user.is_authenticated else None, **fields
    )
    _after_save(interaction=interaction, order=order)
    logger.info("interaction logged id=%s restaurant=%s", interaction.pk, interaction.restaurant_id)
    return interaction


@transaction.atomic
def interaction_update(*, interaction, order=None, **fields):
    """Update an interaction; `order_placed: false` removes its order."""
    for name, value in fields.items():
        setattr(interaction, name, value)
    interaction.save()
    _after_save(interaction=interaction, order=order)
    return interaction
