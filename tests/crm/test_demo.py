"""Demo data for the restaurant CRM."""

import pytest
from django.core.management import call_command

from account.models import Business
from call.models import CallPlan, Frequency
from call.selectors import call_plans_due
from contact.models import Contact
from restaurants.models import Restaurant, RestaurantStatus, RestaurantStatusChange
from track.models import Interaction, Order

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (Restaurant, Contact, Interaction, Order, CallPlan, RestaurantStatusChange)
    ]


def test_seed_demo_builds_the_crm_and_is_idempotent():
    call_command("seed_demo", password="demo12345")
    business = Business.objects.get(name="Sparkle Home Cleaning")
    first = counts()
    assert set(Restaurant.objects.values_list("status", flat=True)) == set(RestaurantStatus.values)
    assert set(CallPlan.objects.values_list("frequency", flat=True)) == set(Frequency.values)
    assert Contact.objects.count() >= Restaurant.objects.count()
    assert Order.objects.count() > 10
    assert Interaction.objects.filter(order_placed=True).count() == Order.objects.count()
    due_today = call_plans_due(business=business)
    with_overdue = call_plans_due(business=business, include_overdue=True)
    assert due_today.count() >= 2
    assert with_overdue.count() > due_today.count()
    # Plans agree with the latest logged call.
    for plan in CallPlan.objects.exclude(last_called=None):
        latest = (
            Interaction.objects.filter(restaurant=plan.restaurant, interaction_type="CALL")
            .order_by("-date")
            .first()
        )
        assert latest.date == plan.last_called

    call_command("seed_demo", password="demo12345")
    assert counts() == first
