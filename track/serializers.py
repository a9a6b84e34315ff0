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


class PerformanceSerializer(serializers.Serializer):
    """One account's ordering figures and how it is judged
    (`track.performance`). Values are order totals in the business's currency."""

    lead = serializers.IntegerField(source="restaurant_id", help_text="The restaurant lead's id.")
    name = serializers.CharField(source="restaurant.name")
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    classification = serializers.ChoiceField(
        choices=["under", "well", "steady", "new"],
        help_text="under-performing, well-performing, steady, or new (fewer than 3 orders).",
    )
    reason = serializers.CharField(help_text="Why, in words.")
    orders = serializers.IntegerField(help_text="Orders in all.")
    first_order = UTCDateTimeField()
    last_order = UTCDateTimeField()
    days_since_last_order = serializers.IntegerField(source="days_since_last")
    average_days_between_orders = serializers.FloatField(
        source="interval_days", allow_null=True, help_text="Null with a single order."
    )
    orders_last_30_days = serializers.IntegerField(source="orders_30")
    value_last_30_days = serializers.DecimalField(
        source="value_30", max_digits=14, decimal_places=2, coerce_to_string=False
    )
    orders_previous_30_days = serializers.IntegerField(source="orders_prev_30")
    value_previous_30_days = serializers.DecimalField(
        source="value_prev_30", max_digits=14, decimal_places=2, coerce_to_string=False
    )
    trend_30_days_percent = serializers.IntegerField(
        source="trend_30", allow_null=True, help_text="Null when nothing was ordered before."
    )
    orders_last_90_days = serializers.IntegerField(source="orders_90")
    value_last_90_days = serializers.DecimalField(
        source="value_90", max_digits=14, decimal_places=2, coerce_to_string=False
    )
    orders_previous_90_days = serializers.IntegerField(source="orders_prev_90")
    value_previous_90_days = serializers.DecimalField(
        source="value_prev_90", max_digits=14, decimal_places=2, coerce_to_string=False
    )
    trend_90_days_percent = serializers.IntegerField(source="trend_90", allow_null=True)
