from django.apps import AppConfig


class RestaurantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "restaurants"

    def ready(self):
        from core.counts import count_generations_on_change, forget_on_change

        from .models import Restaurant

        # The API list's X-Total-Count is cached until a row changes (core.counts).
        count_generations_on_change(Restaurant)
        # The time zones that call.selectors.call_plans_due asks for.
        forget_on_change(Restaurant, "restaurant-zones")
