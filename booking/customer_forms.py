"""Forms of the customer pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from core.phones import business_region, set_phone_region
from customers.models import Customer, CustomerAddress
from customers.services import normalise_email


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ("name", "email", "phone", "company", "notes", "reminders_enabled")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.business = business
        set_phone_region(self, business_region(business))
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def _others(self):
        return Customer.objects.filter(business=self.business).exclude(pk=self.instance.pk)

    def clean_email(self):
        email = normalise_email(self.cleaned_data.get("email"))
        if email and self._others().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Another customer has this email. Open that customer, or merge the two."
            )
        return email

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        if phone and self._others().filter(phone=phone).exists():
            raise forms.ValidationError(
                "Another customer has this phone number. Open that customer, or merge the two."
            )
        return phone


class CustomerAddressForm(forms.ModelForm):
    class Meta:
        model = CustomerAddress
        fields = (
            "address",
            "city",
            "state",
            "zip_code",
            "bedrooms",
            "bathrooms",
            "square_feet",
            "access_notes",
        )
        widgets = {"access_notes": forms.Textarea(attrs={"rows": 2})}


AddressFormSet = inlineformset_factory(
    Customer, CustomerAddress, form=CustomerAddressForm, extra=1, can_delete=True, max_num=20
)


class MergeForm(forms.Form):
    other = forms.CharField(widget=forms.HiddenInput)


def picked_customer(business, customer_id, address_id):
    """(customer, address) picked on the booking form, by public id and address
    id; a customer of another business (or an unknown id) is a form error."""
    customer_id = (customer_id or "").strip()
    if not customer_id:
        return None, None
    customer = Customer.objects.filter(business=business, public_id=customer_id).first()
    if customer is None:
        raise ValidationError("That customer was not found; search for the customer again.")
    address = None
    if str(address_id or "").isdigit():
        address = customer.addresses.filter(pk=int(address_id)).first()
    return customer, address


def booking_initial_from_customer(customer, address=None):
    """The booking form's values for a customer picked without JavaScript
    (`?customer=CU-…&address=…`): contact details, and the address with its size."""
    from core.phones import format_phone

    initial = {
        "customer": customer.public_id,
        "customer_first_name": customer.first_name,
        "customer_last_name": customer.last_name,
        "customer_email": customer.email,
        "customer_phone": format_phone(customer.phone, customer.business),
        "customer_company": customer.company,
    }
    if address is None:
        address = customer.addresses.order_by("-pk").first()
    if address is not None:
        initial.update(
            service_address=address.pk,
            address=address.address,
            city=address.city,
            state=address.state,
            zip_code=address.zip_code,
        )
        for name in ("bedrooms", "bathrooms", "square_feet"):
            if getattr(address, name) is not None:
                initial[name] = getattr(address, name)
    return initial
