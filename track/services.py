"""Writes for interactions and their orders. Each is atomic and keyword-only."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from call.services import call_plan_note_call

from . import performance
from .models import Interaction, InteractionType, Order

logger = logging.getLogger(__name__)


CONTACT_OF_ANOTHER_RESTAURANT = "This contact does not belong to the lead."
ORDER_NEEDS_ORDER_PLACED = "Set order_placed to true to record an order."


def interaction_errors(*, restaurant, contact, order_placed, order):
    """Why these values cannot make an interaction ({field: [message]}; empty
    when they can): the contact must be one of the restaurant's, and an
    order is recorded only when one was placed. The API and the pages both
    check with this."""
    errors = {}
    if contact is not None and restaurant is not None and contact.restaurant_id != restaurant.pk:
        errors["contact"] = [CONTACT_OF_ANOTHER_RESTAURANT]
    if order is not None and not order_placed:
        errors["order"] = [ORDER_NEEDS_ORDER_PLACED]
    return errors


def _check(*, restaurant, contact, order_placed, order):
    errors = interaction_errors(
        restaurant=restaurant, contact=contact, order_placed=order_placed, order=order
    )
    if errors:
        raise ValidationError(errors)


def _save_order(*, interaction, order):
    fields = dict(order)
    if not fields.get("order_date"):
        fields["order_date"] = interaction.date
    Order.objects.update_or_create(interaction=interaction, defaults=fields)


def _after_save(*, interaction, order):
    if order is not None or interaction.order_placed:
        business_id = interaction.restaurant.business_id
        transaction.on_commit(lambda: performance.forget(business_id))
    if order is not None:
        _save_order(interaction=interaction, order=order)
    if not interaction.order_placed:
        Order.objects.filter(interaction=interaction).delete()
    if interaction.interaction_type == InteractionType.CALL:
        call_plan_note_call(restaurant=interaction.restaurant, called_at=interaction.date)


@transaction.atomic
def interaction_create(*, user, order=None, **fields):
    """Log an interaction, with its order when one was placed. A CALL is
    recorded on the restaurant's call plan. Values that break a rule of
    `interaction_errors` raise ValidationError and write nothing."""
    _check(
        restaurant=fields.get("restaurant"),
        contact=fields.get("contact"),
        order_placed=fields.get("order_placed", False),
        order=order,
    )
    interaction = Interaction.objects.create(
        created_by=user if user and user.is_authenticated else None, **fields
    )
    _after_save(interaction=interaction, order=order)
    logger.info("interaction logged id=%s restaurant=%s", interaction.pk, interaction.restaurant_id)
    return interaction


@transaction.atomic
def interaction_update(*, interaction, order=None, **fields):
    """Update an interaction; `order_placed: false` removes its order."""
    _check(
        restaurant=fields.get("restaurant", interaction.restaurant),
        contact=fields.get("contact", interaction.contact),
        order_placed=fields.get("order_placed", interaction.order_placed),
        order=order,
    )
    for name, value in fields.items():
        setattr(interaction, name, value)
    interaction.save()
    _after_save(interaction=interaction, order=order)
    return interaction
