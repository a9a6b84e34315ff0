import base64
import secrets

from django.db import models

from account.events import BusinessEvent
from account.models import Business

from .targets import validate_target_url


class WebhookEvent(models.Model):
    """The inbox: every delivery to an inbound webhook, stored before it is
    processed, so that nothing is lost and a failure can be replayed. A
    repeat of a stored delivery (same dedupe key) is counted here, not kept
    again."""

    class Source(models.TextChoices):
        RETELL = "retell", "Retell"
        THUMBTACK = "thumbtack", "Thumbtack"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"
        IGNORED = "ignored", "Ignored"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="webhook_events")
    source = models.CharField(max_length=20, choices=Source)
    event_type = models.CharField(max_length=100, blank=True)
    dedupe_key = models.CharField(max_length=200)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.RECEIVED)
    error = models.TextField(blank=True)
    error_is_transient = models.BooleanField(
        default=False,
        help_text="The failure came from the server (a database or network error), not from "
        "the payload: a repeat of the delivery processes the event again.",
    )
    attempts = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(
        default=0, help_text="How many times the same delivery came again."
    )
    last_duplicate_at = models.DateTimeField(null=True, blank=True)
    lead = models.ForeignKey(
        "leads.Lead",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_events",
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "source", "dedupe_key"],
                name="webhooks_event_dedupe_key_unique",
            )
        ]
        indexes = [
            models.Index(fields=["business", "-received_at"]),
            models.Index(fields=["business", "status"]),
            # The sweep's question: which events still wait, oldest first.
            models.Index(
                fields=["received_at"],
                condition=models.Q(status="received"),
                name="webhooks_event_unprocessed",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.event_type or 'event'} #{self.pk}"

    @property
    def can_replay(self):
        return self.status in (self.Status.FAILED, self.Status.RECEIVED)

    @property
    def awaits_processing(self):
        """Not processed yet, or failed for a reason a new attempt may not
        meet again: a repeat of the delivery processes it."""
        return self.status == self.Status.RECEIVED or (
            self.status == self.Status.FAILED and self.error_is_transient
        )


def new_signing_secret():
    # Standard Webhooks secrets are base64 bytes with a "whsec_" prefix.
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class Integration(models.Model):
    """An outbound webhook: the business events it subscribes to are POSTed
    to `url`, signed with `signing_secret` (see webhooks.outbound)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="integrations")
    name = models.CharField(max_length=100)
    url = models.URLField("target URL", max_length=500, validators=[validate_target_url])
    events = models.JSONField(default=list)
    signing_secret = models.CharField(max_length=100, default=new_signing_secret)
    is_active = models.BooleanField("active", default=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    paused_reason = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def subscribes_to(self, event_type):
        return event_type in self.events

    def get_events_display(self):
        labels = dict(BusinessEvent.choices)
        return ", ".join(labels.get(e, e) for e in self.events)


class Delivery(models.Model):
    """One event sent to one outbound integration, with its retries."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="deliveries")
    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_snippet = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["integration", "-created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.integration_id} ({self.status})"

    @property
    def is_final(self):
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
