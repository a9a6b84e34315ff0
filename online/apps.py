from django.apps import AppConfig


class OnlineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "online"
    verbose_name = "Online booking"

    def ready(self):
        from booking.emails import invoice_email_context

        from . import receivers

        invoice_email_context.connect(
            receivers.invoice_email_link, dispatch_uid="online.invoice_email_link"
        )
