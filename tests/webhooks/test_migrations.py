"""Repeats stored as full copies before 0003 are folded into counts on their original."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from webhooks.models import WebhookEvent

BEFORE = [("webhooks", "0002_integration_moved_from_account")]


@pytest.mark.django_db(transaction=True)
def test_stored_repeats_are_folded_into_counts(business):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("webhooks", "WebhookEvent")
    now = timezone.now()

    def event(key, **fields):
        return old.objects.create(
            business_id=business.pk,
            source="retell",
            event_type="call_analyzed",
            dedupe_key=key,
            payload={"event": "call_analyzed", "padding": "x" * 1000},
            **fields,
        )

    repeated = event("call_analyzed:a", status="processed")
    for minutes in (1, 5):
        copy = event("call_analyzed:a", status="duplicate", duplicate_of=repeated)
        old.objects.filter(pk=copy.pk).update(received_at=now + timedelta(minutes=minutes))
    single = event("call_analyzed:b", status="failed")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(WebhookEvent.objects.values_list("pk", flat=True)) == {repeated.pk, single.pk}
    repeated = WebhookEvent.objects.get(pk=repeated.pk)
    assert repeated.duplicate_count == 2
    assert repeated.last_duplicate_at == now + timedelta(minutes=5)
    assert repeated.status == "processed"
    assert WebhookEvent.objects.get(pk=single.pk).duplicate_count == 0
