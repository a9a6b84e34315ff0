"""Writes for restaurant accounts. Each is atomic and keyword-only."""

import logging

from django.db import transaction
from django.utils import timezone

from .models import Restaurant, RestaurantStatusChange

logger = logging.getLogger(__name__)


def _record_status_change(*, restaurant, from_status, user, note=""):
    return RestaurantStatusChange.objects.create(
        restaurant=restaurant,
        from_status=from_status,
        to_status=restaurant.status,
        changed_by=user if user and user.is_authenticated else None,
        changed_at=timezone.now(),
        note=note,
    )


@transaction.atomic
def restaurant_create(*, business, user, **fields):
    """Create a restaurant; it is assigned to `user` and uses the business's
    time zone unless told otherwise."""
    if "assigned_to" not in fields:
        fields["assigned_to"] = user
    if not fields.get("timezone"):
        fields["timezone"] = business.timezone
    restaurant = Restaurant.objects.create(business=business, **fields)
    logger.info("restaurant created id=%s business=%s", restaurant.pk, business.pk)
    return restaurant


@transaction.atomic
def restaurant_update(*, restaurant, user, note="", **fields):
    """Update a restaurant; a change of status is recorded in its history."""
    restaurant = Restaurant.objects.select_for_update().get(pk=restaurant.pk)
    from_status = restaurant.status
    if fields.get("timezone") == "":
        fields["timezone"] = restaurant.business.timezone
    for name, value in fields.items():
        setattr(restaurant, name, value)
    restaurant.save()
    if restaurant.status != from_status:
        _record_status_change(restaurant=restaurant, from_status=from_status, user=user, note=note)
    return restaurant


@transaction.atomic
def restaurant_change_status(*, restaurant, user, status, note=""):
    """Move a restaurant to `status` and record the move."""
    return restaurant_update(restaurant=restaurant, user=user, note=note, status=status)
