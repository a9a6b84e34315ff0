import zoneinfo

from django.conf import settings
from django.db import models

from account.models import validate_timezone
from core.phones import PhoneField


class RestaurantStatus(models.TextChoices):
    NEW = "NEW", "New"
    CONTACTED = "CONTACTED", "Contacted"
    QUALIFIED = "QUALIFIED", "Qualified"
    NEGOTIATION = "NEGOTIATION", "Negotiation"
    CONVERTED = "CONVERTED", "Converted"
    LOST = "LOST", "Lost"


class Restaurant(models.Model):
    """A restaurant account that a key account manager works (the API's "lead")."""

    business = models.ForeignKey(
        "account.Business", on_delete=models.CASCADE, related_name="restaurants"
    )
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    phone = PhoneField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    cuisine = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=RestaurantStatus, default=RestaurantStatus.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_restaurants",
    )
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["business", "status"]),
            models.Index(fields=["business", "name"]),
            # The CRM list's city filter and suggestions, and "Recently added".
            models.Index(fields=["business", "city"]),
            models.Index(fields=["business", "-created_at"]),
        ]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)


class RestaurantStatusChange(models.Model):
    """One move of a restaurant through the status pipeline."""

    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=RestaurantStatus)
    to_status = models.CharField(max_length=20, choices=RestaurantStatus)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["restaurant", "-changed_at"])]

    def __str__(self):
        return f"{self.restaurant}: {self.from_status} → {self.to_status}"
