"""The CRM pages' forms. Each reads what the browser sent; the rules that the
JSON API shares (status moves, an interaction's contact and order, one call
plan per restaurant) are applied by the services, whose errors the views
put back on these forms (`add_service_errors`)."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from account.forms import TIMEZONE_CHOICES
from call.models import Frequency
from contact.models import Contact
from core.phones import business_region, set_phone_region
from core.time import DATE_RANGE_MESSAGE, in_date_range
from restaurants.models import Restaurant, RestaurantStatus
from track.models import InteractionType, Order

NOTE_MAX_LENGTH = 2000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def business_users(business):
    """The people of `business` a restaurant can be assigned to."""
    return (
        get_user_model()
        .objects.filter(membership__business=business, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def person_label(user):
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


def add_service_errors(form, error):
    """Put a service's ValidationError ({field: [message]}) on `form`: on the
    field it names when the form has it, else on the form as a whole."""
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class LocalDateTimeField(forms.DateTimeField):
    """A moment typed in the business's time zone (the active one), between
    the years 1900 and 2999."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]

    def validate(self, value):
        super().validate(value)
        if value is not None and not in_date_range(value):
            raise forms.ValidationError(DATE_RANGE_MESSAGE, code="out_of_range")


class RestaurantForm(forms.ModelForm):
    """A restaurant's details (new and edit pages, and each row of a CSV import)."""

    assigned_to = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Nobody",
        label="Account manager",
    )
    timezone = forms.ChoiceField(
        choices=[("", "The business's time zone"), *TIMEZONE_CHOICES],
        required=False,
        help_text="Calls are planned in the restaurant's local time.",
    )
    note = forms.CharField(
        label="Note for the status history",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded with a change of status.",
    )

    class Meta:
        model = Restaurant
        fields = (
            "name",
            "status",
            "assigned_to",
            "phone",
            "email",
            "website",
            "cuisine",
            "address",
            "city",
            "state",
            "country",
            "timezone",
            "notes",
        )
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"notes": "Notes"}

    def __init__(self, *args, business, **kwargs):
        self.business = business
        super().__init__(*args, **kwargs)
        set_phone_region(self, business_region(business))
        self.fields["assigned_to"].queryset = business_users(business)
        if self.instance.pk is None:
            del self.fields["note"]
        for name in ("name", "city", "cuisine"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")


class StatusForm(forms.Form):
    """Move a restaurant to another status, with an optional note."""

    status = forms.ChoiceField(choices=RestaurantStatus.choices, label="New status")
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        label="Note",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ("name", "role", "phone", "email")

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        set_phone_region(self, business_region(business))
        self.fields["role"].help_text = "For example Owner, Head Chef or Purchasing Manager."


def require_order_fields(form, cleaned):
    """When an order was placed, its products, quantity and total are needed."""
    if cleaned.get("order_placed"):
        for name in form.ORDER_FIELDS:
            if cleaned.get(name) in (None, "") and name not in form.errors:
                form.add_error(name, "Needed when an order was placed.")
    return cleaned


class InteractionForm(forms.Form):
    """Log (or correct) an interaction and, when an order was placed, its order."""

    interaction_type = forms.ChoiceField(choices=InteractionType.choices, label="Type")
    date = LocalDateTimeField(label="When")
    contact = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="With")
    details = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    order_placed = forms.BooleanField(required=False, label="An order was placed")
    product_details = forms.CharField(
        required=False,
        max_length=Order._meta.get_field("product_details").max_length,
        label="Products",
    )
    quantity = forms.IntegerField(required=False, min_value=1, max_value=2_147_483_647)
    total_price = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label="Order total",
    )

    ORDER_FIELDS = ("product_details", "quantity", "total_price")

    def __init__(self, *args, contacts, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localtime().replace(second=0, microsecond=0))
        kwargs["initial"].setdefault("interaction_type", InteractionType.CALL)
        super().__init__(*args, **kwargs)
        self.contacts = {contact.pk: contact for contact in contacts}
        self.fields["contact"].choices = [("", "Nobody in particular")] + [
            (contact.pk, f"{contact.name} ({contact.role})" if contact.role else contact.name)
            for contact in contacts
        ]
        self.fields["total_price"].widget.attrs.update(step="0.01", inputmode="decimal")

    def clean(self):
        return require_order_fields(self, super().clean())

    def service_fields(self):
        """(fields, order) for track.services.interaction_create / _update."""
        data = self.cleaned_data
        fields = {
            "interaction_type": data["interaction_type"],
            "date": data["date"],
            "contact": self.contacts.get(data["contact"]),
            "details": data["details"],
            "order_placed": data["order_placed"],
        }
        order = None
        if data["order_placed"]:
            order = {name: data[name] for name in self.ORDER_FIELDS}
            order["order_date"] = data["date"]
        return fields, order

    def clean_contact(self):
        value = self.cleaned_data["contact"]
        if value is not None and value not in self.contacts:
            raise forms.ValidationError("Choose one of this restaurant's contacts.")
        return value

    @staticmethod
    def initial_for(interaction):
        order = getattr(interaction, "order", None) if interaction.order_placed else None
        return {
            "interaction_type": interaction.interaction_type,
            "date": timezone.localtime(interaction.date).replace(tzinfo=None),
            "contact": interaction.contact_id,
            "details": interaction.details,
            "order_placed": interaction.order_placed,
            "product_details": order.product_details if order else "",
            "quantity": order.quantity if order else None,
            "total_price": order.total_price if order else None,
        }


class CallPlanForm(forms.Form):
    """Create a call plan."""

    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.WEEKLY)
    notes = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH, label="Notes")


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Frequency.choices, label="Call")


class RecordCallForm(forms.Form):
    """ "Record call now": the call is now unless a moment is given."""

    called_at = LocalDateTimeField(required=False, label="Called at")

    def moment(self):
        value = self.cleaned_data.get("called_at")
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(dt.UTC)


class MoveForm(forms.Form):
    """A card moved on the pipeline board."""

    status = forms.ChoiceField(choices=RestaurantStatus.choices, label="Move to")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 (or Excel's CSV), one restaurant a row, with the header row below.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    skip_errors = forms.BooleanField(
        required=False, label="Skip the rows with errors and import the others"
    )


class AgendaCallForm(forms.Form):
    """ "Record call" on the calls agenda: a CALL with optional notes and,
    when one was placed, its order (as `InteractionForm`)."""

    details = forms.CharField(
        required=False, label="Notes", widget=forms.Textarea(attrs={"rows": 2})
    )
    order_placed = InteractionForm.base_fields["order_placed"]
    product_details = InteractionForm.base_fields["product_details"]
    quantity = InteractionForm.base_fields["quantity"]
    total_price = InteractionForm.base_fields["total_price"]

    ORDER_FIELDS = InteractionForm.ORDER_FIELDS

    def clean(self):
        return require_order_fields(self, super().clean())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["total_price"].widget.attrs.update(step="0.01", inputmode="decimal")

    def service_fields(self, *, moment, contact):
        data = self.cleaned_data
        fields = {
            "interaction_type": InteractionType.CALL,
            "date": moment,
            "contact": contact,
            "details": data["details"],
            "order_placed": data["order_placed"],
        }
        order = None
        if data["order_placed"]:
            order = {name: data[name] for name in self.ORDER_FIELDS}
            order["order_date"] = moment
        return fields, order
