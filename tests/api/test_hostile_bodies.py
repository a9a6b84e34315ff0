"""Hostile JSON bodies on the token endpoints and the API answer 400, never
5xx (config.parsers.JSONParser), and the browsable API and form posts keep
working."""

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DEEP = b"[" * 100_000 + b"]" * 100_000
BODIES = {
    "deep-array": DEEP,
    "deep-object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "deep-inside": b'{"username": "owner", "password": ' + DEEP + b"}",
    "one-level-too-deep": b'{"name": ' + b"[" * 64 + b"]" * 64 + b"}",
    "invalid-utf8": b'{"username": "\xff\xfe", "password": "x"}',
    "nan": b'{"username": NaN, "password": "x"}',
    "float-overflow": b'{"username": 1e400, "password": "x"}',
    "integer-too-long": b'{"username": ' + b"9" * 5000 + b', "password": "x"}',
    "truncated": b'{"username": "owner", "pass',
}


@pytest.mark.parametrize("path", ["/api/token/", "/api/token/refresh/"])
@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_token_endpoints_answer_400(client, owner, path, body):
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [b"[]", b'"owner"', b"42", b"null", b'{"username": "ow\\u0000ner", "password": "x\\u0000"}'],
    ids=["array", "string", "number", "null", "nul"],
)
def test_token_endpoint_refuses_odd_json_with_4xx(client, owner, body):
    response = client.post("/api/token/", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_api_endpoints_answer_400(api, restaurant, body):
    for method, path in (
        ("post", "/lead/restaurants/"),
        ("put", f"/lead/restaurants/{restaurant.pk}/"),
        ("patch", f"/lead/restaurants/{restaurant.pk}/"),
        ("post", f"/lead/restaurants/{restaurant.pk}/change_status/"),
        ("post", "/call/"),
        ("post", "/track/interactions/"),
        ("post", "/contact/contacts/"),
    ):
        response = getattr(api, method)(path, data=body, content_type="application/json")
        assert response.status_code == 400, (method, path, response.status_code)


def test_nul_in_api_text_is_a_field_error(api):
    response = api.post("/lead/restaurants/", {"name": "Dine\u0000r", "\u0000": "x"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_json_and_form_bodies_still_work(owner, restaurant):
    client = APIClient()
    response = client.post(
        "/api/token/", {"username": "owner", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200 and response.json()["access"]
    client.force_authenticate(owner)
    response = client.patch(
        f"/lead/restaurants/{restaurant.pk}/", {"city": "Austin"}, format="json"
    )
    assert response.status_code == 200, response.content
    response = client.patch(f"/lead/restaurants/{restaurant.pk}/", {"city": "Dallas"})
    assert response.status_code == 200, response.content  # multipart, as the browsable API
    assert response.json()["city"] == "Dallas"
