from django.db import models

from account.models import MONEY, Business
from config.ids import new_public_id
from core.phones import PhoneField


def new_lead_id():
    return new_public_id("LD")


class Lead(models.Model):
    """A potential customer of a service business, from any source."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Manual"
        RETELL = "retell", "Retell phone agent"
        THUMBTACK = "thumbtack", "Thumbtack"
        ONLINE = "online", "Booking page"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        QUALIFIED = "qualified", "Qualified"
        CONVERTED = "converted", "Converted"
        LOST = "lost", "Lost"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"

    OPEN_STATUSES = (Status.NEW, Status.CONTACTED, Status.QUALIFIED)

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="leads")
    public_id = models.CharField(max_length=16, unique=True, default=new_lead_id, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = PhoneField()
    source = models.CharField(max_length=20, choices=Source, default=Source.MANUAL)
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW)
    priority = models.CharField(max_length=10, choices=Priority, default=Priority.NORMAL)
    service_wanted = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        help_text="The customer this lead is (a repeat caller) or became.",
    )
    estimate_total = models.DecimalField(
        "estimate", **MONEY, null=True, blank=True, help_text="Quoted on the source platform."
    )
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
            models.Index(fields=["business", "phone"]),
            models.Index(fields=["business", "email"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def retell(self):
        return self.details.get("retell") or {}

    @property
    def thumbtack(self):
        return self.details.get("thumbtack") or {}


class LeadReference(models.Model):
    """An id on a source platform (Retell call, Thumbtack negotiation) that
    belongs to a lead. A lead can hold several: a caller who phones twice
    keeps one lead with two calls."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="references")
    source = models.CharField(max_length=20, choices=Lead.Source)
    external_id = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "source", "external_id"],
                name="leads_reference_unique",
            )
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.external_id}"


class LeadActivity(models.Model):
    """One entry of a lead's timeline."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        STATUS = "status", "Status changed"
        NOTE = "note", "Note"
        UPDATED = "updated", "Details edited"
        CALL = "call", "Phone call"
        THUMBTACK = "thumbtack", "Thumbtack request"
        MESSAGE = "message", "Message"
        REPEAT = "repeat", "Contacted again"
        BOOKING = "booking", "Booking"
        BOOKING_SKIPPED = "booking_skipped", "Booking not made"

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind)
    message = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(
        "account.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "lead activities"
        indexes = [models.Index(fields=["lead", "-created_at"])]

    def __str__(self):
        return self.message


class LeadMessage(models.Model):
    """A message of a Thumbtack negotiation. It may arrive before its lead:
    then `lead` is empty until the negotiation arrives."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="lead_messages")
    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    negotiation_id = models.CharField(max_length=100)
    message_id = models.CharField(max_length=100)
    sender = models.CharField(max_length=50, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "message_id"], name="leads_message_id_unique"
            )
        ]
        indexes = [models.Index(fields=["business", "negotiation_id"])]

    def __str__(self):
        return f"{self.sender}: {self.text[:40]}"
