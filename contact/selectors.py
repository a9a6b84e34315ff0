"""Reads for restaurant contacts, scoped to one business."""

from .models import Contact


def contact_list(*, business):
    return Contact.objects.filter(restaurant__business=business).order_by("id")


def main_contacts(*, restaurant_ref):
    """The contacts of the restaurant `restaurant_ref` (an OuterRef) with its
    main contact first: the one added first. The one rule for "main contact"
    (CSV import and export, the CRM pages)."""
    return Contact.objects.filter(restaurant=restaurant_ref).order_by("id")


def main_contact(restaurant):
    """The restaurant's main contact, or None."""
    return Contact.objects.filter(restaurant=restaurant).order_by("id").first()
