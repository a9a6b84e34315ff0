from django import forms
from django.core.exceptions import ValidationError

from . import texts
from .models import (
    MAX_INVOICE_DAY,
    MessageKind,
    NotificationSettings,
    validate_invoice_days,
)

TEXT_FIELDS = [(kind, f"{kind}_subject", f"{kind}_body") for kind in MessageKind.values]


def parse_days(value):
    """ "3, 10, 24" -> [3, 10, 24] (spaces, commas or semicolons between)."""
    parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
    days = []
    for part in parts:
        if not part.isdigit():
            raise ValidationError(
                f"“{part[:20]}” is not a whole number of days. Enter day counts such as 3, 10, 24."
            )
        days.append(int(part))
    return days


class NotificationSettingsForm(forms.ModelForm):
    invoice_reminder_days = forms.CharField(
        label="Days after the due date",
        max_length=60,
        help_text=(
            f"One reminder on each of these days after an invoice's due date, e.g. 3, 10, 24 "
            f"(at most {MAX_INVOICE_DAY} days). Reminders stop when the invoice is paid or void."
        ),
    )

    class Meta:
        model = NotificationSettings
        fields = [
            "confirmation_enabled",
            "reminder_enabled",
            "reminder_mode",
            "reminder_time",
            "reminder_hours_before",
            "invoice_reminders_enabled",
            "invoice_reminder_days",
            "crew_digest_enabled",
            "crew_digest_time",
            *[name for _, subject, body in TEXT_FIELDS for name in (subject, body)],
        ]
        widgets = {
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "crew_digest_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            **{f"{kind}_body": forms.Textarea(attrs={"rows": 6}) for kind in MessageKind.values},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            days = self.instance.invoice_reminder_days or []
            self.initial["invoice_reminder_days"] = ", ".join(str(day) for day in days)
        for kind, subject, body in TEXT_FIELDS:
            # The words in use are shown for editing: the business's own, else the defaults.
            defaults = dict(zip((subject, body), texts.DEFAULTS[kind], strict=True))
            if not self.is_bound:
                for name in (subject, body):
                    self.initial[name] = getattr(self.instance, name) or defaults[name]
            names = ", ".join(f"{{{name}}}" for name in texts.PLACEHOLDERS[kind])
            self.fields[subject].label = "Subject"
            self.fields[body].label = "Message"
            self.fields[
                body
            ].help_text = f"Placeholders: {names}. Empty the box to go back to the default text."

    def clean_invoice_reminder_days(self):
        days = parse_days(self.cleaned_data["invoice_reminder_days"])
        validate_invoice_days(days)
        return days

    def clean(self):
        cleaned = super().clean()
        for kind, subject, body in TEXT_FIELDS:
            for name in (subject, body):
                unknown = texts.unknown_placeholders(kind, cleaned.get(name, ""))
                if unknown:
                    offered = ", ".join(f"{{{n}}}" for n in texts.PLACEHOLDERS[kind])
                    shown = ", ".join(f"{{{n}}}" for n in unknown[:3])
                    self.add_error(
                        name, f"Unknown placeholder {shown}. This message offers {offered}."
                    )
            # The default words are stored as blank, so they follow the defaults.
            for name, default in zip((subject, body), texts.DEFAULTS[kind], strict=True):
                value = (cleaned.get(name) or "").replace("\r\n", "\n").strip()
                if name in cleaned:
                    cleaned[name] = "" if value == default else value
        return cleaned
