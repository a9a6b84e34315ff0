from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from account.models import MONEY, Business, ServiceFrequency, ServiceType
from core.phones import PhoneField

ZERO = Decimal("0.00")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    SKIPPED = "skipped", "Skipped"


class SeriesStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class BookingSource(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    LEAD = "lead", "From a lead"
    RETELL = "retell", "Retell phone agent"
    THUMBTACK = "thumbtack", "Thumbtack"
    API = "api", "API"
    ONLINE = "online", "Booking page"
    OTHER = "other", "Other"


class BookingSeries(models.Model):
    """Recurring service: what each visit is (customer, place, service, size,
    add-ons, local start time) and how often it repeats. Visits are ordinary
    bookings generated ahead by `booking.series`; the rule of the dates is
    there too."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="series")
    public_id = models.CharField("series ID", max_length=16, unique=True, editable=False)
    frequency = models.CharField(
        max_length=16, choices=[c for c in ServiceFrequency.choices if c[0] != "one_time"]
    )
    status = models.CharField(max_length=8, choices=SeriesStatus, default=SeriesStatus.ACTIVE)
    first_date = models.DateField(help_text="The local date of the first visit.")
    start_time = models.TimeField(help_text="The local time each visit starts.")
    generated_until = models.DateField(help_text="Visits exist up to this local date.")
    ended_on = models.DateField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)

    # Each visit's booking values (the keyword arguments of `booking_create`).
    customer_first_name = models.CharField("first name", max_length=100)
    customer_last_name = models.CharField("last name", max_length=100, blank=True)
    customer_email = models.EmailField("email", blank=True)
    customer_phone = PhoneField("phone")
    customer_company = models.CharField("company", max_length=200, blank=True)
    address = models.CharField(max_length=255)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    zip_code = models.CharField("ZIP code", max_length=20, blank=True)
    service_type = models.CharField(max_length=20, choices=ServiceType)
    bedrooms = models.PositiveSmallIntegerField()
    bathrooms = models.DecimalField(max_digits=4, decimal_places=1)
    square_feet = models.PositiveIntegerField()
    duration_minutes = models.PositiveIntegerField()
    special_requests = models.TextField(blank=True)
    addons = models.JSONField(default=dict, blank=True, help_text="{add-on key: quantity}")

    source = models.CharField(max_length=12, choices=BookingSource, default=BookingSource.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "booking series"
        indexes = [models.Index(fields=["status", "generated_until"])]

    def __str__(self):
        return f"{self.public_id} · {self.get_frequency_display().lower()}"

    @property
    def customer_name(self):
        return f"{self.customer_first_name} {self.customer_last_name}".strip()

    @property
    def frequency_label(self):
        """ "every 2 weeks": the words of the recurring badge."""
        return self.get_frequency_display().lower()


class Booking(models.Model):
    """A scheduled cleaning with its price snapshot (lines, subtotal, tax, total).
    A visit of a recurring series points to it (`series`, `occurrence_date`)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="bookings")
    public_id = models.CharField("booking ID", max_length=16, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=BookingStatus, default=BookingStatus.SCHEDULED)
    source = models.CharField(max_length=12, choices=BookingSource, default=BookingSource.MANUAL)
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    # Set by `booking_create` through `customers.services.customer_match`.
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    service_address = models.ForeignKey(
        "customers.CustomerAddress",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )

    customer_first_name = models.CharField("first name", max_length=100)
    customer_last_name = models.CharField("last name", max_length=100, blank=True)
    customer_email = models.EmailField("email", blank=True)
    customer_phone = PhoneField("phone")
    customer_company = models.CharField("company", max_length=200, blank=True)
    address = models.CharField(max_length=255)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    zip_code = models.CharField("ZIP code", max_length=20, blank=True)

    service_type = models.CharField(max_length=20, choices=ServiceType)
    bedrooms = models.PositiveSmallIntegerField(validators=[MaxValueValidator(50)])
    bathrooms = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    square_feet = models.PositiveIntegerField(validators=[MaxValueValidator(100_000)])
    start = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(24 * 60)]
    )
    special_requests = models.TextField(blank=True)

    subtotal = models.DecimalField(**MONEY, default=ZERO)
    tax_rate = models.DecimalField("tax rate (%)", max_digits=5, decimal_places=2, default=ZERO)
    tax = models.DecimalField(**MONEY, default=ZERO)
    total = models.DecimalField(**MONEY, default=ZERO)
    deposit = models.DecimalField(
        "deposit due", **MONEY, default=ZERO, help_text="The business's deposit at booking time."
    )

    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    occurrence_date = models.DateField(
        null=True, blank=True, help_text="The series date this visit was made for."
    )
    series_detached = models.BooleanField(
        default=False, help_text="Changed on its own: series-wide edits leave it alone."
    )
    skip_reason = models.CharField(max_length=255, blank=True)

    # The crew (`booking.crew`): who does the job, and when it was started and
    # completed by whom.
    assignees = models.ManyToManyField(
        "account.Membership", blank=True, related_name="assigned_bookings"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-pk"]
        indexes = [
            models.Index(fields=["business", "start"]),
            models.Index(fields=["business", "status"]),
            # The list's filters and sorts (booking.filters), business first.
            models.Index(fields=["business", "status", "start"], name="booking_bus_status_start"),
            models.Index(fields=["business", "total", "start"], name="booking_bus_total"),
            models.Index(
                fields=["business", "customer_first_name", "customer_last_name", "start"],
                name="booking_bus_customer",
            ),
            models.Index(fields=["business", "created_at"], name="booking_bus_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=models.Q(series__isnull=False),
                name="booking_one_visit_per_series_date",
            )
        ]

    def __str__(self):
        return f"{self.public_id} · {self.customer_name}"

    @property
    def customer_name(self):
        return f"{self.customer_first_name} {self.customer_last_name}".strip()

    @property
    def end(self):
        return self.start + timezone.timedelta(minutes=self.duration_minutes)

    @property
    def full_address(self):
        place = " ".join(p for p in (self.state, self.zip_code) if p)
        return ", ".join(p for p in (self.address, self.city, place) if p)

    @property
    def is_editable(self):
        return self.status in (BookingStatus.SCHEDULED, BookingStatus.REQUESTED)


class PricedLine(models.Model):
    """A line with its quantity and unit price as they were when written."""

    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(max_digits=12, decimal_places=4)
    amount = models.DecimalField(**MONEY)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.description


class BookingLine(PricedLine):
    """One priced line of a booking, frozen at booking time."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=12)
    key = models.CharField(max_length=50)


class BookingNote(models.Model):
    """The booking's history: what happened, when and by whom."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="history")
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.message


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    UNPAID = "unpaid", "Unpaid"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


OPEN_INVOICE_STATUSES = (InvoiceStatus.UNPAID, InvoiceStatus.PARTIALLY_PAID)


class InvoiceCounter(models.Model):
    """The last invoice number issued by a business. Locked (SELECT … FOR
    UPDATE) while a number is allocated, so numbers are gapless and unique."""

    business = models.OneToOneField(
        Business, on_delete=models.CASCADE, related_name="invoice_counter"
    )
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.business}: {self.last_number}"


class Invoice(models.Model):
    """A bill for a booking. Customer details and lines are copied at creation,
    so later edits to the booking or to prices never change it."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="invoices")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="invoices")
    public_id = models.CharField("invoice ID", max_length=16, unique=True, editable=False)
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    number = models.CharField(max_length=32, blank=True, editable=False)
    status = models.CharField(max_length=16, choices=InvoiceStatus, default=InvoiceStatus.UNPAID)

    bill_to_name = models.CharField(max_length=200)
    bill_to_company = models.CharField(max_length=200, blank=True)
    bill_to_email = models.EmailField(blank=True)
    bill_to_phone = PhoneField()
    bill_to_address = models.CharField(max_length=500, blank=True)
    service_date = models.DateField(null=True, blank=True)

    issue_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    currency = models.CharField(max_length=3, default="USD")

    subtotal = models.DecimalField(**MONEY, default=ZERO)
    deposit = models.DecimalField("deposit due", **MONEY, default=ZERO)
    discount = models.DecimalField(**MONEY, default=ZERO)
    tax_rate = models.DecimalField("tax rate (%)", max_digits=5, decimal_places=2, default=ZERO)
    tax = models.DecimalField(**MONEY, default=ZERO)
    total = models.DecimalField(**MONEY, default=ZERO)
    amount_paid = models.DecimalField(**MONEY, default=ZERO)

    sent_at = models.DateTimeField(null=True, blank=True)
    pdf_file = models.CharField(
        max_length=255, blank=True, editable=False, help_text="Cached PDF in default storage."
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="booking_invoice_sequence_unique",
            ),
            models.UniqueConstraint(
                fields=["business", "number"],
                condition=~models.Q(number=""),
                name="booking_invoice_number_unique",
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=~models.Q(status="void"),
                name="booking_invoice_one_live_per_booking",
                violation_error_message="This booking already has an invoice.",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "status", "due_date"]),
            models.Index(fields=["business", "-created_at"]),
            # The list's sorts (booking.filters.INVOICE_ORDERS), business first.
            models.Index(fields=["business", "due_date"], name="invoice_bus_due"),
            models.Index(fields=["business", "total"], name="invoice_bus_total"),
            models.Index(fields=["business", "issue_date"], name="invoice_bus_issued"),
        ]

    def __str__(self):
        return f"Invoice {self.label}"

    @property
    def label(self):
        return self.number or f"draft {self.public_id}"

    @property
    def amount_due(self):
        if self.status in (InvoiceStatus.VOID, InvoiceStatus.PAID):
            return ZERO
        return max(self.total - self.amount_paid, ZERO)

    @property
    def deposit_received(self):
        """The deposit payments recorded (uses prefetched payments when there)."""
        return sum((p.amount for p in self.payments.all() if p.kind == PaymentKind.DEPOSIT), ZERO)

    @property
    def deposit_outstanding(self):
        """What is still to be paid of the deposit ("deposit due")."""
        if not self.deposit or self.status not in OPEN_INVOICE_STATUSES:
            return ZERO
        return min(max(self.deposit - self.deposit_received, ZERO), self.amount_due)

    def is_overdue(self, today=None):
        if self.status not in OPEN_INVOICE_STATUSES or self.due_date is None:
            return False
        return self.due_date < (today or self.business.today())

    @property
    def display_status(self):
        """The status shown to people: "overdue" is an open invoice past its due date."""
        return "overdue" if self.is_overdue() else self.status

    @property
    def display_status_label(self):
        if self.display_status == "overdue":
            return "Overdue"
        return self.get_status_display()

    @property
    def is_locked(self):
        return self.status in (InvoiceStatus.PAID, InvoiceStatus.VOID)

    @property
    def lines_editable(self):
        return self.status in (InvoiceStatus.DRAFT, InvoiceStatus.UNPAID) and not self.amount_paid

    @property
    def pdf_filename(self):
        return f"Invoice-{self.number or self.public_id}.pdf"


class InvoiceLine(PricedLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    CHECK = "check", "Check"
    OTHER = "other", "Other"


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", "Payment"
    DEPOSIT = "deposit", "Deposit"


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=8, choices=PaymentKind, default=PaymentKind.PAYMENT)
    amount = models.DecimalField(**MONEY)
    method = models.CharField(max_length=16, choices=PaymentMethod, default=PaymentMethod.CASH)
    paid_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.amount} by {self.get_method_display()} on {self.paid_on}"
