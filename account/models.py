import hashlib
import secrets
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core import time as local_time
from core.money import CENTS, MAX_AMOUNT
from core.phones import PhoneField, business_country

from . import kinds

MONEY = {"max_digits": 10, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="Must be zero or more.")]

# The largest booking there can be (the booking form's limits). Prices are
# bounded so that even its total fits a money column (`core.money.MAX_AMOUNT`):
# each price by itself (below), and all of them together by the settings and
# add-on forms (`largest_booking_total`).
MAX_BEDROOMS = 50
MAX_BATHROOMS = Decimal("50")
MAX_SQUARE_FEET = 100_000
MAX_ADDON_QUANTITY = 99
LARGEST_BOOKING = (
    f"{MAX_BEDROOMS} bedrooms, {MAX_BATHROOMS:.0f} bathrooms, {MAX_SQUARE_FEET:,} sq ft "
    f"and {MAX_ADDON_QUANTITY} of every add-on"
)
MAX_PRICE = Decimal("100000.00")
MAX_SQFT_RATE = Decimal("100.0000")
PRICE = [
    *NON_NEGATIVE,
    MaxValueValidator(MAX_PRICE, message="Enter at most 100,000.00."),
]
PERCENT = {"max_digits": 5, "decimal_places": 2}
DISCOUNT = [
    MinValueValidator(Decimal("0"), message="A discount cannot be negative."),
    MaxValueValidator(Decimal("100"), message="A discount cannot be above 100."),
]
SQFT_RATE = [
    *NON_NEGATIVE,
    MaxValueValidator(MAX_SQFT_RATE, message="Enter at most 100 per square foot."),
]


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a known time zone; use a name such as America/Chicago.",
            params={"value": value},
        )


def new_webhook_secret():
    return secrets.token_urlsafe(32)


class ServiceType(models.TextChoices):
    STANDARD = "standard", "Standard clean"
    DEEP = "deep", "Deep clean"
    MOVE_IN_OUT = "move_in_out", "Move in / move out"
    AIRBNB = "airbnb", "Airbnb turnover"


class ServiceFrequency(models.TextChoices):
    """How often a booking repeats. A recurring one makes a series of visits
    (`booking.series`); each recurring frequency may carry a discount."""

    ONE_TIME = "one_time", "One time"
    WEEKLY = "weekly", "Every week"
    BIWEEKLY = "biweekly", "Every 2 weeks"
    EVERY_4_WEEKS = "every_4_weeks", "Every 4 weeks"
    MONTHLY = "monthly", "Every month"


RECURRING_FREQUENCIES = tuple(f for f in ServiceFrequency if f != ServiceFrequency.ONE_TIME)


class Currency(models.TextChoices):
    USD = "USD", "US dollar (USD)"
    CAD = "CAD", "Canadian dollar (CAD)"
    EUR = "EUR", "Euro (EUR)"
    GBP = "GBP", "Pound sterling (GBP)"
    AUD = "AUD", "Australian dollar (AUD)"
    NZD = "NZD", "New Zealand dollar (NZD)"
    INR = "INR", "Indian rupee (INR)"
    MXN = "MXN", "Mexican peso (MXN)"


class User(AbstractUser):
    """A person who signs in. Belongs to at most one business, via Membership."""

    phone = PhoneField()
    must_change_password = models.BooleanField(
        default=False,
        help_text="Set for accounts created with a one-time password.",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text="Where you work; empty follows the business's time zone.",
    )
    token_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised when the password changes or the user signs out everywhere: "
        "API tokens and browser sessions from before stop working.",
    )

    # Set by set_password() when a usable password is being replaced, so that
    # save() can end what the old password had opened.
    _replacing_password = False

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="account_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message="A user with this email already exists.",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def set_password(self, raw_password):
        if self.pk is not None and self.password and self.has_usable_password():
            self._replacing_password = True
        super().set_password(raw_password)

    def save(self, *args, **kwargs):
        # A new password (not a hash upgrade at sign-in, which clears
        # `_password` before saving) ends every API token issued before it,
        # wherever the change comes from: the profile, the forced first
        # sign-in change, the admin or `manage.py changepassword`.
        revoke = self._replacing_password and self._password is not None
        if revoke:
            self.token_version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "token_version"}
        super().save(*args, **kwargs)
        self._replacing_password = False
        if revoke:
            from .services import refresh_tokens_blacklist

            refresh_tokens_blacklist(user=self)

    def get_session_auth_hash(self):
        # Browser sessions end with the password (Django's rule) and with
        # "sign out everywhere" (the token version). Version 0 keeps Django's
        # own hash, so sessions opened before the version existed stay valid.
        if not self.token_version:
            return super().get_session_auth_hash()
        return self._versioned_session_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self):
        if not self.token_version:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._versioned_session_hash(secret)

    def _versioned_session_hash(self, secret):
        return salted_hmac(
            "account.User.get_session_auth_hash",
            f"{self.password}:{self.token_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class ClockFormat(models.TextChoices):
    AUTOMATIC = "", "Automatic (from the business's country)"
    HOURS_12 = "12h", "12-hour (2:30 PM)"
    HOURS_24 = "24h", "24-hour (14:30)"


class Business(models.Model):
    """The tenant: every domain row belongs to one business."""

    name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = PhoneField()
    address = models.TextField(blank=True)
    timezone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_timezone]
    )
    currency = models.CharField(max_length=3, choices=Currency, default=Currency.USD)
    kind = models.CharField(
        "what the business does",
        max_length=12,
        choices=kinds.Kind,
        default=kinds.Kind.BOTH,
        help_text="Fieldbook shows only the pages that apply.",
    )
    logo = models.ImageField(upload_to="logos/", blank=True)
    time_format = models.CharField(
        "clock",
        max_length=3,
        choices=ClockFormat,
        blank=True,
        default=ClockFormat.AUTOMATIC,
        help_text="How times are shown on pages, invoices and emails.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "businesses"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self):
        return timezone.localdate(timezone=self.tzinfo)

    @property
    def offers_home_services(self):
        return kinds.offers_home_services(self)

    @property
    def offers_restaurants(self):
        return kinds.offers_restaurants(self)

    def offers(self, domain):
        """Whether the business offers `domain` (`account.kinds`; None: every business)."""
        return kinds.offers(self, domain)

    @property
    def uses_12_hour_clock(self):
        """The business's choice, else the usual clock of its country."""
        if self.time_format:
            return self.time_format == ClockFormat.HOURS_12
        return local_time.uses_12_hour_clock(business_country(self))


class Membership(models.Model):
    """A user's place in a business. The role decides what they may open
    (`account.tenancy`): the owner everything; office everything but the
    owner's pages; a cleaner only the jobs assigned to them."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        OFFICE = "office", "Office"
        CLEANER = "cleaner", "Cleaner"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role, default=Role.OFFICE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__username"]
        indexes = [models.Index(fields=["business", "role"])]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()} of {self.business})"

    @property
    def is_owner(self):
        return self.role == self.Role.OWNER

    @property
    def is_cleaner(self):
        return self.role == self.Role.CLEANER

    @property
    def display_name(self):
        return self.user.get_full_name() or self.user.username


class BusinessSettings(models.Model):
    """Pricing and operating defaults. Money is Decimal; tax is a percent."""

    business = models.OneToOneField(Business, on_delete=models.CASCADE, related_name="settings")
    base_price_standard = models.DecimalField(
        "base price, standard", **MONEY, default=Decimal("0.00"), validators=PRICE
    )
    base_price_deep = models.DecimalField(
        "base price, deep", **MONEY, default=Decimal("0.00"), validators=PRICE
    )
    base_price_move_in_out = models.DecimalField(
        "base price, move in/out", **MONEY, default=Decimal("0.00"), validators=PRICE
    )
    base_price_airbnb = models.DecimalField(
        "base price, Airbnb", **MONEY, default=Decimal("0.00"), validators=PRICE
    )
    price_per_bedroom = models.DecimalField(**MONEY, default=Decimal("20.00"), validators=PRICE)
    price_per_bathroom = models.DecimalField(**MONEY, default=Decimal("15.00"), validators=PRICE)
    sqft_rate_standard = models.DecimalField(
        "per sq ft, standard",
        max_digits=8,
        decimal_places=4,
        default=Decimal("0.05"),
        validators=SQFT_RATE,
    )
    sqft_rate_deep = models.DecimalField(
        "per sq ft, deep",
        max_digits=8,
        decimal_places=4,
        default=Decimal("0.10"),
        validators=SQFT_RATE,
    )
    sqft_rate_move_in_out = models.DecimalField(
        "per sq ft, move in/out",
        max_digits=8,
        decimal_places=4,
        default=Decimal("0.12"),
        validators=SQFT_RATE,
    )
    sqft_rate_airbnb = models.DecimalField(
        "per sq ft, Airbnb",
        max_digits=8,
        decimal_places=4,
        default=Decimal("0.06"),
        validators=SQFT_RATE,
    )
    discount_weekly = models.DecimalField(
        "discount, every week (%)", **PERCENT, default=Decimal("0.00"), validators=DISCOUNT
    )
    discount_biweekly = models.DecimalField(
        "discount, every 2 weeks (%)", **PERCENT, default=Decimal("0.00"), validators=DISCOUNT
    )
    discount_every_4_weeks = models.DecimalField(
        "discount, every 4 weeks (%)", **PERCENT, default=Decimal("0.00"), validators=DISCOUNT
    )
    discount_monthly = models.DecimalField(
        "discount, every month (%)", **PERCENT, default=Decimal("0.00"), validators=DISCOUNT
    )
    series_horizon_weeks = models.PositiveSmallIntegerField(
        "recurring visits planned ahead (weeks)",
        default=12,
        validators=[
            MinValueValidator(1, message="Plan at least 1 week ahead."),
            MaxValueValidator(52, message="Plan at most 52 weeks ahead."),
        ],
    )
    deposit_amount = models.DecimalField(**MONEY, default=Decimal("0.00"), validators=PRICE)
    tax_rate = models.DecimalField(
        "tax rate (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[
            MinValueValidator(Decimal("0"), message="Tax rate cannot be negative."),
            MaxValueValidator(Decimal("100"), message="Tax rate cannot be above 100."),
        ],
    )
    default_duration_minutes = models.PositiveIntegerField(
        "default booking duration (minutes)",
        default=180,
        validators=[MinValueValidator(15), MaxValueValidator(24 * 60)],
    )
    invoice_due_days = models.PositiveIntegerField(default=14, validators=[MaxValueValidator(365)])
    invoice_prefix = models.CharField(max_length=12, default="INV-")
    invoice_notes = models.TextField(blank=True)
    pricing_updated_at = models.DateTimeField(null=True, blank=True)
    addons_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "business settings"

    def __str__(self):
        return f"Settings of {self.business}"

    def sqft_rate(self, service_type):
        return getattr(self, f"sqft_rate_{service_type}")

    def base_price(self, service_type):
        return getattr(self, f"base_price_{service_type}")

    def discount_percent(self, frequency):
        """The discount percent of a frequency (0 for one-time bookings)."""
        if not frequency or frequency == ServiceFrequency.ONE_TIME:
            return Decimal("0.00")
        return getattr(self, f"discount_{frequency}")


def largest_booking_total(settings, addon_prices):
    """The total of the largest booking (`LARGEST_BOOKING`) at these prices,
    rounded as `booking.pricing.quote` rounds. Prices are refused when it is
    above `core.money.MAX_AMOUNT`."""

    def cents(value):
        return Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)

    def service_total(service_type):
        amounts = [
            settings.base_price(service_type),
            MAX_BEDROOMS * settings.price_per_bedroom,
            MAX_BATHROOMS * settings.price_per_bathroom,
            MAX_SQUARE_FEET * settings.sqft_rate(service_type),
            *(MAX_ADDON_QUANTITY * price for price in addon_prices),
        ]
        return sum((cents(amount) for amount in amounts), Decimal("0.00"))

    # A frequency discount only lowers a total, so the largest booking is an
    # undiscounted one of the dearest service type.
    subtotal = max(service_total(service) for service in ServiceType.values)
    return subtotal + cents(subtotal * settings.tax_rate / 100)


def prices_fit(settings, addon_prices):
    return largest_booking_total(settings, addon_prices) <= MAX_AMOUNT


STANDARD_ADDONS = [
    ("dishes", "Dishes", Decimal("15.00")),
    ("laundry", "Laundry (per load)", Decimal("20.00")),
    ("windows", "Inside windows (each)", Decimal("5.00")),
    ("pets", "Pet hair treatment", Decimal("15.00")),
    ("fridge", "Inside fridge", Decimal("30.00")),
    ("oven", "Inside oven", Decimal("25.00")),
    ("baseboards", "Baseboards", Decimal("25.00")),
    ("blinds", "Blinds", Decimal("20.00")),
    ("green", "Green products", Decimal("10.00")),
    ("cabinets", "Inside cabinets", Decimal("30.00")),
    ("patio", "Patio sweep", Decimal("20.00")),
    ("garage", "Garage sweep", Decimal("35.00")),
]


class Addon(models.Model):
    """An extra service priced per unit. Standard ones are seeded per business."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="addons")
    name = models.CharField(max_length=100)
    key = models.SlugField(max_length=50)
    description = models.CharField(max_length=255, blank=True)
    price = models.DecimalField(**MONEY, validators=PRICE)
    is_active = models.BooleanField("active", default=True)
    is_standard = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_standard", "name"]
        constraints = [
            models.UniqueConstraint(fields=["business", "key"], name="account_addon_key_unique")
        ]

    def __str__(self):
        return self.name


class BusinessCredentials(models.Model):
    """Secrets for the inbound webhooks and third-party accounts."""

    business = models.OneToOneField(Business, on_delete=models.CASCADE, related_name="credentials")
    webhook_secret = models.CharField(max_length=64, unique=True, default=new_webhook_secret)
    webhook_secret_rotated_at = models.DateTimeField(default=timezone.now)
    retell_api_key = models.CharField("Retell API key", max_length=255, blank=True)
    voice_agent_phone = PhoneField("voice agent phone number")
    thumbtack_username = models.CharField(
        "Thumbtack webhook username", max_length=150, null=True, blank=True, unique=True
    )
    thumbtack_password_hash = models.CharField(max_length=255, blank=True)
    thumbtack_business_id = models.CharField("Thumbtack business ID", max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "business credentials"

    def __str__(self):
        return f"Credentials of {self.business}"

    @property
    def retell_connected(self):
        return bool(self.retell_api_key)

    # `thumbtack_password_hash` holds a keyed digest of a generated secret,
    # "hmac-sha256$<hex>" (see account.services); older rows may still hold
    # a Django password hash of a password the owner typed.
    THUMBTACK_DIGEST_PREFIX = "hmac-sha256$"

    @property
    def thumbtack_connected(self):
        return bool(self.thumbtack_username and self.thumbtack_password_hash)

    @property
    def thumbtack_password_is_legacy(self):
        """A password typed by the owner and stored as a slow password hash:
        still accepted, but it should be replaced by a generated one."""
        stored = self.thumbtack_password_hash
        return bool(stored) and not stored.startswith(self.THUMBTACK_DIGEST_PREFIX)


class ApiKey(models.Model):
    """A personal key for the JSON API. Only a SHA-256 of the secret is stored."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw_key):
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @property
    def is_active(self):
        return self.revoked_at is None
