from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"

    def ready(self):
        from account.events import business_event

        from . import receivers

        business_event.connect(receivers.deliver_business_event, dispatch_uid="webhooks.deliver")
