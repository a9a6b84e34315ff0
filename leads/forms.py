from django import forms

from core.phones import business_region, set_phone_region

from .models import Lead


class LeadForm(forms.ModelForm):
    class Meta:
        model = Lead
        fields = ("name", "email", "phone", "service_wanted", "source", "priority", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, business, **kwargs):
        self.business = business
        super().__init__(*args, **kwargs)
        set_phone_region(self, business_region(business))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors:
            raise forms.ValidationError("Give a phone number or an email to reach this lead.")
        return cleaned


class LeadUpdateForm(LeadForm):
    note = forms.CharField(
        label="Add a note to the timeline",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: “Called, will decide by Friday.”",
    )

    class Meta(LeadForm.Meta):
        fields = (
            "name",
            "email",
            "phone",
            "service_wanted",
            "status",
            "priority",
            "source",
            "notes",
        )


class LeadQuickUpdateForm(forms.Form):
    """Status and a note, from the lead page."""

    status = forms.ChoiceField(choices=Lead.Status.choices)
    note = forms.CharField(required=False, max_length=500)
