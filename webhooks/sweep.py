"""The sweep: nothing owed is lost when a task is.

The inbox (`WebhookEvent`) and the delivery log (`Delivery`) say what is
owed; a queued task is only a reminder, and reminders get lost: a worker
killed in the middle of a task (its task row stays "running" for ever), an
enqueue that failed after the commit, a queue emptied by hand. The sweep
finds the work that should be under way and has no live task (queued, or
running for less than SWEEP_AFTER), and enqueues it again:

- webhook events still `received` SWEEP_AFTER after they arrived, and not
  being processed right now (their row is not locked);
- outbound deliveries that are due (never sent, a retry whose time has come,
  or an attempt whose lease, SWEEP_AFTER, ran out without an outcome), for
  SWEEP_AFTER already when the task backend keeps a queue.

Enqueuing twice is harmless: processing an event is idempotent (a locked
status check, see `webhooks.inbox`), and a delivery attempt runs only while
the delivery is due and claims it first (see `webhooks.outbound`).

It runs two ways, and either is enough (both are harmless together):
- in the workers: `sweep_periodically` is a task that schedules its next run
  (SWEEP_INTERVAL later) before it sweeps, so the chain survives a sweep that
  fails or a worker killed mid-sweep. `manage.py webhooks_sweep` starts the
  chain (run it once per deploy, after `migrate`; `make serve` does);
- from cron: `manage.py webhooks_sweep` every minute. With the immediate
  backend (no worker) this is the only way, and the work runs in the command.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, Exists, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django_tasks import task

from core.tasks import database_backend, schedule_next_run

from . import inbox, outbound

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass
class SweepResult:
    events: int = 0
    deliveries: int = 0


_database_backend = database_backend


def _live_task(task_, argument, now):
    """A condition on a queryset of rows: a live `task_` task exists for the
    row (its keyword `argument` is the row's pk): queued (ready or deferred),
    or running for less than SWEEP_AFTER (a worker that has just taken it;
    one running longer is taken for dead: its worker was killed). None when
    the backend cannot tell (then every stalled row is enqueued)."""
    backend = _database_backend(task_)
    if backend is None:
        return None
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    target = Cast(
        KeyTextTransform(argument, KeyTransform("kwargs", "args_kwargs")), BigIntegerField()
    )
    live = Q(status=TaskResultStatus.READY) | Q(
        status=TaskResultStatus.RUNNING, started_at__gt=now - settings.WEBHOOK_SWEEP_AFTER
    )
    return Exists(
        DBTaskResult.objects.filter(live, backend_name=backend.alias, task_path=task_.module_path)
        .annotate(target=target)
        .filter(target=OuterRef("pk"))
    )


def _stalled(queryset, task_, argument, *, now, limit):
    """Pks of `queryset` that no worker holds right now (their rows are not
    locked) and no live task is there for, at most `limit`."""
    live = _live_task(task_, argument, now)
    if live is not None:
        queryset = queryset.exclude(live)
    with transaction.atomic():
        return list(
            queryset.select_for_update(skip_locked=True, of=("self",), no_key=True).values_list(
                "pk", flat=True
            )[:limit]
        )


def sweep(*, now=None, limit=BATCH):
    """Re-enqueue what is owed and has no task. Returns the counts."""
    now = now or timezone.now()
    result = SweepResult()
    events = _stalled(
        inbox.webhook_events_unprocessed(received_before=now - settings.WEBHOOK_SWEEP_AFTER),
        inbox.process_webhook_event,
        "event_id",
        now=now,
        limit=limit,
    )
    for event_id in events:
        inbox.process_webhook_event.enqueue(event_id=event_id)
    result.events = len(events)
    # With a queue, a new delivery's task is enqueued just after its commit:
    # wait SWEEP_AFTER before calling it lost. Without one (cron) it is not.
    queued = outbound.deliver.get_backend().supports_defer
    deliveries = _stalled(
        outbound.deliveries_due(now=now - settings.WEBHOOK_SWEEP_AFTER if queued else now),
        outbound.deliver,
        "delivery_id",
        now=now,
        limit=limit,
    )
    for delivery_id in deliveries:
        outbound.deliver.enqueue(delivery_id=delivery_id)
    result.deliveries = len(deliveries)
    if result.events or result.deliveries:
        logger.warning(
            "sweep re-enqueued events=%s deliveries=%s (ids: events %s, deliveries %s)",
            result.events,
            result.deliveries,
            events[:20],
            deliveries[:20],
        )
    return result


def schedule_next_sweep(*, now=None):
    """Make sure the periodic sweep runs SWEEP_INTERVAL from now, unless a run
    is already queued. Returns True when it enqueued one, False when one was
    queued already, None when the backend cannot defer tasks (use cron)."""
    return schedule_next_run(
        sweep_periodically, max(settings.WEBHOOK_SWEEP_INTERVAL, timedelta(0)), now=now
    )


@task()
def sweep_periodically():
    """The workers' sweep: schedule the next run first, then sweep."""
    schedule_next_sweep()
    return asdict(sweep())
