"""The `lead` → `restaurant` renames of Interaction and CallPlan keep every
row and its link, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from call.models import CallPlan
from tests.restaurants.factories import CallPlanFactory, InteractionFactory, RestaurantFactory
from track.models import Interaction

BEFORE = [("track", "0001_initial"), ("call", "0001_initial")]
AFTER = [("track", "0002_rename_lead_to_restaurant"), ("call", "0002_rename_lead_to_restaurant")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rename_keeps_rows_and_links(business):
    restaurant = RestaurantFactory(business=business)
    interaction = InteractionFactory(restaurant=restaurant, details="Kept")
    plan = CallPlanFactory(restaurant=restaurant, notes="Kept")
    try:
        old = migrate(BEFORE)
        old_interaction = old.get_model("track", "Interaction").objects.get()
        assert (old_interaction.pk, old_interaction.lead_id) == (interaction.pk, restaurant.pk)
        old_plan = old.get_model("call", "CallPlan").objects.get()
        assert (old_plan.pk, old_plan.lead_id) == (plan.pk, restaurant.pk)
    finally:
        migrate(AFTER)
    assert Interaction.objects.get().restaurant == restaurant
    assert Interaction.objects.get().details == "Kept"
    assert CallPlan.objects.get().restaurant == restaurant
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "track_interaction")
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"]}
    assert {("restaurant_id", "date"), ("restaurant_id", "order_placed")} <= indexed
