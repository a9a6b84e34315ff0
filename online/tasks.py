"""Background sending of the booking page's emails (ids in, fetch, send)."""

from django_tasks import task

from booking.models import Booking


@task()
def send_booking_email(booking_id, kind, detail=""):
    from . import emails

    booking = Booking.objects.select_related("business").filter(pk=booking_id).first()
    if booking is None:
        return False
    return emails.send(booking, kind, detail)
