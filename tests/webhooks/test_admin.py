import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from leads.models import Lead, LeadMessage
from webhooks.models import Delivery, Integration, WebhookEvent

pytestmark = pytest.mark.django_db


def test_lead_and_webhook_models_have_working_admin_pages(admin_client, business):
    lead = Lead.objects.create(business=business, name="Admin lead", phone="+15125550100")
    lead.activities.create(kind="created", message="Created.")
    lead.references.create(business=business, source="retell", external_id="call_1")
    LeadMessage.objects.create(business=business, negotiation_id="n", message_id="m", text="Hi")
    event = WebhookEvent.objects.create(
        business=business, source="retell", event_type="call_started", dedupe_key="k", payload={}
    )
    integration = Integration.objects.create(
        business=business, name="I", url="https://example.com", events=["lead.created"]
    )
    delivery = Delivery.objects.create(
        business=business, integration=integration, message_id="msg_1", event_type="lead.created"
    )
    objects = {
        "lead": lead,
        "webhookevent": event,
        "delivery": delivery,
        "integration": integration,
    }
    for model in apps.get_models():
        if model._meta.app_label not in {"leads", "webhooks"}:
            continue
        assert admin.site.is_registered(model), model
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert admin_client.get(reverse(f"{label}_changelist")).status_code == 200
        if model._meta.model_name in objects:
            url = reverse(f"{label}_change", args=[objects[model._meta.model_name].pk])
            assert admin_client.get(url).status_code == 200


def test_admin_replay_action(admin_client, business, django_capture_on_commit_callbacks):
    event = WebhookEvent.objects.create(
        business=business,
        source="retell",
        event_type="call_started",
        dedupe_key="k",
        payload={"event": "call_started"},
        status="failed",
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:webhooks_webhookevent_changelist"),
            {"action": "replay", "_selected_action": [event.pk]},
        )
    event.refresh_from_db()
    assert event.status == "processed"


def test_saving_a_paused_integration_as_active_in_the_admin_resumes_it(admin_client, business):
    integration = Integration.objects.create(
        business=business,
        name="I",
        url="https://example.com/in",
        events=["lead.created"],
        is_active=False,
        paused_at="2026-01-01T00:00:00Z",
        paused_reason="10 deliveries in a row failed",
        consecutive_failures=10,
    )
    response = admin_client.post(
        reverse("admin:webhooks_integration_change", args=[integration.pk]),
        {
            "business": business.pk,
            "name": "I",
            "url": "https://example.com/in",
            "events": '["lead.created"]',
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.is_active and integration.paused_at is None
    assert integration.consecutive_failures == 0 and integration.paused_reason == ""
