"""The demo business's booking page: on, Monday to Saturday, with payment
instructions. Idempotent."""

from .models import BookingPage
from .services import booking_page_for

DEMO_SLUG = "sparkle-demo"


def seed(*, business, owner, member):
    page = booking_page_for(business)
    if page.enabled:
        return
    if not BookingPage.objects.filter(slug=DEMO_SLUG).exclude(pk=page.pk).exists():
        page.slug = DEMO_SLUG
    page.enabled = True
    page.working_hours = {str(day): ["08:00", "17:00"] for day in range(6)}
    page.capacity = 2
    page.brand_color = "#0f766e"
    page.payment_instructions = (
        "Pay by card with the link below, or by check made out to the business."
    )
    page.payment_link_template = "https://pay.example.com/checkout?amount={amount}&ref={invoice}"
    page.save()
