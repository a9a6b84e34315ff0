from django.apps import AppConfig, apps
from django.core.management import call_command
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """Rules shared by every app (phones, money, time, display). The lowest
    layer: imports nothing from the project's other apps."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        # Once per `migrate` (post_migrate is sent for each app with models;
        # the sessions app, which also keeps state shared between processes).
        post_migrate.connect(
            create_cache_table,
            sender=apps.get_app_config("sessions"),
            dispatch_uid="core.cache_table",
        )


def create_cache_table(sender, using="default", **kwargs):
    """`migrate` creates the table of the database cache (CACHES in
    config/settings.py) when one is configured, so no deployment can miss the
    `createcachetable` step. Nothing happens when the table exists or the
    cache is elsewhere."""
    call_command("createcachetable", database=using, verbosity=0)
