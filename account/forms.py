import zoneinfo
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import time as local_time
from core.money import MAX_AMOUNT, format_money
from core.phones import business_country, business_region, region_of, set_phone_region

from . import logos
from .kinds import Kind
from .models import (
    LARGEST_BOOKING,
    Addon,
    Business,
    BusinessCredentials,
    BusinessSettings,
    ClockFormat,
    Membership,
    User,
    largest_booking_total,
    validate_timezone,
)
from .tenancy import get_membership

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
TIMEZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]


EMAIL_TAKEN = "A user with this email already exists."
USERNAME_TAKEN = "A user with that username already exists."


def clean_unique_email(email, exclude_pk=None):
    email = (email or "").strip()
    if email and User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        raise ValidationError(EMAIL_TAKEN)
    return email


def save_new_user(form, create):
    """Run `create()` (which inserts a user from `form`'s username and email)
    and return its result; when another request took the username or email
    in the meantime (the database's unique constraints refuse the insert),
    put the error on the form and return None instead."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        username = form.cleaned_data.get("username", "")
        email = form.cleaned_data.get("email", "")
        if User.objects.filter(username__iexact=username).exists():
            form.add_error("username", USERNAME_TAKEN)
        if email and User.objects.filter(email__iexact=email).exists():
            form.add_error("email", EMAIL_TAKEN)
        if not form.errors:
            form.add_error(None, "The account could not be created. Please try again.")
        return None


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Username or email",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": "That username or email and password do not match. "
        "Passwords are case-sensitive.",
        "inactive": "This account is inactive.",
    }


class RegisterForm(UserCreationForm):
    email = forms.EmailField(required=True)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "first_name", "last_name")

    def clean_email(self):
        return clean_unique_email(self.cleaned_data["email"])


class ProfileForm(forms.ModelForm):
    email = forms.EmailField(required=True)

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "phone", "time_zone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = get_membership(self.instance) if self.instance.pk else None
        zone = membership.business.timezone if membership else "the business's"
        self.fields["time_zone"] = forms.ChoiceField(
            label="Time zone",
            choices=[("", f"Same as the business ({zone})"), *TIMEZONE_CHOICES],
            required=False,
            validators=[validate_timezone],
            help_text="“Today” on the restaurant pages and your calls agenda follows it.",
        )
        set_phone_region(self, business_region(membership.business if membership else None))

    def clean_email(self):
        return clean_unique_email(self.cleaned_data["email"], exclude_pk=self.instance.pk)


class SignInDetailsForm(forms.ModelForm):
    """Change username or email; the current password confirms it is you."""

    email = forms.EmailField(required=True)
    current_password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Confirm with your current password.",
    )

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_email(self):
        return clean_unique_email(self.cleaned_data["email"], exclude_pk=self.instance.pk)

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.instance.check_password(password):
            raise ValidationError("Your current password is not correct.")
        return password


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the key is for, such as “Reporting script”."
    )


class SignOutEverywhereForm(forms.Form):
    revoke_api_keys = forms.BooleanField(
        label="Also revoke my API keys",
        required=False,
        help_text="API keys are separate credentials: without this, scripts using them "
        "keep working.",
    )


class RevokeApiKeyForm(forms.Form):
    key_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class BusinessForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        choices=TIMEZONE_CHOICES,
        initial="America/Chicago",
        validators=[validate_timezone],
        help_text="Bookings and “today” follow this time zone.",
    )

    class Meta:
        model = Business
        fields = ("name", "kind", "email", "phone", "address", "timezone", "currency")
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The business's own number is read in the country of its currency
        # (as chosen in this form), else of its number so far.
        currency = self.data.get(self.add_prefix("currency")) or self.instance.currency
        region = region_of(currency=currency) or region_of(self.instance.phone, currency)
        set_phone_region(self, region)
        kind = self.fields["kind"]
        kind.required = False  # a form posted without it keeps what the business does
        kind.label = "What does the business do?"
        kind.help_text = (
            "Fieldbook shows only what applies: bookings, invoices, leads and the phone agent "
            "for home services; the restaurant CRM for account management. You can change "
            "this later."
        )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind or Kind.BOTH


class LogoField(forms.ImageField):
    """An image field that refuses images over the logo pixel limit from
    their header, before Django's own check decodes anything."""

    def to_python(self, data):
        if data and hasattr(data, "seek"):
            try:
                data.seek(0)
                with logos.open_logo(data):
                    pass
            except logos.LogoTooLarge as exc:
                raise ValidationError(str(exc), code="too_large") from exc
            except Exception:  # noqa: S110 (not an image: Django's check below says so)
                pass
            finally:
                data.seek(0)
        return super().to_python(data)


class BusinessEditForm(BusinessForm):
    class Meta(BusinessForm.Meta):
        fields = BusinessForm.Meta.fields + ("logo",)
        field_classes = {"logo": LogoField}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.instance.logo:
            return logo
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError("The logo must be 2 MB or smaller.")
        try:
            logo.seek(0)
            with logos.open_logo(logo) as image:
                image.verify()
                image_format = image.format
        except logos.LogoTooLarge as exc:
            raise ValidationError(str(exc)) from exc
        except Exception as exc:
            raise ValidationError("Upload a PNG, JPEG, GIF or WebP image.") from exc
        finally:
            logo.seek(0)
        if image_format not in LOGO_FORMATS:
            raise ValidationError("Upload a PNG, JPEG, GIF or WebP image.")
        return logo


def check_prices_fit(settings, addon_prices, currency):
    """Refuse prices at which the largest booking would cost more than an
    invoice can hold (DECIMAL(10, 2))."""
    total = largest_booking_total(settings, addon_prices)
    if total > MAX_AMOUNT:
        raise ValidationError(
            f"At these prices the largest booking ({LARGEST_BOOKING}) would come to "
            f"{format_money(total, currency)}, more than the {format_money(MAX_AMOUNT, currency)} "
            f"a booking or invoice can hold. Lower some prices.",
            code="prices_too_high",
        )


def _active_addon_prices(business, exclude_pk=None):
    return list(
        Addon.objects.filter(business=business, is_active=True)
        .exclude(pk=exclude_pk)
        .values_list("price", flat=True)
    )


DISCOUNT_FIELDS = (
    "discount_weekly",
    "discount_biweekly",
    "discount_every_4_weeks",
    "discount_monthly",
)
DEFAULT_HORIZON_WEEKS = BusinessSettings._meta.get_field("series_horizon_weeks").default


class BusinessSettingsForm(forms.ModelForm):
    """Prices and defaults of the business, and its clock (12- or 24-hour),
    which is stored on the business."""

    time_format = forms.ChoiceField(
        label="Clock",
        choices=ClockFormat.choices,
        required=False,
        help_text="How times are shown on pages, invoices and emails.",
    )

    class Meta:
        model = BusinessSettings
        fields = (
            "base_price_standard",
            "base_price_deep",
            "base_price_move_in_out",
            "base_price_airbnb",
            "price_per_bedroom",
            "price_per_bathroom",
            "sqft_rate_standard",
            "sqft_rate_deep",
            "sqft_rate_move_in_out",
            "sqft_rate_airbnb",
            "discount_weekly",
            "discount_biweekly",
            "discount_every_4_weeks",
            "discount_monthly",
            "series_horizon_weeks",
            "deposit_amount",
            "tax_rate",
            "default_duration_minutes",
            "invoice_due_days",
            "invoice_prefix",
            "invoice_notes",
        )
        widgets = {"invoice_notes": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "base_price_standard": "Standard clean",
            "base_price_deep": "Deep clean",
            "base_price_move_in_out": "Move in / move out",
            "base_price_airbnb": "Airbnb turnover",
            "discount_weekly": "Every week (%)",
            "discount_biweekly": "Every 2 weeks (%)",
            "discount_every_4_weeks": "Every 4 weeks (%)",
            "discount_monthly": "Every month (%)",
        }
        help_texts = {
            "tax_rate": "A percent: 8 means 8 %.",
            "invoice_notes": "Printed at the bottom of every invoice (payment terms, thanks).",
            "deposit_amount": "Due when a booking is made (the first visit of a recurring "
            "one), at most its total; shown on the booking and its invoice. 0 for none.",
            "series_horizon_weeks": "How far ahead the visits of recurring bookings are on the "
            "calendar (1 to 52 weeks).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        business = self.instance.business
        hour12 = local_time.uses_12_hour_clock(business_country(business))
        usual = "12-hour" if hour12 else "24-hour"
        self.fields["time_format"].choices = [
            (ClockFormat.AUTOMATIC, f"Automatic ({usual}, as usual in your country)"),
            *ClockFormat.choices[1:],
        ]
        self.fields["time_format"].initial = business.time_format
        # Left empty: no discount, and the usual planning horizon.
        for name in DISCOUNT_FIELDS:
            self.fields[name].required = False
        self.fields["series_horizon_weeks"].required = False

    def _clean_or_default(self, name, default):
        value = self.cleaned_data.get(name)
        return default if value is None else value

    def clean_discount_weekly(self):
        return self._clean_or_default("discount_weekly", Decimal("0"))

    def clean_discount_biweekly(self):
        return self._clean_or_default("discount_biweekly", Decimal("0"))

    def clean_discount_every_4_weeks(self):
        return self._clean_or_default("discount_every_4_weeks", Decimal("0"))

    def clean_discount_monthly(self):
        return self._clean_or_default("discount_monthly", Decimal("0"))

    def clean_series_horizon_weeks(self):
        return self._clean_or_default("series_horizon_weeks", DEFAULT_HORIZON_WEEKS)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            candidate = BusinessSettings(
                **{name: cleaned.get(name) for name in self.Meta.fields},
                business=self.instance.business,
            )
            business = self.instance.business
            check_prices_fit(candidate, _active_addon_prices(business), business.currency)
        return cleaned

    def save(self, commit=True):
        business_settings = super().save(commit)
        business = self.instance.business
        business.time_format = self.cleaned_data.get("time_format") or ClockFormat.AUTOMATIC
        if commit:
            business.save(update_fields=["time_format", "updated_at"])
        return business_settings


class AddonForm(forms.ModelForm):
    key = forms.SlugField(
        required=False,
        max_length=50,
        help_text="Used by the phone agent and integrations; made from the name when empty.",
    )

    class Meta:
        model = Addon
        fields = ("name", "key", "description", "price", "is_active")

    def __init__(self, *args, business, **kwargs):
        self.business = business
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_standard:
            self.fields["key"].disabled = True

    def clean_key(self):
        key = (self.cleaned_data.get("key") or "").replace("-", "_")
        if key:
            clash = Addon.objects.filter(business=self.business, key=key).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                raise ValidationError("Another add-on already uses this key.")
        return key

    def clean(self):
        cleaned = super().clean()
        price = cleaned.get("price")
        if price is not None and cleaned.get("is_active") and not self.errors:
            prices = [*_active_addon_prices(self.business, exclude_pk=self.instance.pk), price]
            try:
                check_prices_fit(self.business.settings, prices, self.business.currency)
            except ValidationError as exc:
                self.add_error("price", exc)
        return cleaned


class CredentialsForm(forms.ModelForm):
    """Retell key, voice agent number and the Thumbtack username. The
    Thumbtack password is not typed: it is generated (ThumbtackPasswordForm)."""

    retell_api_key = forms.CharField(
        label="Retell API key",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Leave empty to keep the current key. Used to verify Retell's signature.",
    )
    clear_retell_api_key = forms.BooleanField(label="Remove the Retell API key", required=False)

    field_order = [
        "retell_api_key",
        "clear_retell_api_key",
        "voice_agent_phone",
        "thumbtack_username",
        "thumbtack_business_id",
    ]

    class Meta:
        model = BusinessCredentials
        fields = (
            "retell_api_key",
            "voice_agent_phone",
            "thumbtack_username",
            "thumbtack_business_id",
        )
        help_texts = {
            "thumbtack_username": "The username Thumbtack sends with each lead. Then generate "
            "its password below. Leave empty to disconnect Thumbtack.",
        }
        error_messages = {
            "thumbtack_username": {"unique": "This username is taken; choose another one."}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_phone_region(self, business_region(self.instance.business))

    def clean_retell_api_key(self):
        key = self.cleaned_data.get("retell_api_key", "").strip()
        return key or self.instance.retell_api_key

    def clean_thumbtack_username(self):
        return (self.cleaned_data.get("thumbtack_username") or "").strip() or None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("clear_retell_api_key"):
            cleaned["retell_api_key"] = ""
        return cleaned


class ThumbtackPasswordForm(forms.Form):
    """Generate the Thumbtack webhook password; replacing a working one must
    be confirmed, since Thumbtack is refused until it has the new one."""

    confirm_replace = forms.BooleanField(
        label="I understand that the current password stops working at once",
        required=False,
    )

    def __init__(self, *args, credentials, **kwargs):
        self.credentials = credentials
        super().__init__(*args, **kwargs)
        if not credentials.thumbtack_password_hash:
            del self.fields["confirm_replace"]

    def clean(self):
        cleaned = super().clean()
        if "confirm_replace" in self.fields and not cleaned.get("confirm_replace"):
            self.add_error(
                "confirm_replace",
                "Tick the box to replace the password Thumbtack is using now.",
            )
        return cleaned


TEAM_ROLE_CHOICES = [
    (Membership.Role.OFFICE, "Office: bookings, calendar, invoices, leads and restaurants"),
    (Membership.Role.CLEANER, "Cleaner: only the jobs assigned to them, without prices"),
]


def _role_field():
    return forms.ChoiceField(
        label="Role",
        choices=TEAM_ROLE_CHOICES,
        initial=Membership.Role.OFFICE,
        widget=forms.RadioSelect,
        required=False,
    )


class MemberForm(forms.ModelForm):
    email = forms.EmailField(required=True)
    role = _role_field()

    class Meta:
        model = User
        fields = ("username", "email", "first_name", "last_name")

    def clean_role(self):
        return self.cleaned_data.get("role") or Membership.Role.OFFICE

    def clean_email(self):
        return clean_unique_email(self.cleaned_data["email"])


class MemberRoleForm(forms.Form):
    """The owner changes a member's role (office or cleaner)."""

    role = _role_field()

    def clean_role(self):
        role = self.cleaned_data.get("role")
        if not role:
            raise ValidationError("Choose a role.")
        return role
