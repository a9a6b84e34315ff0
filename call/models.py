from django.db import models


class Frequency(models.TextChoices):
    DAILY = "DAILY", "Daily"
    WEEKLY = "WEEKLY", "Weekly"
    BIWEEKLY = "BIWEEKLY", "Every two weeks"
    MONTHLY = "MONTHLY", "Monthly"


class CallPlan(models.Model):
    """How often a restaurant should be called, and when next. One per restaurant."""

    restaurant = models.OneToOneField(
        "restaurants.Restaurant", on_delete=models.CASCADE, related_name="call_plan"
    )
    frequency = models.CharField(max_length=10, choices=Frequency)
    last_called = models.DateTimeField(null=True, blank=True)
    next_call_date = models.DateTimeField()
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["next_call_date"])]

    def __str__(self):
        return f"{self.get_frequency_display()} calls to {self.restaurant}"
