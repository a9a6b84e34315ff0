"""The people and companies a service business works for, with the places
it cleans for them. Bookings and leads link here (`booking.Booking.customer`,
`leads.Lead.customer`); matching and merging live in `customers.services`."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from account.models import Business
from core.phones import PhoneField

CUSTOMER_ID_PREFIX = "CU"


class Customer(models.Model):
    """One person or company the business serves. Within a business a phone
    number (E.164) or an email belongs to one customer at most: that is what
    makes a repeat caller the same customer (`customers.services.customer_match`)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="customers")
    public_id = models.CharField("customer ID", max_length=16, unique=True, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = PhoneField()
    company = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    archived = models.BooleanField(default=False)
    reminders_enabled = models.BooleanField(
        "send reminders",
        default=True,
        help_text="Booking confirmations and reminders by email to this customer.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "phone"],
                condition=~models.Q(phone=""),
                name="customers_customer_phone_unique",
                violation_error_message="Another customer of the business has this phone number.",
            ),
            models.UniqueConstraint(
                "business",
                Lower("email"),
                condition=~models.Q(email=""),
                name="customers_customer_email_unique",
                violation_error_message="Another customer of the business has this email.",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "name"]),
            models.Index(fields=["business", "-created_at"]),
        ]

    def __str__(self):
        return self.name

    @property
    def first_name(self):
        return split_name(self.name)[0]

    @property
    def last_name(self):
        return split_name(self.name)[1]


def split_name(name):
    """(first name, last name) of a full name: the first word, then the rest."""
    parts = (name or "").strip().split(None, 1)
    return tuple((parts + ["", ""])[:2])


class CustomerAddress(models.Model):
    """A place the business cleans for a customer, with its size."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    address = models.CharField(max_length=255)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    zip_code = models.CharField("ZIP code", max_length=20, blank=True)
    bedrooms = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(50)]
    )
    bathrooms = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    square_feet = models.PositiveIntegerField(
        "square feet", null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    access_notes = models.TextField(
        blank=True, help_text="Gate codes, keys, pets, parking: what the crew needs to get in."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "customer addresses"

    def __str__(self):
        return self.full_address

    @property
    def full_address(self):
        place = " ".join(p for p in (self.state, self.zip_code) if p)
        return ", ".join(p for p in (self.address, self.city, place) if p)

    @property
    def size_label(self):
        parts = []
        if self.bedrooms is not None:
            parts.append(f"{self.bedrooms} bd")
        if self.bathrooms is not None:
            parts.append(f"{self.bathrooms.normalize():f} ba")
        if self.square_feet:
            parts.append(f"{self.square_feet:,} sq ft")
        return " · ".join(parts)


class CustomerActivity(models.Model):
    """An entry of a customer's own timeline (bookings, invoices, payments and
    leads are read from their own tables and shown beside these)."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Details edited"
        MERGED = "merged", "Merged"
        ARCHIVED = "archived", "Archived"
        RESTORED = "restored", "Restored"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind)
    message = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "customer activities"
        indexes = [models.Index(fields=["customer", "-created_at"])]

    def __str__(self):
        return self.message
