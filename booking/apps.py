from django.apps import AppConfig


class BookingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "booking"

    def ready(self):
        from core.counts import forget_on_change

        from .models import Booking, Invoice

        # The list pages' cached summary figures (core.counts).
        forget_on_change(Booking, "bookings")
        forget_on_change(Invoice, "invoices")
