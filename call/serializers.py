from rest_framework import serializers

from api.serializers import (
    BusinessScopedPrimaryKeyRelatedField,
    FieldbookModelSerializer,
    UTCDateTimeField,
    enum_field,
)
from restaurants.models import Restaurant

from .models import CallPlan, Frequency
from .services import plan_taken_error


class CallPlanSerializer(FieldbookModelSerializer):
    """How often a restaurant (`lead`) is called, and when next."""

    # The seed's "lead" is the restaurant.
    lead = BusinessScopedPrimaryKeyRelatedField(
        source="restaurant", queryset=Restaurant.objects.all(), help_text="Id of the restaurant."
    )
    frequency = enum_field(Frequency)
    last_called = UTCDateTimeField(required=False, allow_null=True)
    next_call_date = UTCDateTimeField(
        required=False,
        help_text="Defaults to the start of the day one period from today, in the "
        "restaurant's time zone.",
    )

    class Meta:
        model = CallPlan
        fields = ["id", "lead", "frequency", "last_called", "next_call_date", "notes"]
        read_only_fields = ["id"]

    def validate_lead(self, restaurant):
        error = plan_taken_error(restaurant=restaurant, plan=self.instance)
        if error:
            raise serializers.ValidationError(error)
        return restaurant


class RecordCallSerializer(serializers.Serializer):
    last_called = UTCDateTimeField(required=False, help_text="When the call was made; default now.")


class SetFrequencySerializer(serializers.Serializer):
    frequency = enum_field(Frequency)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
