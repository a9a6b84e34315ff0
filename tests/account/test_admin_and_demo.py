import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from account.models import Business, User

pytestmark = pytest.mark.django_db


def test_every_model_has_a_working_admin_changelist(admin_client, business):
    for model in apps.get_models():
        if model._meta.app_label not in {
            "account",
            "booking",
            "leads",
            "restaurants",
            "contact",
            "track",
            "call",
            "webhooks",
        }:
            continue
        assert admin.site.is_registered(model), f"{model.__name__} has no admin"
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_seed_demo_is_idempotent_and_prints_json():
    out = StringIO()
    call_command("seed_demo", "--json", "--password", "demo-pass-123", stdout=out)
    details = json.loads(out.getvalue())
    assert set(details) == {
        "username",
        "password",
        "business_name",
        "retell_webhook_url",
        "webhook_secret",
        "retell_api_key",
        "thumbtack_webhook_url",
        "thumbtack_username",
        "thumbtack_password",
    }
    assert details["retell_webhook_url"].endswith(f"/webhook/{details['webhook_secret']}/")
    call_command("seed_demo", "--password", "demo-pass-123", stdout=StringIO())
    # The demo business (both kinds), a cleaning-only one and a restaurants-only one.
    assert sorted(Business.objects.values_list("kind", flat=True)) == [
        "both",
        "home",
        "restaurants",
    ]
    assert User.objects.filter(username="demo").get().check_password("demo-pass-123")


def test_seed_demo_prints_a_working_thumbtack_password(client, django_capture_on_commit_callbacks):
    import base64
    from pathlib import Path

    out = StringIO()
    call_command("seed_demo", "--json", "--password", "demo-pass-123", stdout=out)
    details = json.loads(out.getvalue())
    credentials = User.objects.get(username="demo").membership.business.credentials
    assert credentials.thumbtack_password_hash.startswith("hmac-sha256$")
    assert details["thumbtack_password"] not in credentials.thumbtack_password_hash
    token = f"{details['thumbtack_username']}:{details['thumbtack_password']}"
    body = (
        Path(__file__).parent.parent / "webhooks/fixtures/thumbtack/negotiation_created.json"
    ).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/thumbtack-webhook/",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION="Basic " + base64.b64encode(token.encode()).decode(),
        )
    assert response.status_code in (200, 202)
