"""Production mode: the response waits only for storing; a worker processes."""

from io import StringIO

import pytest
from django.core.management import call_command

from leads.models import Lead
from webhooks.models import WebhookEvent

from .conftest import raw

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_webhook_is_stored_then_processed_by_the_worker(database_tasks, post_retell, business):
    from django_tasks_db.models import DBTaskResult

    response = post_retell(raw("retell/call_analyzed_booking.json"))
    assert response.status_code == 202
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.RECEIVED
    assert not Lead.objects.exists()
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.PROCESSED
    assert Lead.objects.get().name == "Maria Lopez"
