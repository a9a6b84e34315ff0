"""Enqueue every message that is due (confirmations whose task was lost,
day-before reminders, overdue-invoice reminders, crew emails), and make
sure the workers' periodic pass is scheduled (see notify/tasks.py).

Run it from cron every few minutes, or once per deploy after `migrate` when
workers run (`manage.py db_worker`). With the immediate task backend the
emails are sent here, in the command."""

from django.core.management.base import BaseCommand

from notify import due, tasks


class Command(BaseCommand):
    help = "Send due reminders and confirmations, and schedule the workers' periodic pass."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=due.BATCH, help="At most this many of each kind."
        )

    def handle(self, *args, limit=due.BATCH, **options):
        result = due.enqueue_due(limit=limit)
        self.stdout.write(
            f"{result.confirmations} confirmations, {result.reminders} reminders, "
            f"{result.invoices} invoice reminders and {result.crew} crew emails enqueued."
        )
        scheduled = tasks.schedule_next_pass()
        if scheduled is None:
            self.stdout.write(
                "The task backend runs tasks at once: run this command from cron every few minutes."
            )
        elif scheduled:
            self.stdout.write("Periodic pass scheduled.")
        else:
            self.stdout.write("Periodic pass already scheduled.")
