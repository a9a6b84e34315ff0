"""The former name of `webhooks_sweep`, kept so existing cron entries keep
working: it runs the same sweep (which sends due outbound retries)."""

from .webhooks_sweep import Command as SweepCommand


class Command(SweepCommand):
    help = "Deprecated name of webhooks_sweep."
