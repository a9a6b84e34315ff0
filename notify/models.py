"""Per-business reminder settings and the log of every message sent.

`SentMessage` is both the log shown on bookings and invoices and the lock
that makes a message go out once: a row is inserted (claimed) before the
email is sent, and (business, reason key) is unique, so a second worker or a
retried task finds the row and sends nothing. See `notify/log.py`.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from account.models import Business
from booking.models import Booking, Invoice

DEFAULT_INVOICE_DAYS = [3, 10, 24]
MAX_INVOICE_DAY = 90
MAX_INVOICE_STEPS = 6
MAX_HOURS_BEFORE = 72


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Booking confirmation"
    REMINDER = "reminder", "Reminder the day before"
    INVOICE_OVERDUE = "invoice_overdue", "Overdue invoice reminder"
    CREW_DIGEST = "crew_digest", "Crew: jobs of tomorrow"


def default_invoice_days():
    return list(DEFAULT_INVOICE_DAYS)


def validate_invoice_days(value):
    """A list of 1 to MAX_INVOICE_STEPS whole day counts, each from 1 to
    MAX_INVOICE_DAY, strictly increasing."""
    if not isinstance(value, list) or not value:
        raise ValidationError("Enter at least one day count, for example 3, 10, 24.")
    if len(value) > MAX_INVOICE_STEPS:
        raise ValidationError(f"Enter at most {MAX_INVOICE_STEPS} reminders.")
    for day in value:
        if not isinstance(day, int) or isinstance(day, bool):
            raise ValidationError("Each reminder is a whole number of days.")
        if not 1 <= day <= MAX_INVOICE_DAY:
            raise ValidationError(f"Each day count is between 1 and {MAX_INVOICE_DAY}.")
    if any(b <= a for a, b in zip(value, value[1:], strict=False)):
        raise ValidationError("List the day counts from smallest to largest, each once.")


class NotificationSettings(models.Model):
    """What a business sends, when, and in which words. A business without
    a row has the defaults: every message switched off until the owner or
    office turns it on, so no customer is emailed by surprise."""

    class ReminderMode(models.TextChoices):
        DAY_BEFORE_AT = "day_before_at", "At a set time the day before"
        HOURS_BEFORE = "hours_before", "A number of hours before the start"

    business = models.OneToOneField(
        Business, on_delete=models.CASCADE, related_name="notification_settings"
    )
    confirmation_enabled = models.BooleanField("send booking confirmations", default=False)
    reminder_enabled = models.BooleanField("send reminders the day before", default=False)
    invoice_reminders_enabled = models.BooleanField("send overdue invoice reminders", default=False)
    crew_digest_enabled = models.BooleanField(
        "email the crew their jobs of tomorrow", default=False
    )
    reminder_mode = models.CharField(
        "when the reminder goes out",
        max_length=16,
        choices=ReminderMode,
        default=ReminderMode.DAY_BEFORE_AT,
    )
    reminder_time = models.TimeField(
        "time the day before", default=dt.time(17, 0), help_text="In the business's time zone."
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        "hours before the start",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS_BEFORE)],
    )
    invoice_reminder_days = models.JSONField(
        "days after the due date",
        default=default_invoice_days,
        validators=[validate_invoice_days],
    )
    # The last day of the schedule (kept by save()): lets the scheduler skip
    # invoices that had every reminder in one SQL condition.
    invoice_last_day = models.PositiveSmallIntegerField(default=DEFAULT_INVOICE_DAYS[-1])
    crew_digest_time = models.TimeField(
        "crew email time", default=dt.time(18, 0), help_text="The day before, local time."
    )
    # Editable words: blank means the default text (notify/texts.py).
    confirmation_subject = models.CharField(max_length=200, blank=True)
    confirmation_body = models.TextField(blank=True)
    reminder_subject = models.CharField(max_length=200, blank=True)
    reminder_body = models.TextField(blank=True)
    invoice_overdue_subject = models.CharField(max_length=200, blank=True)
    invoice_overdue_body = models.TextField(blank=True)
    crew_digest_subject = models.CharField(max_length=200, blank=True)
    crew_digest_body = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"Reminders of {self.business}"

    def save(self, *args, **kwargs):
        days = self.invoice_reminder_days or DEFAULT_INVOICE_DAYS
        self.invoice_last_day = max(days)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "invoice_last_day"}
        super().save(*args, **kwargs)

    def enabled(self, kind):
        return {
            MessageKind.CONFIRMATION: self.confirmation_enabled,
            MessageKind.REMINDER: self.reminder_enabled,
            MessageKind.INVOICE_OVERDUE: self.invoice_reminders_enabled,
            MessageKind.CREW_DIGEST: self.crew_digest_enabled,
        }[kind]


class SentMessage(models.Model):
    """One message for one reason: the claim before sending and the log after."""

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="sent_messages")
    kind = models.CharField(max_length=20, choices=MessageKind)
    reason_key = models.CharField(max_length=200)
    to = models.EmailField()
    subject = models.CharField(max_length=300, blank=True)
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="sent_messages"
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, null=True, blank=True, related_name="sent_messages"
    )
    # What the message was about: the booking start a reminder announced, the
    # overdue step (days after the due date) of an invoice reminder.
    booking_start = models.DateTimeField(null=True, blank=True)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "reason_key"], name="notify_sentmessage_once_per_reason"
            )
        ]
        indexes = [
            models.Index(fields=["booking", "kind"]),
            models.Index(fields=["invoice", "kind"]),
            models.Index(fields=["status", "claimed_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to} ({self.reason_key})"
