"""The public booking page's settings, the locks that keep its capacity, the
customer's own links, and the changes customers make through them."""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from account.models import Business
from booking.models import Booking

# Paths that a booking page slug may not take (they read as the app's own).
RESERVED_SLUGS = frozenset(
    {
        "account",
        "admin",
        "api",
        "book",
        "booking",
        "bookings",
        "c",
        "call",
        "contact",
        "crm",
        "dashboard",
        "help",
        "invoice",
        "invoices",
        "leads",
        "login",
        "logout",
        "media",
        "new",
        "quote",
        "register",
        "restaurants",
        "settings",
        "static",
        "support",
        "track",
        "webhook",
        "www",
    }
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def default_working_hours():
    """{weekday (0 = Monday) as text: ["HH:MM", "HH:MM"]}; a missing day is closed."""
    return {str(day): ["08:00", "17:00"] for day in range(5)}


class BookingMode(models.TextChoices):
    INSTANT = "instant", "Confirmed at once"
    REQUEST = "request", "Requests wait for my confirmation"


class BookingPage(models.Model):
    """A business's public booking page (`/book/<slug>/`) and its policy."""

    business = models.OneToOneField(Business, on_delete=models.CASCADE, related_name="booking_page")
    enabled = models.BooleanField("page is on", default=False)
    slug = models.SlugField(
        "page address", max_length=60, unique=True, help_text="Letters, digits and hyphens."
    )
    mode = models.CharField(
        "new bookings", max_length=10, choices=BookingMode, default=BookingMode.INSTANT
    )
    working_hours = models.JSONField(default=default_working_hours, blank=True)
    days_off = models.JSONField(default=list, blank=True)
    lead_time_hours = models.PositiveIntegerField(
        "lead time (hours)",
        default=24,
        validators=[MaxValueValidator(24 * 60)],
        help_text="No bookings sooner than this.",
    )
    horizon_days = models.PositiveIntegerField(
        "book up to (days ahead)",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    capacity = models.PositiveIntegerField(
        "jobs at the same time",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Blank: the number of cleaners on your team (at least 1).",
    )
    window_minutes = models.PositiveIntegerField(
        "arrival window (minutes)",
        default=120,
        validators=[MinValueValidator(30), MaxValueValidator(12 * 60)],
    )
    change_cutoff_hours = models.PositiveIntegerField(
        "changes allowed until (hours before)",
        default=24,
        validators=[MaxValueValidator(24 * 30)],
        help_text="Customers reschedule or cancel online until this many hours before the start; "
        "later they see your phone number.",
    )
    allow_series_changes = models.BooleanField(
        "customers may skip or cancel recurring visits", default=True
    )
    brand_color = models.CharField(
        "brand colour",
        max_length=7,
        blank=True,
        help_text="Such as #0d6efd; blank for the default.",
    )
    payment_instructions = models.TextField(
        blank=True, help_text="Shown on the customer's invoice page: how to pay you."
    )
    payment_link_template = models.URLField(
        "payment link",
        max_length=500,
        blank=True,
        help_text="Optional, such as https://pay.example.com/?amount={amount}&ref={invoice}.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"/book/{self.slug}/"


class DayLock(models.Model):
    """One row per business and local day, locked (SELECT … FOR UPDATE) while an
    online booking on that day is checked against capacity and written, so two
    customers racing for the last window cannot both get it."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "day"], name="online_daylock_unique")
        ]

    def __str__(self):
        return f"{self.business_id} {self.day}"


def new_nonce():
    return secrets.token_urlsafe(16)


class CustomerLink(models.Model):
    """The nonce inside a booking's customer links: rotating it revokes every
    link sent so far."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="customer_link")
    nonce = models.CharField(max_length=40, default=new_nonce)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"link of {self.booking_id}"


class CustomerChange(models.Model):
    """A change a customer made through their link (for the owner's dashboard)."""

    class Kind(models.TextChoices):
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        SKIPPED = "skipped", "Skipped a visit"
        SERIES_ENDED = "series_ended", "Stopped the recurring visits"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind)
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["business", "-created_at"])]

    def __str__(self):
        return self.message
