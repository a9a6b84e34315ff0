"""Periodic work run by the task workers: a task that schedules its own next
run before it works, so the chain survives a run that fails or a worker
killed mid-run. A `manage.py` command starts the chain (once per deploy) and
can run the work from cron instead; both together are harmless."""

from django.utils import timezone


def database_backend(task_):
    """The task's backend when it keeps its queue in the database
    (django-tasks-db), else None: other backends cannot be asked."""
    from django_tasks_db.backend import DatabaseBackend

    backend = task_.get_backend()
    return backend if isinstance(backend, DatabaseBackend) else None


def schedule_next_run(task_, interval, *, now=None):
    """Make sure `task_` runs `interval` from now, unless a run is already
    queued. Returns True when it enqueued one, False when one was queued
    already, None when the backend cannot defer tasks (use cron)."""
    backend = task_.get_backend()
    if not backend.supports_defer:
        return None
    if database_backend(task_) is not None:
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        if DBTaskResult.objects.filter(
            backend_name=backend.alias,
            task_path=task_.module_path,
            status=TaskResultStatus.READY,
        ).exists():
            return False
    run_after = (now or timezone.now()) + interval
    task_.using(run_after=run_after).enqueue()
    return True
