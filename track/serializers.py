from decimal import Decimal

from rest_framework import serializers

from api.serializers import (
    BusinessScopedPrimaryKeyRelatedField,
    FieldbookModelSerializer,
    UTCDateTimeField,
    enum_field,
)
from contact.models import Contact
from restaurants.models import Restaurant

from .models import Interaction, InteractionType, Order
from .services import interaction_errors


class OrderSerializer(FieldbookModelSerializer):
    """The order recorded by an interaction."""

    product_details = serializers.CharField(max_length=500)
    quantity = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    total_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        coerce_to_string=False,
        help_text="Total price of the order, a number such as 500.00.",
    )
    order_date = UTCDateTimeField(
        required=False, help_text="When the order was placed; defaults to the interaction's date."
    )

    class Meta:
        model = Order
        fields = ["product_details", "quantity", "total_price", "order_date"]


class InteractionSerializer(FieldbookModelSerializer):
    """A call, email, meeting, visit or order with a restaurant (`lead`)."""

    # The seed's "lead" is the restaurant.
    lead = BusinessScopedPrimaryKeyRelatedField(
        source="restaurant", queryset=Restaurant.objects.all(), help_text="Id of the restaurant."
    )
    contact = BusinessScopedPrimaryKeyRelatedField(
        queryset=Contact.objects.all(),
        business_field="restaurant__business",
        required=False,
        allow_null=True,
        help_text="Id of a contact of that restaurant.",
    )
    interaction_type = enum_field(InteractionType)
    date = UTCDateTimeField(required=False, help_text="When it happened; defaults to now.")
    order = OrderSerializer(
        write_only=True,
        required=False,
        help_text="The order, when `order_placed` is true (see order_details).",
    )

    class Meta:
        model = Interaction
        fields = [
            "id",
            "lead",
            "contact",
            "interaction_type",
            "details",
            "order_placed",
            "date",
            "order",
        ]
        read_only_fields = ["id"]

    def validate(self, attrs):
        instance = self.instance
        errors = interaction_errors(
            restaurant=attrs.get("restaurant", instance.restaurant if instance else None),
            contact=attrs.get("contact", instance.contact if instance else None),
            order_placed=attrs.get("order_placed", instance.order_placed if instance else False),
            order=attrs.get("order"),
        )
        if errors:
            # One field at a time, as before: the contact first.
            field = next(iter(errors))
            raise serializers.ValidationError({field: errors[field]})
        return attrs


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()
