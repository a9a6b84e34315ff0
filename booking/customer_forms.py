"""Forms of the customer pages."""

from django import forms
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
