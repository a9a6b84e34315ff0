import re
from datetime import date

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from booking import validation
from booking.forms import BookingForm

from . import availability
from .choices import ONCE, frequency_choices
from .models import RESERVED_SLUGS, WEEKDAYS, BookingPage

FORM_TOKEN_SALT = "online.booking-form"
FORM_TOKEN_MAX_AGE = 24 * 3600
HONEYPOT = "website"
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
PAYMENT_PLACEHOLDERS = ("{amount}", "{invoice}")


# --- The public form's token (instead of the CSRF cookie, see online.framing) -------


def form_token(page):
    return signing.dumps({"p": page.pk}, salt=FORM_TOKEN_SALT)


def form_token_ok(page, token):
    try:
        payload = signing.loads(token or "", salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(payload, dict) and payload.get("p") == page.pk


# --- The public booking form ---------------------------------------------------------


def _slot_label(window, business):
    start = window.start
    end = window.end
    if business.uses_12_hour_clock:
        fmt = lambda t: t.strftime("%I:%M %p").lstrip("0")  # noqa: E731
    else:
        fmt = lambda t: t.strftime("%H:%M")  # noqa: E731
    return f"{fmt(start)} – {fmt(end)}"


class OnlineBookingForm(BookingForm):
    """The booking page's form: the booking form's fields and rules
    (`booking.validation`), an arrival window instead of a date and time,
    the frequency, and a honeypot field. Prices come from `quote()` only."""

    frequency = forms.ChoiceField(label="How often", choices=[(ONCE, "One time")], initial=ONCE)
    slot = forms.ChoiceField(
        label="Date and arrival window",
        error_messages={
            "required": "Choose a date and arrival window.",
            "invalid_choice": "That arrival window is not available any more; choose another.",
        },
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = [
        "service_type",
        "frequency",
        "bedrooms",
        "bathrooms",
        "square_feet",
        "slot",
        "address",
        "city",
        "state",
        "zip_code",
        "customer_first_name",
        "customer_last_name",
        "customer_email",
        "customer_phone",
        "special_requests",
    ]

    def __init__(self, *args, page, windows=None, **kwargs):
        super().__init__(*args, business=page.business, **kwargs)
        self.page = page
        for name in ("date", "start_time", "duration_minutes", "lead", "customer_company"):
            del self.fields[name]
        self.fields["frequency"].choices = frequency_choices(page.business)
        self.fields["customer_email"].required = True
        self.fields["customer_email"].widget.attrs["autocomplete"] = "email"
        self.fields["customer_email"].error_messages["required"] = "Enter your email address."
        self.fields["customer_phone"].required = True
        self.fields["customer_phone"].error_messages["required"] = "Enter your phone number."
        self.fields["special_requests"].label = "Notes for the crew"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["customer_first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["customer_last_name"].widget.attrs["autocomplete"] = "family-name"
        self.windows = windows
        self.fields["slot"].choices = self._slot_choices()
        self.order_fields(self.field_order)

    def _slot_choices(self):
        if self.windows is None:
            return []
        business = self.page.business
        return [("", "Choose a time")] + [
            (
                day.strftime("%A, %B %-d"),
                [(w.value, _slot_label(w, business)) for w in day_windows],
            )
            for day, day_windows in availability.grouped(self.windows)
        ]

    def clean(self):
        data = self.cleaned_data
        start = availability.parse_window(self.page, data.get("slot"))
        if start is not None:
            local = timezone.localtime(start, self.page.business.tzinfo)
            data["date"], data["start_time"] = local.date(), local.time()
        data = super().clean()
        if start is not None:
            self.start = start
        self._move_start_errors()
        return data

    def _move_start_errors(self):
        """The booking form reports the start as a form-wide error (it has no
        single start field); here the arrival window is that field."""
        texts = {
            validation.missing_message("start"),
            *(
                validation.message("start", rule)
                for rule in ("start", "start_past", "start_future")
            ),
        }
        general = self._errors.get(forms.forms.NON_FIELD_ERRORS) if self._errors else None
        if not general:
            return
        moved = [text for text in general if text in texts]
        if not moved:
            return
        kept = [text for text in general if text not in texts]
        if kept:
            self._errors[forms.forms.NON_FIELD_ERRORS] = self.error_class(kept)
        else:
            del self._errors[forms.forms.NON_FIELD_ERRORS]
        if "slot" not in self._errors:
            self.add_error("slot", moved[0])

    def booking_fields(self):
        fields = super().booking_fields()
        fields["start"] = self.start
        return fields


def progress_values(page, data):
    """What a visitor chose so far, as raw values (for their lead), or None when
    the email is not valid yet."""
    email = str(data.get("customer_email") or "").strip()
    check = validation.validate_booking(page.business, {"customer_email": email}, partial=True)
    if not email or check.errors:
        return None
    names = [*validation.FIELD_ORDER, "frequency"]
    values = {}
    for name in names:
        value = data.get(name)
        if isinstance(value, str):
            values[name] = value.strip()[:500]
    values["customer_email"] = email
    start = availability.parse_window(page, data.get("slot"))
    if start is not None:
        values["start"] = start.isoformat()
    values["addons"] = {
        key[len(validation.ADDON_PREFIX) :]: str(value)[:3]
        for key, value in data.items()
        if key.startswith(validation.ADDON_PREFIX) and str(value).strip() not in ("", "0")
    }
    values.pop("duration_minutes", None)
    return values


class RescheduleForm(forms.Form):
    slot = forms.ChoiceField(
        label="New date and arrival window",
        error_messages={
            "required": "Choose a new date and arrival window.",
            "invalid_choice": "That arrival window is not available; choose another.",
        },
    )

    def __init__(self, *args, page, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        business = page.business
        self.fields["slot"].choices = [("", "Choose a time")] + [
            (
                day.strftime("%A, %B %-d"),
                [(w.value, _slot_label(w, business)) for w in day_windows],
            )
            for day, day_windows in availability.grouped(windows)
        ]

    def clean_slot(self):
        start = availability.parse_window(self.page, self.cleaned_data["slot"])
        if start is None:
            raise ValidationError("Choose a new date and arrival window.")
        return start


# --- The owner's settings --------------------------------------------------------------


class BookingPageForm(forms.ModelForm):
    days_off_text = forms.CharField(
        label="Days off",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-12-25\n2027-01-01"}),
        help_text="One date a line (YYYY-MM-DD): no bookings on these days.",
    )

    class Meta:
        model = BookingPage
        fields = [
            "enabled",
            "slug",
            "mode",
            "lead_time_hours",
            "horizon_days",
            "capacity",
            "window_minutes",
            "change_cutoff_hours",
            "allow_series_changes",
            "brand_color",
            "payment_instructions",
            "payment_link_template",
        ]
        widgets = {
            "mode": forms.RadioSelect,
            "payment_instructions": forms.Textarea(attrs={"rows": 3}),
            "brand_color": forms.TextInput(attrs={"placeholder": "#0d6efd"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        self.fields["days_off_text"].initial = "\n".join(page.days_off or [])
        self.hour_names = []
        for day, name in enumerate(WEEKDAYS):
            hours = (page.working_hours or {}).get(str(day)) or ["", ""]
            opens, closes = f"opens_{day}", f"closes_{day}"
            self.fields[opens] = forms.TimeField(
                label=f"{name} opens", required=False, widget=TIME, initial=hours[0] or None
            )
            self.fields[closes] = forms.TimeField(
                label=f"{name} closes", required=False, widget=TIME, initial=hours[1] or None
            )
            self.hour_names.append((name, opens, closes))

    @property
    def hour_rows(self):
        return [(name, self[opens], self[closes]) for name, opens, closes in self.hour_names]

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise ValidationError("That address is reserved; choose another.")
        if len(slug) < 3:
            raise ValidationError("Use at least 3 characters.")
        if BookingPage.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another business uses that address; choose another.")
        return slug

    def clean_brand_color(self):
        value = (self.cleaned_data.get("brand_color") or "").strip()
        if value and not COLOR.match(value):
            raise ValidationError("Use a colour such as #0d6efd.")
        return value.lower()

    def clean_payment_link_template(self):
        value = (self.cleaned_data.get("payment_link_template") or "").strip()
        if not value:
            return ""
        if not value.lower().startswith(("https://", "http://")):
            raise ValidationError("Use a link that starts with https://.")
        try:
            value.format(amount="1.00", invoice="INV-0001")
        except (KeyError, IndexError, ValueError):
            raise ValidationError(
                "Only {amount} and {invoice} may appear in braces in the link."
            ) from None
        return value

    def clean_days_off_text(self):
        days = []
        for line in (self.cleaned_data.get("days_off_text") or "").split():
            try:
                day = date.fromisoformat(line.strip().rstrip(","))
            except ValueError:
                raise ValidationError(f"“{line}” is not a date such as 2026-12-25.") from None
            if day.isoformat() not in days:
                days.append(day.isoformat())
        if len(days) > 366:
            raise ValidationError("List at most 366 days off.")
        return sorted(days)

    def clean(self):
        data = super().clean()
        hours = {}
        for day, (name, opens, closes) in enumerate(self.hour_names):
            start, end = data.get(opens), data.get(closes)
            if start is None and end is None:
                continue
            if start is None or end is None:
                self.add_error(closes, f"{name}: give both the opening and the closing time.")
                continue
            if not start < end:
                self.add_error(closes, f"{name}: closing must be after opening.")
                continue
            hours[str(day)] = [start.strftime("%H:%M"), end.strftime("%H:%M")]
        self.cleaned_hours = hours
        return data

    def save(self, commit=True):
        page = super().save(commit=False)
        page.working_hours = self.cleaned_hours
        page.days_off = self.cleaned_data["days_off_text"]
        if commit:
            page.save()
        return page


def payment_link(page, invoice):
    """The page's payment link with the invoice's amount due and number, or ""."""
    if not page.payment_link_template or not invoice.amount_due:
        return ""
    from urllib.parse import quote

    return page.payment_link_template.format(
        amount=quote(str(invoice.amount_due)), invoice=quote(invoice.number or invoice.public_id)
    )
