"""Background work for messages. Tasks take ids and call `services`.

`notify_due` is the periodic pass run by the workers: it schedules its next
run (NOTIFY_INTERVAL later) before it looks for due messages, so the chain
survives a pass that fails. `manage.py send_reminders` starts the chain
(once per deploy, after `migrate`) and does a pass itself; run from cron
every few minutes it is enough on its own (the immediate backend has no
workers, so then the sends run in the command).
"""

from dataclasses import asdict

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import due, services


@task()
def send_confirmation(booking_id):
    return services.send_confirmation(booking_id)


@task()
def send_reminder(booking_id):
    return services.send_reminder(booking_id)


@task()
def send_invoice_reminder(invoice_id, step):
    return services.send_invoice_reminder(invoice_id, step)


@task()
def send_crew_digest(business_id, day, email):
    return services.send_crew_digest(business_id, day, email)


def _database_backend(task_):
    from django_tasks_db.backend import DatabaseBackend

    backend = task_.get_backend()
    return backend if isinstance(backend, DatabaseBackend) else None


def schedule_next_pass(*, now=None):
    """Make sure `notify_due` runs NOTIFY_INTERVAL from now unless a run is
    queued already. True when enqueued, False when one was queued, None when
    the backend cannot defer tasks (use cron)."""
    backend = notify_due.get_backend()
    if not backend.supports_defer:
        return None
    if _database_backend(notify_due) is not None:
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        if DBTaskResult.objects.filter(
            backend_name=backend.alias,
            task_path=notify_due.module_path,
            status=TaskResultStatus.READY,
        ).exists():
            return False
    run_after = (now or timezone.now()) + settings.NOTIFY_INTERVAL
    notify_due.using(run_after=run_after).enqueue()
    return True


@task()
def notify_due():
    """The workers' pass: schedule the next one first, then enqueue what is due."""
    schedule_next_pass()
    return asdict(due.enqueue_due())
