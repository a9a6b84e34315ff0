"""The workers' periodic pass with the database task backend."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notify import tasks
from notify.models import MessageKind, NotificationSettings, SentMessage

from .conftest import switch_on
from .helpers import booking_at, hours_from_now

NOTIFY_DUE = "notify.tasks.notify_due"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def task_rows(path=None):
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.all()
    return rows.filter(task_path=path) if path else rows


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_periodic_pass_schedules_itself_once_and_sends_due_reminders(database_tasks, business):
    from django_tasks_db.compat import TaskResultStatus

    switch_on(
        business,
        confirmation_enabled=False,
        reminder_mode=NotificationSettings.ReminderMode.HOURS_BEFORE,
        reminder_hours_before=24,
    )
    booking = booking_at(business, hours_from_now(20))

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 reminders" in out.getvalue() and "Periodic pass scheduled" in out.getvalue()
    assert tasks.schedule_next_pass() is False  # already queued
    run_worker()  # sends the enqueued reminder; the pass waits for its time
    assert len(mail.outbox) == 1

    # The pass runs: it schedules the next one first, finds nothing new to send.
    task_rows(NOTIFY_DUE).update(run_after=timezone.now())
    run_worker()
    done = task_rows(NOTIFY_DUE).filter(status=TaskResultStatus.SUCCESSFUL).get()
    assert done.return_value == {"confirmations": 0, "reminders": 0, "invoices": 0, "crew": 0}
    assert task_rows(NOTIFY_DUE).filter(status=TaskResultStatus.READY).count() == 1
    assert len(mail.outbox) == 1
    assert SentMessage.objects.get().booking_id == booking.pk
    assert SentMessage.objects.get().kind == MessageKind.REMINDER
