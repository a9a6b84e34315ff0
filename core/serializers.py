"""JSON API fields for the shared rules."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from . import phones


class PhoneSerializerField(serializers.CharField):
    """A phone number, stored and returned in E.164 as a string. Numbers
    without a + are read in the region of the caller's business."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", phones.MAX_LENGTH)
        kwargs.setdefault(
            "help_text",
            "Phone number; numbers without a + are read in your business's country. "
            "Returned in E.164, such as +15125550143.",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        request = self.context.get("request")
        try:
            return phones.normalize_phone(value, business=getattr(request, "business", None))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
