from django.apps import AppConfig


class ContactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contact"

    def ready(self):
        from core.counts import count_generations_on_change

        from .models import Contact

        # The API list's X-Total-Count is cached until a row changes (core.counts).
        count_generations_on_change(Contact)
