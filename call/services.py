"""Writes for call plans. Each is atomic and keyword-only."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.time import start_of_day

from . import clock
from .models import CallPlan
from .periods import one_period_after, shift_date

logger = logging.getLogger(__name__)


ALREADY_PLANNED = "This restaurant already has a call plan."


def plan_taken_error(*, restaurant, plan=None):
    """The error when `restaurant` already has a call plan (other than
    `plan`), else None. A restaurant has one plan at most."""
    taken = CallPlan.objects.filter(restaurant=restaurant)
    if plan is not None:
        taken = taken.exclude(pk=plan.pk)
    return ALREADY_PLANNED if taken.exists() else None


def first_call_date(*, restaurant, frequency):
    """Start of the day one period from today, in the restaurant's time zone."""
    tz = restaurant.tzinfo
    today = clock.now().astimezone(tz).date()
    return start_of_day(shift_date(today, frequency), tz)


def call_plan_create(*, restaurant, frequency, notes="", last_called=None, next_call_date=None):
    """A call plan for a restaurant that has none; one that has raises
    ValidationError {"restaurant": [ALREADY_PLANNED]} (also when another
    request created its plan in the meantime)."""
    error = plan_taken_error(restaurant=restaurant)
    if error:
        raise ValidationError({"restaurant": [error]})
    try:
        with transaction.atomic():
            return _create(restaurant, frequency, notes, last_called, next_call_date)
    except IntegrityError as exc:
        raise ValidationError({"restaurant": [ALREADY_PLANNED]}) from exc


def _create(restaurant, frequency, notes, last_called, next_call_date):
    if next_call_date is None:
        if last_called is not None:
            next_call_date = one_period_after(last_called, frequency, restaurant.tzinfo)
        else:
            next_call_date = first_call_date(restaurant=restaurant, frequency=frequency)
    plan = CallPlan.objects.create(
        restaurant=restaurant,
        frequency=frequency,
        notes=notes,
        last_called=last_called,
        next_call_date=next_call_date,
    )
    logger.info("call plan created id=%s restaurant=%s", plan.pk, restaurant.pk)
    return plan


@transaction.atomic
def call_plan_update(*, plan, **fields):
    """Plain update: the next call date changes only when given."""
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    return plan


@transaction.atomic
def call_plan_record_call(*, plan, last_called=None):
    """A call was made: the next one is one period later, same time of day."""
    plan = CallPlan.objects.select_for_update().select_related("restaurant").get(pk=plan.pk)
    plan.last_called = last_called or clock.now()
    plan.next_call_date = one_period_after(plan.last_called, plan.frequency, plan.restaurant.tzinfo)
    plan.save(update_fields=["last_called", "next_call_date", "updated_at"])
    return plan


@transaction.atomic
def call_plan_set_frequency(*, plan, frequency):
    """New frequency; the next call is one period after the last call (or
    after now when there was none)."""
    plan = CallPlan.objects.select_for_update().select_related("restaurant").get(pk=plan.pk)
    plan.frequency = frequency
    plan.next_call_date = one_period_after(
        plan.last_called or clock.now(), frequency, plan.restaurant.tzinfo
    )
    plan.save(update_fields=["frequency", "next_call_date", "updated_at"])
    return plan


def call_plan_note_call(*, restaurant, called_at):
    """A CALL interaction was logged: record it on the restaurant's plan, if
    it has one and the call is its most recent."""
    plan = CallPlan.objects.select_for_update().filter(restaurant=restaurant).first()
    if plan is None or (plan.last_called is not None and called_at <= plan.last_called):
        return plan
    return call_plan_record_call(plan=plan, last_called=called_at)
