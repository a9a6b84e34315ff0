from django.db import models

from account.models import Business
from config.ids import new_public_id


def new_lead_id():
    return new_public_id("LD")


class Lead(models.Model):
    """A potential customer of a service business, from any source."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Manual"
        RETELL = "retell", "Retell phone agent"
        THUMBTACK = "thumbtack", "Thumbtack"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        QUALIFIED = "qualified", "Qualified"
        CONVERTED = "converted", "Converted"
        LOST = "lost", "Lost"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="leads")
    public_id = models.CharField(max_length=16, unique=True, default=new_lead_id, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    source = models.CharField(max_length=20, choices=Source, default=Source.MANUAL)
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW)
    service_wanted = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="leads_lead_external_id_unique",
            )
        ]
        indexes = [
            models.Index(fields=["business", "status"]),
            models.Index(fields=["business", "-created_at"]),
        ]

    def __str__(self):
        return self.name
