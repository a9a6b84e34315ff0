"""Writes for restaurant accounts. Each is atomic and keyword-only."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Restaurant, RestaurantStatus, RestaurantStatusChange

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


def status_change_errors(*, restaurant, status):
    """Why `restaurant` cannot move to `status` ({field: [message]}; empty when it can)."""
    if status not in RestaurantStatus.values:
        allowed = ", ".join(RestaurantStatus.values)
        return {"status": [f'"{status}" is not a valid choice; use one of {allowed}.']}
    if status == restaurant.status:
        return {"status": [f"The restaurant is already {restaurant.status}."]}
    return {}


@transaction.atomic
def restaurant_change_status(*, restaurant, user, status, note=""):
    """Move a restaurant to `status` and record the move. Moving it to the
    status it has is refused (ValidationError {"status": [...]}), and so is
    an unknown status; nothing is written then. The status compared is the
    stored one (locked), whatever `restaurant` was read as."""
    restaurant = Restaurant.objects.select_for_update().get(pk=restaurant.pk)
    errors = status_change_errors(restaurant=restaurant, status=status)
    if errors:
        raise ValidationError(errors)
    return restaurant_update(restaurant=restaurant, user=user, note=note, status=status)


@transaction.atomic
def restaurant_delete(*, restaurant):
    """Delete a restaurant with its contacts, interactions, orders, status
    history and call plan."""
    pk, business_id = restaurant.pk, restaurant.business_id
    restaurant.delete()
    logger.info("restaurant deleted id=%s business=%s", pk, business_id)
