"""Add the visits of recurring series that have come into their horizon
(see booking/series.py).

Run it from cron (hourly is plenty), or once per deploy after `migrate`:
with the database task backend it also makes sure the workers' periodic
top-up is scheduled. Running it twice adds nothing the second time."""

from django.core.management.base import BaseCommand

from booking import series, tasks


class Command(BaseCommand):
    help = "Top up the visits of every active recurring series, and schedule the periodic top-up."

    def handle(self, *args, **options):
        looked_at, added = series.series_top_up_all()
        self.stdout.write(f"{looked_at} active series looked at, {added} visits added.")
        scheduled = tasks.schedule_next_top_up()
        if scheduled is None:
            self.stdout.write(
                "The task backend runs tasks at once: run this command from cron (hourly)."
            )
        elif scheduled:
            self.stdout.write("Periodic top-up scheduled.")
        else:
            self.stdout.write("Periodic top-up already scheduled.")
