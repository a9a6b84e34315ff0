"""The OpenAPI schema and the docs page."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/token/", "post"),
    ("/api/token/refresh/", "post"),
    ("/lead/restaurants/", "get"),
    ("/lead/restaurants/", "post"),
    ("/lead/restaurants/{id}/", "get"),
    ("/lead/restaurants/{id}/", "put"),
    ("/lead/restaurants/{id}/", "patch"),
    ("/lead/restaurants/{id}/", "delete"),
    ("/lead/restaurants/{id}/change_status/", "post"),
    ("/lead/restaurants/{id}/status_history/", "get"),
    ("/contact/contacts/", "get"),
    ("/contact/contacts/", "post"),
    ("/contact/contacts/{id}/", "get"),
    ("/contact/contacts/{id}/", "put"),
    ("/contact/contacts/{id}/", "patch"),
    ("/contact/contacts/{id}/", "delete"),
    ("/track/interactions/", "get"),
    ("/track/interactions/", "post"),
    ("/track/interactions/orders/", "get"),
    ("/track/interactions/{id}/", "get"),
    ("/track/interactions/{id}/", "put"),
    ("/track/interactions/{id}/", "patch"),
    ("/track/interactions/{id}/", "delete"),
    ("/track/interactions/{id}/order_details/", "get"),
    ("/call/", "get"),
    ("/call/", "post"),
    ("/call/today/", "get"),
    ("/call/{id}/", "get"),
    ("/call/{id}/", "put"),
    ("/call/{id}/", "patch"),
    ("/call/{id}/", "delete"),
    ("/call/{id}/record_call/", "post"),
    ("/call/{id}/set_frequency/", "patch"),
}


def test_schema_describes_every_endpoint(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    found = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert found >= OPERATIONS


def test_list_responses_are_arrays_with_paging_headers(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    ok = schema["paths"]["/call/today/"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert schema["components"]["schemas"][ref]["type"] == "array"
    assert {"X-Total-Count", "Link"} <= set(ok["headers"])
    params = {p["name"] for p in schema["paths"]["/track/interactions/"]["get"]["parameters"]}
    assert {"lead", "contact", "interaction_type", "date_after", "date_before"} <= params
    assert {"limit", "offset"} <= params


def test_order_details_total_price_is_a_number(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    order = schema["components"]["schemas"]["Order"]["properties"]
    assert order["total_price"]["type"] == "number"
    interaction_request = schema["components"]["schemas"]["InteractionRequest"]["properties"]
    assert "order" in interaction_request
    assert "order" not in schema["components"]["schemas"]["Interaction"]["properties"]


def test_docs_page(owner_client):
    response = owner_client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_spectacular_validate_has_no_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi:")


def test_docs_page_uses_no_cdn(owner_client):
    content = owner_client.get(reverse("api-docs")).content.decode()
    assert "cdn.jsdelivr" not in content
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in content


def _schema(client):
    return client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()


def test_request_bodies_are_declared_as_json_only(client):
    schema = _schema(client)
    bodies = [
        (path, method, set(operation["requestBody"]["content"]))
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    ]
    assert len(bodies) >= 10
    assert [body for body in bodies if body[2] != {"application/json"}] == []


def test_response_components_require_every_field_and_mark_nullable_ones(client):
    components = _schema(client)["components"]["schemas"]
    responses = {
        name: component
        for name, component in components.items()
        if "properties" in component and not name.endswith("Request")
    }
    assert {"Restaurant", "StatusChange", "Contact", "Interaction", "Order", "CallPlan"} <= set(
        responses
    )
    for name, component in responses.items():
        assert sorted(component.get("required", [])) == sorted(component["properties"]), name
    nullable = {
        (name, field)
        for name, component in responses.items()
        for field, spec in component["properties"].items()
        if spec.get("nullable")
    }
    assert nullable == {
        ("Restaurant", "assigned_to"),
        ("StatusChange", "changed_by"),
        ("Interaction", "contact"),
        ("CallPlan", "last_called"),
        # Account performance: an account may have no manager, a single order
        # (no interval) or nothing in the period before (no trend).
        ("Performance", "assigned_to"),
        ("Performance", "average_days_between_orders"),
        ("Performance", "trend_30_days_percent"),
        ("Performance", "trend_90_days_percent"),
    }
    # Requests still require only what the client must send.
    assert set(components["CallPlanRequest"]["required"]) == {"lead", "frequency"}


def test_the_restaurant_is_still_called_lead_in_the_api(client):
    schema = _schema(client)
    components = schema["components"]["schemas"]
    for name in ("Interaction", "InteractionRequest", "CallPlan", "CallPlanRequest"):
        assert "lead" in components[name]["properties"], name
        assert "restaurant" not in components[name]["properties"], name
    for path in ("/track/interactions/", "/track/interactions/orders/", "/call/"):
        params = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert "lead" in params, path
