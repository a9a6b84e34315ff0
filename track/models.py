from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class InteractionType(models.TextChoices):
    CALL = "CALL", "Call"
    EMAIL = "EMAIL", "Email"
    MEETING = "MEETING", "Meeting"
    VISIT = "VISIT", "Visit"
    ORDER = "ORDER", "Order"
    OTHER = "OTHER", "Other"


class Interaction(models.Model):
    """Something that happened with a restaurant: a call, an email, an order…"""

    restaurant = models.ForeignKey(
        "restaurants.Restaurant", on_delete=models.CASCADE, related_name="interactions"
    )
    contact = models.ForeignKey(
        "contact.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    interaction_type = models.CharField(max_length=10, choices=InteractionType)
    details = models.TextField(blank=True)
    order_placed = models.BooleanField(default=False)
    date = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["restaurant", "date"]),
            models.Index(fields=["restaurant", "order_placed"]),
        ]

    def __str__(self):
        kind = self.get_interaction_type_display()
        return f"{kind} with {self.restaurant_id} on {self.date:%Y-%m-%d}"


class Order(models.Model):
    """The order recorded by an interaction with `order_placed`."""

    interaction = models.OneToOneField(Interaction, on_delete=models.CASCADE, related_name="order")
    product_details = models.CharField(max_length=500)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    total_price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    order_date = models.DateTimeField()

    class Meta:
        ordering = ["-order_date", "-id"]
        # Recent orders of a business (the pipeline board's last 90 days).
        indexes = [models.Index(fields=["order_date"])]

    def __str__(self):
        return f"{self.quantity} × {self.product_details}"
