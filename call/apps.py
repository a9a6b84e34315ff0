from django.apps import AppConfig


class CallConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "call"
