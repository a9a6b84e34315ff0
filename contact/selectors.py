"""Reads for restaurant contacts, scoped to one business."""

from .models import Contact


def contact_list(*, business):
    return Contact.objects.filter(restaurant__business=business).order_by("id")
