from django import forms

from account.events import BusinessEvent

from .models import Integration


class IntegrationForm(forms.ModelForm):
    """The target URL is checked by the model field's validator
    (webhooks.targets.validate_target_url), the same rule as on every send."""

    events = forms.MultipleChoiceField(
        choices=BusinessEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The events this integration receives.",
    )

    class Meta:
        model = Integration
        fields = ("name", "url", "events", "is_active")
        help_texts = {"url": "A public http or https address; redirects are not followed."}
