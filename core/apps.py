from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Rules shared by every app (phones, money, time, display). The lowest
    layer: imports nothing from the project's other apps."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
