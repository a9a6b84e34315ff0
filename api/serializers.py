"""Serializer fields shared by every JSON API endpoint: UTC datetimes, enum
choices whose error lists the allowed values, and foreign keys limited to
the caller's business."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from core.time import DATE_RANGE_MESSAGE, MAX_YEAR, MIN_YEAR


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with a trailing `Z`, whatever time zone is active.
    Input without an offset is read as UTC; years outside 1900–2999 are
    refused (they are typing mistakes, and date arithmetic must not overflow)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value) > 64:
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]")
        parsed = super().to_internal_value(value)
        if not (MIN_YEAR <= parsed.year <= MAX_YEAR):
            raise ValidationError(DATE_RANGE_MESSAGE)
        return parsed

    def to_representation(self, value):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return super().to_representation(value)


def enum_field(choices, **kwargs):
    """A choice field whose error lists the allowed values."""
    allowed = ", ".join(choices.values)
    kwargs.setdefault(
        "error_messages",
        {"invalid_choice": f'"{{input}}" is not a valid choice; use one of {allowed}.'},
    )
    return serializers.ChoiceField(choices=choices.choices, **kwargs)


class BusinessScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key restricted to rows of the caller's business: another
    business's id is answered exactly like an id that does not exist."""

    def __init__(self, *, business_field="business", **kwargs):
        self.business_field = business_field
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": _('Invalid pk "{pk_value}" - object does not exist.'),
                "incorrect_type": _("Incorrect type. Expected pk value, received {data_type}."),
            },
        )
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        business = getattr(request, "business", None)
        if business is None:
            return queryset.none()
        return queryset.filter(**{self.business_field: business})

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


# A model serializer whose datetimes are always UTC with a `Z`. (A comment,
# not a docstring: the schema would show it as every subclass's description.)
class FieldbookModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }
