"""Schemathesis fuzzes every operation of /api/schema/ with a valid token:
no server error, and every answer matches the schema (status code, content
type, body)."""

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.restaurants.factories import (
    CallPlanFactory,
    ContactFactory,
    InteractionFactory,
    OrderFactory,
    RestaurantFactory,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 20


def _run(operation, strategy, headers):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.fixture
def keep_test_connection():
    """Requests go straight to the WSGI app, as in production; like Django's
    test client, do not let them close the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_survives_fuzzing(owner, business, member, keep_test_connection):
    from rest_framework_simplejwt.tokens import RefreshToken

    restaurant = RestaurantFactory(business=business, assigned_to=owner, timezone="Asia/Tokyo")
    contact = ContactFactory(restaurant=restaurant)
    interaction = InteractionFactory(
        restaurant=restaurant, contact=contact, interaction_type="CALL"
    )
    OrderFactory(interaction__restaurant=restaurant)
    plan = CallPlanFactory(
        restaurant=restaurant, last_called=dt.datetime(2024, 12, 28, 10, tzinfo=dt.UTC)
    )
    existing = {
        "/lead/restaurants/": restaurant.pk,
        "/contact/contacts/": contact.pk,
        "/track/interactions/": interaction.pk,
        "/call/": plan.pk,
    }
    headers = {"Authorization": f"Bearer {RefreshToken.for_user(owner).access_token}"}

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, operation.as_strategy(generation_mode=mode), headers)
        if "{id}" in operation.path and operation.method.upper() != "DELETE":
            prefix = next(p for p in existing if operation.path.startswith(p))
            strategy = operation.as_strategy(path_parameters={"id": existing[prefix]})
            _run(operation, strategy, headers)
