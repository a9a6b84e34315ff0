from django.apps import AppConfig


class LeadsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "leads"

    def ready(self):
        from account.events import business_event

        from . import receivers

        business_event.connect(
            receivers.record_booking_on_lead, dispatch_uid="leads.record_booking_on_lead"
        )
