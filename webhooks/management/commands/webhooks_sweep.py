"""Re-enqueue webhook work that has no task: events still unprocessed a while
after they arrived, and outbound deliveries that are due (see webhooks/sweep.py).

Run it from cron every minute, or once per deploy after `migrate`: with the
database task backend it also makes sure the workers' periodic sweep is
scheduled. With the immediate backend the work runs here, in the command."""

from django.core.management.base import BaseCommand

from webhooks import sweep


class Command(BaseCommand):
    help = (
        "Re-enqueue stalled webhook events and due outbound deliveries, and schedule the "
        "workers' periodic sweep."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=sweep.BATCH, help="At most this many of each kind."
        )

    def handle(self, *args, limit=sweep.BATCH, **options):
        result = sweep.sweep(limit=limit)
        self.stdout.write(
            f"{result.events} webhook events and {result.deliveries} deliveries re-enqueued."
        )
        scheduled = sweep.schedule_next_sweep()
        if scheduled is None:
            self.stdout.write(
                "The task backend runs tasks at once: run this command from cron every minute."
            )
        elif scheduled:
            self.stdout.write("Periodic sweep scheduled.")
        else:
            self.stdout.write("Periodic sweep already scheduled.")
