"""A new booking's confirmation: enqueued once the booking has committed."""

from django.db import transaction

from .models import NotificationSettings


def confirm_new_booking(sender, *, business, event_type, data, **kwargs):
    if event_type != "booking.created" or not isinstance(data, dict):
        return
    if not (data.get("customer") or {}).get("email"):
        return
    if not NotificationSettings.objects.filter(
        business=business, confirmation_enabled=True
    ).exists():
        return
    public_id = data.get("booking_id")

    def enqueue():
        from booking.models import Booking

        from .tasks import send_confirmation

        booking_id = (
            Booking.objects.filter(business=business, public_id=public_id)
            .values_list("pk", flat=True)
            .first()
        )
        if booking_id is not None:
            send_confirmation.enqueue(booking_id=booking_id)

    # A queue that cannot take it is covered by the scheduler's next pass.
    transaction.on_commit(enqueue, robust=True)
