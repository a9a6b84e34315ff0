"""Reads for interactions and orders, scoped to one business."""

from .models import Interaction


def interaction_list(*, business):
    return Interaction.objects.filter(restaurant__business=business).order_by("id")


def order_interaction_list(*, business):
    return interaction_list(business=business).filter(order_placed=True)
