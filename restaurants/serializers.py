from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from account.models import validate_timezone
from api.serializers import (
    BusinessScopedPrimaryKeyRelatedField,
    FieldbookModelSerializer,
    enum_field,
)
from core.serializers import PhoneSerializerField

from .models import Restaurant, RestaurantStatus, RestaurantStatusChange


class RestaurantSerializer(FieldbookModelSerializer):
    """A restaurant account (a "lead" of the key account manager)."""

    status = enum_field(RestaurantStatus, required=False)
    assigned_to = BusinessScopedPrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        business_field="membership__business",
        required=False,
        allow_null=True,
        help_text="Id of a user of your business; defaults to you.",
    )
    timezone = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="IANA time zone such as Asia/Tokyo; defaults to the business's.",
    )
    phone = PhoneSerializerField(required=False, allow_blank=True)

    class Meta:
        model = Restaurant
        fields = [
            "id",
            "name",
            "address",
            "city",
            "state",
            "country",
            "phone",
            "email",
            "website",
            "cuisine",
            "status",
            "assigned_to",
            "timezone",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_timezone(self, value):
        if value:
            try:
                validate_timezone(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(list(exc.messages)) from exc
        return value


class ChangeStatusSerializer(serializers.Serializer):
    status = enum_field(RestaurantStatus)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class StatusChangeSerializer(FieldbookModelSerializer):
    """One move of a restaurant through the status pipeline."""

    class Meta:
        model = RestaurantStatusChange
        fields = ["id", "from_status", "to_status", "changed_by", "changed_at", "note"]
        read_only_fields = fields
