from datetime import time, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone

from account.models import MAX_SQUARE_FEET, Addon, ServiceFrequency, ServiceType
from core import time as local_time
from core.money import MAX_AMOUNT, format_money
from core.phones import format_phone

from . import crew, validation
from .customer_forms import picked_customer
from .models import PaymentKind, PaymentMethod
from .pricing import money
from .series import Scope
from .services import BOOKING_EDIT_FIELDS
from .validation import ADDON_PREFIX

# The booking's own fields on the form; its start is entered as a date and a time.
BOOKING_DETAIL_FIELDS = tuple(name for name in BOOKING_EDIT_FIELDS if name != "start")

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
PRICING_FIELDS = ("service_type", "bedrooms", "bathrooms", "square_feet")


def _name_parts(name):
    parts = (name or "").strip().split(None, 1)
    return (parts + ["", ""])[:2]


# The booking form's fields only read what the browser sent; the rules (limits,
# choices, lengths, phone and email) are `booking.validation`'s, so the form,
# the Retell agent and every other way in give the same errors. The limits are
# repeated as HTML attributes for the browser's own hints.


def _text_field(name, label, *, required=False, widget=None, **kwargs):
    widget = widget or forms.TextInput()
    limit = validation.max_length(name)
    if limit:
        widget.attrs.setdefault("maxlength", str(limit))
    return forms.CharField(
        label=label,
        required=required,
        widget=widget,
        error_messages={"required": validation.missing_message(name)},
        **kwargs,
    )


def _number_field(name, label, *, low, high, step=None, required=True, initial=None, css=None):
    attrs = {"min": str(low), "max": str(high)}
    if step:
        attrs["step"] = step
    if css:
        attrs["class"] = css
    return forms.CharField(
        label=label,
        required=required,
        initial=initial,
        widget=forms.NumberInput(attrs=attrs),
        error_messages={"required": validation.missing_message(name)},
    )


def _start_messages():
    return {
        "required": validation.missing_message("start"),
        "invalid": validation.message("start"),
    }


class BookingForm(forms.Form):
    """Create or edit a booking. Prices are never taken from the browser:
    the server prices the fields below with `booking.pricing.quote`."""

    customer_first_name = _text_field("customer_first_name", "First name", required=True)
    customer_last_name = _text_field("customer_last_name", "Last name")
    customer_email = _text_field("customer_email", "Email", widget=forms.EmailInput())
    customer_phone = _text_field(
        "customer_phone",
        "Phone",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    customer_company = _text_field("customer_company", "Company")
    address = _text_field("address", "Street address", required=True)
    city = _text_field("city", "City")
    state = _text_field("state", "State")
    zip_code = _text_field("zip_code", "ZIP code")
    service_type = forms.CharField(
        label="Service type",
        initial=ServiceType.STANDARD,
        widget=forms.Select(choices=ServiceType.choices),
        error_messages={"required": validation.missing_message("service_type")},
    )
    bedrooms = _number_field(
        "bedrooms",
        "Bedrooms",
        low=validation.MIN_BEDROOMS,
        high=validation.MAX_BEDROOMS,
        initial=2,
    )
    bathrooms = _number_field(
        "bathrooms",
        "Bathrooms",
        low=validation.MIN_BATHROOMS,
        high=validation.MAX_BATHROOMS,
        step="0.5",
        initial=Decimal("1"),
    )
    square_feet = _number_field(
        "square_feet",
        "Square feet",
        low=validation.MIN_SQUARE_FEET,
        high=validation.MAX_SQUARE_FEET,
        initial=1000,
    )
    frequency = forms.CharField(
        label="How often",
        initial=ServiceFrequency.ONE_TIME,
        required=False,
        widget=forms.Select(choices=ServiceFrequency.choices),
        help_text="A recurring booking puts its visits on the calendar ahead; each is "
        "its own booking.",
    )
    scope = forms.ChoiceField(
        label="Apply the changes to",
        choices=Scope.CHOICES,
        initial=Scope.THIS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which visits the changes apply to."},
    )
    date = forms.DateField(widget=DATE, error_messages=_start_messages())
    start_time = forms.TimeField(label="Start time", widget=TIME, error_messages=_start_messages())
    duration_minutes = _number_field(
        "duration_minutes",
        "Duration (minutes)",
        low=validation.MIN_DURATION,
        high=validation.MAX_DURATION,
    )
    special_requests = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Gate codes, pets, parking, anything the crew should know.",
    )
    lead = forms.CharField(widget=forms.HiddenInput, required=False)
    assignees = forms.ModelMultipleChoiceField(
        label="Assigned to",
        queryset=crew.members(None),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who does this job. They see it under My jobs.",
    )
    # Set by the customer picker (`booking.customer_forms.picked_customer`).
    customer = forms.CharField(widget=forms.HiddenInput, required=False)
    service_address = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, business, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.business = business
        self.booking = booking
        self.lead_obj = None
        self.validated = {}
        self.fields["duration_minutes"].initial = business.settings.default_duration_minutes
        self.fields["date"].initial = business.today() + timedelta(days=1)
        self.fields["start_time"].initial = time(9, 0)
        self.fields["assignees"].queryset = crew.members(business)
        self.fields["assignees"].label_from_instance = crew.member_label
        self.addons = list(
            Addon.objects.filter(business=business, is_active=True).order_by("-is_standard", "name")
        )
        for addon in self.addons:
            self.fields[ADDON_PREFIX + addon.key] = _number_field(
                ADDON_PREFIX + addon.key,
                f"{addon.name} ({format_money(addon.price, business.currency)})",
                low=validation.MIN_ADDON_QUANTITY,
                high=validation.MAX_ADDON_QUANTITY,
                required=False,
                initial=0,
                css="addon-qty",
            )
        self.customer_obj = self.address_obj = None
        if booking is not None:
            del self.fields["lead"], self.fields["customer"], self.fields["service_address"]
            del self.fields["frequency"]
        if booking is None or booking.series_id is None:
            del self.fields["scope"]
        else:
            self.fields["scope"].help_text = (
                "Following visits and the whole series: future visits that are scheduled, "
                "not invoiced and not changed on their own are changed and re-priced; the "
                "day of the week stays the series'."
            )

    @property
    def addon_fields(self):
        return [self[ADDON_PREFIX + addon.key] for addon in self.addons]

    @classmethod
    def initial_from_booking(cls, booking):
        initial = {name: getattr(booking, name) for name in BOOKING_DETAIL_FIELDS}
        day, at = validation.local_date_and_time(booking.start, booking.business.tzinfo)
        initial.update(date=day, start_time=at)
        # Stored in E.164, shown as people read it; the validation reads it back.
        initial["customer_phone"] = format_phone(booking.customer_phone, booking.business)
        initial["assignees"] = [membership.pk for membership in booking.assignees.all()]
        for line in booking.lines.all():
            if line.kind == "addon":
                initial[ADDON_PREFIX + line.key] = int(line.quantity)
        return initial

    @staticmethod
    def initial_from_lead(lead):
        """Everything the lead knows, through the booking validation: what it
        does not say (or says in a way that cannot be used) keeps the form's
        default. The frequency goes into the special requests."""
        request = lead_booking_request(lead)
        first, last = _name_parts(lead.name)
        values = {
            "customer_first_name": first,
            "customer_last_name": last,
            "customer_email": lead.email,
            "customer_phone": lead.phone,
            "service_type": lead.service_wanted,
        }
        values.update({name: value for name, value in request.items() if value not in ("", None)})
        result = validation.validate_booking(lead.business, values, partial=True)
        initial = {"lead": lead.public_id}
        for name, value in result.cleaned.items():
            if name == "start":
                initial["date"], initial["start_time"] = validation.local_date_and_time(
                    value, lead.business.tzinfo
                )
            elif name == "addons":
                initial.update({ADDON_PREFIX + key: qty for key, qty in value.items()})
            elif name == "customer_phone":
                initial[name] = format_phone(value, lead.business)
            elif name != "special_requests":
                initial[name] = value
        frequency = str(request.get("frequency") or "").strip()
        notes = [lead.notes.strip(), str(request.get("special_requests") or "").strip()]
        notes.append(f"Frequency: {frequency}" if frequency else "")
        unique = []
        for note in notes:
            if note and note not in unique:
                unique.append(note)
        if unique:
            initial["special_requests"] = "\n".join(unique)
        return initial

    def clean_lead(self):
        from leads.models import Lead

        public_id = (self.cleaned_data.get("lead") or "").strip()
        if not public_id:
            return ""
        self.lead_obj = Lead.objects.filter(business=self.business, public_id=public_id).first()
        if self.lead_obj is None:
            raise ValidationError("That lead was not found.")
        return public_id

    def clean_service_address(self):
        data = self.cleaned_data
        self.customer_obj, self.address_obj = picked_customer(
            self.business, data.get("customer"), data.get("service_address")
        )
        return data.get("service_address")

    def picked(self):
        """The customer and address picked on the form (keyword arguments of `booking_create`)."""
        return {"customer": self.customer_obj, "service_address": self.address_obj}

    def clean(self):
        data = super().clean()
        if self.errors.get("lead"):
            # The hidden field is not rendered with an error next to it.
            self.add_error(None, "That lead was not found; start a new booking from the lead.")
        for text in self.errors.get("service_address", ()):
            self.add_error(None, text)
        values = {name: data.get(name) for name in BOOKING_DETAIL_FIELDS}
        values["start"] = validation.combine(
            data.get("date"), data.get("start_time"), self.business.tzinfo
        )
        values["addons"] = {addon.key: data.get(ADDON_PREFIX + addon.key) for addon in self.addons}
        if "frequency" in self.fields:
            values["frequency"] = data.get("frequency")
        result = validation.validate_booking(
            self.business,
            values,
            current_start=self.booking.start if self.booking is not None else None,
            addons=self.addons,
        )
        self.validated = result.cleaned
        for name, value in result.cleaned.items():
            if name == "addons":
                for addon in self.addons:
                    data[ADDON_PREFIX + addon.key] = value.get(addon.key, 0)
            elif name in self.fields:
                data[name] = value
        for name, messages in result.errors.items():
            if name in self.errors:
                continue  # the field could not be read; its error is already shown
            target = "date" if name == "start" else name
            if name == "start" and ({"date", "start_time"} & set(self.errors)):
                continue
            for text in messages:
                self.add_error(target if target in self.fields else None, text)
        return data

    def addon_quantities(self):
        return {
            addon.key: self.cleaned_data.get(ADDON_PREFIX + addon.key) or 0 for addon in self.addons
        }

    def booking_fields(self):
        """Keyword arguments for `booking_create` / `booking_update`: the
        values `booking.validation` cleaned."""
        fields = {name: self.validated[name] for name in BOOKING_DETAIL_FIELDS}
        fields["start"] = self.validated["start"]
        fields["addons"] = self.validated.get("addons", {})
        if "frequency" in self.fields:
            fields["frequency"] = self.validated.get("frequency") or ServiceFrequency.ONE_TIME
        return fields

    def pricing_frequency(self):
        """The frequency to price with (the live quote)."""
        if self.booking is not None and self.booking.series_id:
            return self.booking.series.frequency
        return self.validated.get("frequency") or ServiceFrequency.ONE_TIME

    def pricing_ready(self):
        """Whether the fields that set the price are valid (for the live quote)."""
        names = [*PRICING_FIELDS, *(ADDON_PREFIX + a.key for a in self.addons)]
        return all(name not in self.errors for name in names) and all(
            self.cleaned_data.get(name) is not None for name in PRICING_FIELDS
        )


def lead_request_summary(lead):
    """What the lead asked for, as (label, text) rows to show beside the
    booking form (contact details are shown from the lead itself)."""
    request = lead_booking_request(lead)
    rows = []
    fields = BookingForm.base_fields
    skip = {"customer_first_name", "customer_last_name", "customer_email", "customer_phone"}
    for name in (*validation.FIELD_ORDER, "frequency"):
        value = request.get(name)
        if name in skip or value in (None, "", {}):
            continue
        if name == "start":
            start = validation.parse_start(value, lead.business.tzinfo)
            if start is not None:
                local = timezone.localtime(start, lead.business.tzinfo)
                rows.append(("Proposed time", dateformat.format(local, "D M j, Y H:i")))
            else:
                rows.append(("Proposed time", str(value)))
        elif name == "addons" and isinstance(value, dict):
            text = ", ".join(f"{key} × {qty}" for key, qty in value.items() if qty)
            if text:
                rows.append(("Add-ons", text))
        elif name == "special_requests":
            rows.append(("Notes", str(value)))
        elif name == "frequency":
            rows.append(("Frequency", str(value)))
        elif name == "service_type":
            service = validation.parse_service_type(value)
            text = ServiceType(service).label if service else str(value)
            if text.strip().lower() != lead.service_wanted.strip().lower():
                rows.append(("Service", text))
        else:
            label = fields[name].label if name in fields else validation.label(name)
            rows.append((label or name.replace("_", " ").capitalize(), str(value)))
    return rows


def lead_booking_request(lead):
    """The booking a lead asked for, as raw values keyed like `booking_create`'s
    arguments (plus "frequency"), stored under `details[<source>]["booking_request"]`
    by whatever brought the lead in. The lead's own source comes first."""
    details = lead.details if isinstance(lead.details, dict) else {}
    sources = [lead.source, *(key for key in details if key != lead.source)]
    request = {}
    for source in reversed(sources):
        part = details.get(source)
        if isinstance(part, dict) and isinstance(part.get(validation.LEAD_REQUEST_KEY), dict):
            request.update(part[validation.LEAD_REQUEST_KEY])
    return request


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=255, widget=forms.TextInput(attrs={"placeholder": "Customer asked to cancel"})
    )


class SkipForm(forms.Form):
    reason = forms.CharField(
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": "Customer away that week"}),
        error_messages={"required": "Say why this visit is skipped."},
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        max_length=255, widget=forms.TextInput(attrs={"placeholder": "Billed by mistake"})
    )


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(
        label="This is",
        choices=PaymentKind.choices,
        initial=PaymentKind.PAYMENT,
        widget=forms.RadioSelect,
        help_text="A deposit is at most the deposit still due.",
    )
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
        deposit_due = invoice.deposit_outstanding
        if not deposit_due:
            del self.fields["kind"]
        elif self.initial.get("kind") == PaymentKind.DEPOSIT:
            self.fields["amount"].initial = deposit_due

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > self.invoice.business.today():
            raise ValidationError("A payment cannot be dated in the future.")
        return paid_on

    def clean(self):
        data = super().clean()
        amount = data.get("amount")
        if data.get("kind") == PaymentKind.DEPOSIT and amount is not None:
            deposit_due = self.invoice.deposit_outstanding
            if amount > deposit_due:
                self.add_error(
                    "amount",
                    f"That is more than the deposit due "
                    f"({format_money(deposit_due, self.invoice.currency)}); record the rest as "
                    f"a payment.",
                )
        return data

    def payment_fields(self):
        """Keyword arguments for `booking.services.payment_record`."""
        data = dict(self.cleaned_data)
        data.setdefault("kind", PaymentKind.PAYMENT)
        return data

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
    their product, so the line and the invoice fit the money columns. A
    negative unit price is a discount line (a recurring booking's)."""

    description = forms.CharField(max_length=200)
    quantity = forms.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, max_value=MAX_LINE_QUANTITY
    )
    unit_price = forms.DecimalField(
        label="Unit price",
        max_digits=12,
        decimal_places=4,
        min_value=-MAX_AMOUNT,
        max_value=MAX_AMOUNT,
        help_text="Negative for a discount.",
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
            if abs(amount) > MAX_AMOUNT:
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
        if subtotal < 0:
            raise ValidationError(
                "These lines come to less than zero; a discount cannot be more than the rest."
            )
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
    """The day the calendar shows (today when none is given), and whose jobs
    (everyone's when no member is given)."""

    date = local_time.DateField(required=False)
    member = forms.ModelChoiceField(
        queryset=crew.members(None),
        required=False,
        empty_label="Everyone",
        label="Crew member",
        error_messages={"invalid_choice": "That team member was not found."},
    )

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = crew.members(business)
        self.fields["member"].label_from_instance = crew.member_label


class JobNotesForm(forms.Form):
    """Notes of the crew when starting or completing a job."""

    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=crew.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": crew.NOTES_MAX_LENGTH}),
        help_text="Optional: anything the office should know.",
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
