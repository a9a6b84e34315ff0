from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"

    def ready(self):
        from account.events import business_event
        from account.models import Integration

        from . import receivers

        business_event.connect(receivers.deliver_business_event, dispatch_uid="webhooks.deliver")
        receivers.models_pre_save.connect(
            receivers.resume_reactivated_integration,
            sender=Integration,
            dispatch_uid="webhooks.resume_integration",
        )
