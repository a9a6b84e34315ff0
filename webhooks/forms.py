from django import forms

from .models import WebhookEvent


class EventFilterForm(forms.Form):
    source = forms.ChoiceField(
        required=False,
        choices=[("", "Any source"), *WebhookEvent.Source.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *WebhookEvent.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
