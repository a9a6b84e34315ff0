from django.apps import AppConfig


class LeadsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "leads"

    def ready(self):
        from account.events import business_event
        from core.counts import forget_on_change

        from . import receivers
        from .models import Lead

        # The lead list's cached counts by status (core.counts).
        forget_on_change(Lead, "leads")
        business_event.connect(
            receivers.record_booking_on_lead, dispatch_uid="leads.record_booking_on_lead"
        )
