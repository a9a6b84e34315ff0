"""Send outbound deliveries whose retry time has come.

With the database task backend retries are scheduled by the worker and this
command is not needed; with the immediate backend, run it from cron (every
minute) so failed deliveries are retried."""

from django.core.management.base import BaseCommand

from webhooks import outbound


class Command(BaseCommand):
    help = "Retry due outbound webhook deliveries."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args, limit=100, **options):
        ids = outbound.deliveries_due(limit=limit)
        for delivery_id in ids:
            outbound.delivery_attempt(delivery_id=delivery_id)
        self.stdout.write(f"{len(ids)} deliveries attempted.")
