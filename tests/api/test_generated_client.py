"""A Python client generated from `/api/schema/` by openapi-python-client
(as a user of the API would make one) imports cleanly, module by module, and
talks to a real server: a token, the restaurant list, a logged interaction."""

import importlib
import pkgutil
import subprocess
import sys

import pytest
from django.test import Client as DjangoClient
from django.urls import reverse

from tests.restaurants.factories import RestaurantFactory

PACKAGE = "fieldbook_api_client"


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory, django_db_blocker):
    """The generated package, importable for the module's tests."""
    root = tmp_path_factory.mktemp("generated")
    with django_db_blocker.unblock():
        response = DjangoClient().get(
            reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )
    assert response.status_code == 200
    schema = root / "schema.json"
    schema.write_bytes(response.content)
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatting of the generated code
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(root / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Every operation and component made it into the client.
    assert "Warning" not in output, output
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_every_generated_module_imports(generated_client):
    modules = list(pkgutil.walk_packages(generated_client.__path__, f"{PACKAGE}."))
    assert len(modules) > 30
    failures = {}
    for module in modules:
        try:
            importlib.import_module(module.name)
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            failures[module.name] = repr(exc)
    assert failures == {}


def test_response_models_require_what_the_server_always_sends(generated_client):
    models = importlib.import_module(f"{PACKAGE}.models")
    plan = models.CallPlan.from_dict(
        {
            "id": 1,
            "lead": 1,
            "frequency": "DAILY",
            "last_called": None,
            "next_call_date": "2024-12-29T00:00:00Z",
            "notes": "Initial call plan.",
        }
    )
    assert plan.lead == 1 and plan.last_called is None and plan.notes == "Initial call plan."
    with pytest.raises(KeyError):
        models.CallPlan.from_dict({"id": 1, "lead": 1, "frequency": "DAILY"})


@pytest.mark.django_db(transaction=True)
def test_generated_client_signs_in_lists_and_logs(
    generated_client, live_server, owner, business, password
):
    restaurant = RestaurantFactory(business=business, name="Taco Haus", assigned_to=owner)
    api = importlib.import_module(f"{PACKAGE}.api")
    models = importlib.import_module(f"{PACKAGE}.models")
    token_create = importlib.import_module(f"{api.__name__}.authentication.api_token_create")
    restaurant_list = importlib.import_module(
        f"{api.__name__}.restaurant_leads.lead_restaurants_list"
    )
    interaction_create = importlib.import_module(
        f"{api.__name__}.interactions_and_orders.track_interactions_create"
    )

    with generated_client.Client(base_url=live_server.url) as anonymous:
        tokens = token_create.sync(
            client=anonymous,
            body=models.TokenObtainRequest(username=owner.username, password=password),
        )
    assert isinstance(tokens, models.TokenObtain)

    with generated_client.AuthenticatedClient(
        base_url=live_server.url, token=tokens.access
    ) as client:
        response = restaurant_list.sync_detailed(client=client)
        assert response.status_code == 200
        assert response.headers["X-Total-Count"] == "1"
        assert [(r.id, r.name, r.assigned_to) for r in response.parsed] == [
            (restaurant.pk, "Taco Haus", owner.pk)
        ]

        logged = interaction_create.sync(
            client=client,
            body=models.InteractionRequest(
                lead=restaurant.pk,
                interaction_type=models.InteractionTypeEnum.CALL,
                details="Followed up on last week's discussion.",
            ),
        )
    assert isinstance(logged, models.Interaction)
    assert logged.lead == restaurant.pk
    assert restaurant.interactions.get().details == "Followed up on last week's discussion."


@pytest.mark.django_db(transaction=True)
def test_generated_client_reads_account_performance(
    generated_client, live_server, owner, business, password
):
    import datetime as dt

    from tests.restaurants.factories import OrderFactory

    restaurant = RestaurantFactory(business=business, name="Taco Haus", assigned_to=owner)
    now = dt.datetime.now(dt.UTC)
    for days in range(46, 200, 14):
        moment = now - dt.timedelta(days=days)
        OrderFactory(
            interaction__restaurant=restaurant, interaction__date=moment, order_date=moment
        )
    api = importlib.import_module(f"{PACKAGE}.api")
    models = importlib.import_module(f"{PACKAGE}.models")
    token_create = importlib.import_module(f"{api.__name__}.authentication.api_token_create")
    performance = importlib.import_module(
        f"{api.__name__}.restaurant_leads.lead_restaurants_performance_list"
    )
    with generated_client.Client(base_url=live_server.url) as anonymous:
        tokens = token_create.sync(
            client=anonymous,
            body=models.TokenObtainRequest(username=owner.username, password=password),
        )
    with generated_client.AuthenticatedClient(
        base_url=live_server.url, token=tokens.access
    ) as client:
        response = performance.sync_detailed(client=client, assigned_to="me")
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "1"
    [row] = response.parsed
    assert (row.lead, row.name, row.classification) == (restaurant.pk, "Taco Haus", "under")
    assert row.reason.startswith("no order for 46 days, usually every 14")
