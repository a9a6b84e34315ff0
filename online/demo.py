"""The demo business's booking page (on, Monday to Saturday, with payment
instructions) and one request from it waiting for the owner. Idempotent."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from booking.models import Booking, BookingSource, BookingStatus
from booking.services import booking_create

from .models import BookingPage
from .services import booking_page_for

DEMO_SLUG = "sparkle-demo"
REQUEST_EMAIL = "harper.request@example.com"


def seed(*, business, owner, member):
    page = booking_page_for(business)
    if not page.enabled:
        if not BookingPage.objects.filter(slug=DEMO_SLUG).exclude(pk=page.pk).exists():
            page.slug = DEMO_SLUG
        page.enabled = True
        page.working_hours = {str(day): ["08:00", "17:00"] for day in range(6)}
        page.capacity = 2
        page.brand_color = "#0f766e"
        page.payment_instructions = (
            "Pay by card with the link below, or by check made out to the business."
        )
        page.payment_link_template = (
            "https://pay.example.com/checkout?amount={amount}&ref={invoice}"
        )
        page.save()
    if not Booking.objects.filter(business=business, customer_email=REQUEST_EMAIL).exists():
        day = business.today() + timedelta(days=5)
        booking_create(
            business=business,
            customer_first_name="Harper",
            customer_last_name="Nguyen",
            customer_email=REQUEST_EMAIL,
            customer_phone="+15125550177",
            address="88 Pecan St",
            city="Austin",
            state="TX",
            zip_code="78702",
            service_type="standard",
            bedrooms=2,
            bathrooms=1,
            square_feet=900,
            start=timezone.make_aware(datetime.combine(day, time(10, 0)), business.tzinfo),
            special_requests="Booked on the booking page.",
            source=BookingSource.ONLINE,
            status=BookingStatus.REQUESTED,
        )
