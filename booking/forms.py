from datetime import datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from account.models import MAX_SQUARE_FEET, Addon, ServiceType
from core import time as local_time
from core.money import MAX_AMOUNT, format_money
from core.phones import PhoneFormField, business_region
from core.search import SearchField

from .models import BookingStatus, InvoiceStatus, PaymentMethod
from .pricing import money
from .services import BOOKING_EDIT_FIELDS

# The booking's own fields on the form; its start is entered as a date and a time.
BOOKING_DETAIL_FIELDS = tuple(name for name in BOOKING_EDIT_FIELDS if name != "start")

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
ADDON_PREFIX = "addon_"
PRICING_FIELDS = ("service_type", "bedrooms", "bathrooms", "square_feet")


def _name_parts(name):
    parts = (name or "").strip().split(None, 1)
    return (parts + ["", ""])[:2]


class BookingForm(forms.Form):
    """Create or edit a booking. Prices are never taken from the browser:
    the server prices the fields below with `booking.pricing.quote`."""

    customer_first_name = forms.CharField(label="First name", max_length=100)
    customer_last_name = forms.CharField(label="Last name", max_length=100, required=False)
    customer_email = forms.EmailField(label="Email", required=False)
    customer_phone = PhoneFormField(label="Phone", required=False)
    customer_company = forms.CharField(label="Company", max_length=200, required=False)
    address = forms.CharField(label="Street address", max_length=255)
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(max_length=100, required=False)
    zip_code = forms.CharField(label="ZIP code", max_length=20, required=False)
    service_type = forms.ChoiceField(choices=ServiceType.choices, initial=ServiceType.STANDARD)
    bedrooms = forms.IntegerField(min_value=0, max_value=50, initial=2)
    bathrooms = forms.DecimalField(
        min_value=0,
        max_value=50,
        max_digits=4,
        decimal_places=1,
        initial=Decimal("1"),
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
    square_feet = forms.IntegerField(min_value=0, max_value=100_000, initial=1000)
    date = forms.DateField(widget=DATE)
    start_time = forms.TimeField(label="Start time", widget=TIME)
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=15, max_value=24 * 60
    )
    special_requests = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Gate codes, pets, parking, anything the crew should know.",
    )
    lead = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, business, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.business = business
        self.booking = booking
        self.lead_obj = None
        self.fields["customer_phone"].region = business_region(business)
        self.fields["duration_minutes"].initial = business.settings.default_duration_minutes
        self.fields["date"].initial = business.today() + timedelta(days=1)
        self.fields["start_time"].initial = time(9, 0)
        self.addons = list(
            Addon.objects.filter(business=business, is_active=True).order_by("-is_standard", "name")
        )
        for addon in self.addons:
            self.fields[ADDON_PREFIX + addon.key] = forms.IntegerField(
                label=f"{addon.name} ({format_money(addon.price, business.currency)})",
                min_value=0,
                max_value=99,
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "addon-qty"}),
            )
        if booking is not None:
            del self.fields["lead"]

    @property
    def addon_fields(self):
        return [self[ADDON_PREFIX + addon.key] for addon in self.addons]

    @classmethod
    def initial_from_booking(cls, booking):
        local = timezone.localtime(booking.start, booking.business.tzinfo)
        initial = {name: getattr(booking, name) for name in BOOKING_DETAIL_FIELDS}
        initial.update(date=local.date(), start_time=local.time().replace(second=0))
        for line in booking.lines.all():
            if line.kind == "addon":
                initial[ADDON_PREFIX + line.key] = int(line.quantity)
        return initial

    @staticmethod
    def initial_from_lead(lead):
        first, last = _name_parts(lead.name)
        initial = {
            "lead": lead.public_id,
            "customer_first_name": first,
            "customer_last_name": last,
            "customer_email": lead.email,
            "customer_phone": lead.phone,
            "special_requests": lead.notes,
        }
        wanted = (lead.service_wanted or "").strip().lower()
        for value, label in ServiceType.choices:
            if wanted and wanted in (value, label.lower(), value.replace("_", " ")):
                initial["service_type"] = value
        return initial

    def clean_bathrooms(self):
        value = self.cleaned_data["bathrooms"]
        if value is not None and (value * 2) % 1:
            raise ValidationError("Use whole or half bathrooms, such as 1 or 1.5.")
        return value

    def clean_lead(self):
        from leads.models import Lead

        public_id = (self.cleaned_data.get("lead") or "").strip()
        if not public_id:
            return ""
        self.lead_obj = Lead.objects.filter(business=self.business, public_id=public_id).first()
        if self.lead_obj is None:
            raise ValidationError("That lead was not found.")
        return public_id

    def clean(self):
        data = super().clean()
        if self.errors.get("lead"):
            # The hidden field is not rendered with an error next to it.
            self.add_error(None, "That lead was not found; start a new booking from the lead.")
        return data

    def addon_quantities(self):
        return {
            addon.key: self.cleaned_data.get(ADDON_PREFIX + addon.key) or 0 for addon in self.addons
        }

    def start(self):
        naive = datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"])
        return timezone.make_aware(naive, self.business.tzinfo)

    def booking_fields(self):
        """Keyword arguments for `booking_create` / `booking_update`."""
        data = self.cleaned_data
        fields = {name: data[name] for name in BOOKING_DETAIL_FIELDS}
        fields["start"] = self.start()
        fields["addons"] = self.addon_quantities()
        return fields

    def pricing_ready(self):
        """Whether the fields that set the price are valid (for the live quote)."""
        names = [*PRICING_FIELDS, *(ADDON_PREFIX + a.key for a in self.addons)]
        return all(name not in self.errors for name in names) and all(
            self.cleaned_data.get(name) is not None for name in PRICING_FIELDS
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=255, widget=forms.TextInput(attrs={"placeholder": "Customer asked to cancel"})
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        max_length=255, widget=forms.TextInput(attrs={"placeholder": "Billed by mistake"})
    )


class PaymentForm(forms.Form):
    amount = forms.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    method = forms.ChoiceField(choices=PaymentMethod.choices)
    paid_on = forms.DateField(label="Date", widget=DATE)
    reference = forms.CharField(
        max_length=100, required=False, help_text="Check number, transaction ID…"
    )

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        self.fields["amount"].initial = invoice.amount_due
        self.fields["paid_on"].initial = invoice.business.today()

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > self.invoice.business.today():
            raise ValidationError("A payment cannot be dated in the future.")
        return paid_on

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        due = self.invoice.amount_due
        if amount > due:
            raise ValidationError(
                f"That is more than the amount due ({format_money(due, self.invoice.currency)}); "
                f"overpayment is not accepted."
            )
        return amount


class InvoiceForm(forms.Form):
    due_date = forms.DateField(widget=DATE)
    discount = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, initial=Decimal("0.00")
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        if not invoice.lines_editable:
            del self.fields["discount"]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        start = self.invoice.issue_date or self.invoice.business.today()
        if due < start:
            raise ValidationError("The due date cannot be before the issue date.")
        if (due - start).days > 365:
            raise ValidationError("The due date must be within a year of the issue date.")
        return due


# The largest quantity of a booking line: its square feet.
MAX_LINE_QUANTITY = Decimal(MAX_SQUARE_FEET)
TOO_LARGE = "more than the {limit} an invoice can hold"


class InvoiceLineForm(forms.Form):
    """One invoice line. Quantity and unit price are bounded, and so is
    their product, so the line and the invoice fit the money columns."""

    description = forms.CharField(max_length=200)
    quantity = forms.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, max_value=MAX_LINE_QUANTITY
    )
    unit_price = forms.DecimalField(
        label="Unit price", max_digits=12, decimal_places=4, min_value=0, max_value=MAX_AMOUNT
    )

    def __init__(self, *args, currency="USD", **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def amount(self):
        return money(self.cleaned_data["quantity"] * self.cleaned_data["unit_price"])

    def clean(self):
        data = super().clean()
        if data.get("quantity") is not None and data.get("unit_price") is not None:
            amount = self.amount()
            if amount > MAX_AMOUNT:
                limit = format_money(MAX_AMOUNT, self.currency)
                self.add_error(
                    "unit_price",
                    f"This line comes to {format_money(amount, self.currency)}, "
                    f"{TOO_LARGE.format(limit=limit)}; lower the quantity or the price.",
                )
        return data


class BaseInvoiceLineFormSet(forms.BaseFormSet):
    """The lines of an invoice; their total with tax must fit an invoice."""

    def __init__(self, *args, currency="USD", tax_rate=Decimal("0"), **kwargs):
        self.currency = currency
        self.tax_rate = Decimal(tax_rate)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "currency": self.currency}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        if not kept:
            raise ValidationError("An invoice needs at least one line.")
        subtotal = sum((form.amount() for form in kept), Decimal("0"))
        total = subtotal + money(subtotal * self.tax_rate / 100)
        if total > MAX_AMOUNT:
            limit = format_money(MAX_AMOUNT, self.currency)
            raise ValidationError(
                f"These lines come to {format_money(total, self.currency)} with tax, "
                f"{TOO_LARGE.format(limit=limit)}; split them over several invoices."
            )

    def lines(self):
        return [
            f.cleaned_data for f in self.forms if f.cleaned_data and not self._should_delete_form(f)
        ]


InvoiceLineFormSet = forms.formset_factory(
    InvoiceLineForm, formset=BaseInvoiceLineFormSet, extra=1, can_delete=True, max_num=50
)


class CalendarForm(forms.Form):
    """The day the calendar shows (today when none is given)."""

    date = local_time.DateField(required=False)


SORTS_BOOKING = {
    "": "Upcoming first",
    "start": "Date, oldest first",
    "-start": "Date, newest first",
    "-total": "Total, highest first",
    "customer": "Customer name",
    "-created": "Recently added",
}


class FilterForm(forms.Form):
    """Filters in a GET form; widgets styled for Bootstrap."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css


class BookingFilterForm(FilterForm):
    q = SearchField(
        widget=forms.TextInput(attrs={"placeholder": "Name, email, phone or booking ID"}),
    )
    status = forms.ChoiceField(
        choices=[("", "All statuses"), *BookingStatus.choices], required=False
    )
    service_type = forms.ChoiceField(
        choices=[("", "All services"), *ServiceType.choices], required=False
    )
    date_from = local_time.DateField(label="From", required=False, widget=DATE)
    date_to = local_time.DateField(label="To", required=False, widget=DATE)
    sort = forms.ChoiceField(choices=list(SORTS_BOOKING.items()), required=False)


SORTS_INVOICE = {
    "": "Newest first",
    "due": "Due date",
    "number": "Number",
    "-total": "Total, highest first",
}


class InvoiceFilterForm(FilterForm):
    q = SearchField(
        widget=forms.TextInput(attrs={"placeholder": "Number, customer, email or booking ID"}),
    )
    status = forms.ChoiceField(
        choices=[
            ("", "All statuses"),
            ("open", "Open (not fully paid)"),
            *InvoiceStatus.choices[:3],
            ("overdue", "Overdue"),
            *InvoiceStatus.choices[3:],
        ],
        required=False,
    )
    date_from = local_time.DateField(label="Issued from", required=False, widget=DATE)
    date_to = local_time.DateField(label="Issued to", required=False, widget=DATE)
    sort = forms.ChoiceField(choices=list(SORTS_INVOICE.items()), required=False)
