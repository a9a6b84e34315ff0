"""JSON API for interactions and orders (`/track/interactions/`)."""

import datetime as dt
from types import SimpleNamespace

from django import forms
from django.utils.dateparse import parse_date, parse_datetime
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from account.zones import user_today, user_tzinfo
from api.filters import IntegerFilter
from api.pagination import PAGINATION_HEADERS, HeaderLimitOffsetPagination
from api.viewsets import BusinessModelViewSet
from core.time import DATE_RANGE_MESSAGE, MAX_YEAR, MIN_YEAR, day_bounds
from restaurants.models import Restaurant

from . import performance, selectors, services
from .models import Interaction, InteractionType, Order
from .serializers import (
    InteractionSerializer,
    MessageSerializer,
    OrderSerializer,
    PerformanceSerializer,
)


class DateOrDateTimeField(forms.CharField):
    """A date (a whole day in the business's time zone) or an ISO 8601 moment."""

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        try:
            # A bare date means the whole day (parse_datetime would read it as midnight UTC).
            parsed = parse_date(value) if len(value) <= 10 else parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(
                "Enter a date (2024-12-24) or a date and time (2024-12-24T15:30:00Z)."
            )
        if not (MIN_YEAR <= parsed.year <= MAX_YEAR):
            raise forms.ValidationError(DATE_RANGE_MESSAGE)
        if isinstance(parsed, dt.datetime) and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed


@extend_schema_field(OpenApiTypes.STR)
class DateBoundFilter(filters.Filter):
    field_class = DateOrDateTimeField

    def __init__(self, *, before, **kwargs):
        self.before = before
        super().__init__(field_name="date", **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if not isinstance(value, dt.datetime):
            start, end = day_bounds(self.parent.request.business.tzinfo, value)
            value = end if self.before else start
            lookup = "lt" if self.before else "gte"
        else:
            lookup = "lte" if self.before else "gte"
        return qs.filter(**{f"date__{lookup}": value})


class InteractionFilter(filters.FilterSet):
    lead = IntegerFilter(field_name="restaurant_id", help_text="Restaurant id.")
    contact = IntegerFilter(field_name="contact_id", help_text="Contact id.")
    interaction_type = filters.ChoiceFilter(choices=InteractionType.choices)
    date_after = DateBoundFilter(
        before=False, help_text="On or after this date (YYYY-MM-DD) or moment (ISO 8601)."
    )
    date_before = DateBoundFilter(
        before=True, help_text="On or before this date (YYYY-MM-DD) or moment (ISO 8601)."
    )

    class Meta:
        model = Interaction
        fields = ["lead", "contact", "interaction_type", "date_after", "date_before"]


class OrderFilter(filters.FilterSet):
    lead = IntegerFilter(field_name="restaurant_id", help_text="Restaurant id.")

    class Meta:
        model = Interaction
        fields = ["lead"]


@extend_schema_view(
    list=extend_schema(summary="List interactions", parameters=PAGINATION_HEADERS),
    create=extend_schema(summary="Log an interaction (with its order, if any)"),
    retrieve=extend_schema(summary="Get an interaction"),
    update=extend_schema(summary="Update an interaction"),
    partial_update=extend_schema(summary="Update some fields of an interaction"),
    destroy=extend_schema(summary="Delete an interaction", responses={200: MessageSerializer}),
)
@extend_schema(tags=["Interactions and orders"])
class InteractionViewSet(BusinessModelViewSet):
    """Calls, emails, meetings, visits and orders with your restaurants."""

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilter
    queryset = Interaction.objects.none()
    selector = staticmethod(selectors.interaction_list)

    def perform_create(self, serializer):
        serializer.instance = services.interaction_create(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.interaction_update(
            interaction=serializer.instance, **serializer.validated_data
        )

    def destroy(self, request, *args, **kwargs):
        self.get_object().delete()
        return Response({"message": "Interaction deleted successfully."})

    @extend_schema(
        summary="List interactions where an order was placed",
        responses={200: InteractionSerializer(many=True)},
        parameters=PAGINATION_HEADERS,
    )
    @action(detail=False, methods=["get"], filterset_class=OrderFilter)
    def orders(self, request):
        queryset = self.filter_queryset(selectors.order_interaction_list(business=self.business))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="The order recorded by an interaction", responses={200: OrderSerializer})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def order_details(self, request, pk=None):
        interaction = self.get_object()
        order = Order.objects.filter(interaction=interaction).first()
        if order is None:
            raise NotFound("This interaction has no order.")
        return Response(OrderSerializer(order).data)


class PerformanceQuerySerializer(serializers.Serializer):
    classification = serializers.ChoiceField(
        choices=list(performance.ORDER), required=False, help_text="Only accounts judged so."
    )
    assigned_to = serializers.CharField(
        required=False, max_length=19, help_text="A user id, or “me” for yourself."
    )

    def validate_assigned_to(self, value):
        if value != "me" and not value.isdigit():
            raise serializers.ValidationError("Enter a user id or “me”.")
        return value


@extend_schema(
    tags=["Restaurant leads"],
    summary="Account performance of the restaurant leads",
    description=(
        "For every restaurant lead with orders: orders and order value in the last 30 and 90 "
        "days and in the period before each, average days between orders, days since the last "
        "order, and how the account is judged, with the reason. "
        + " ".join(performance.thresholds())
        + " Under-performing accounts come first."
    ),
    parameters=[PerformanceQuerySerializer, *PAGINATION_HEADERS],
    responses={200: PerformanceSerializer(many=True)},
)
class PerformanceView(GenericAPIView):
    """`GET /lead/restaurants/performance/`: the page's figures as JSON."""

    pagination_class = HeaderLimitOffsetPagination
    serializer_class = PerformanceSerializer
    queryset = Restaurant.objects.none()
    filter_backends = []

    def get(self, request):
        query = PerformanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        business = request.business
        tz = user_tzinfo(request.user, business)
        items = performance.performance(business, today=user_today(request.user, business), tz=tz)
        kind = query.validated_data.get("classification")
        if kind:
            items = [item for item in items if item.classification == kind]
        assigned = query.validated_data.get("assigned_to")
        if assigned:
            user_id = request.user.pk if assigned == "me" else int(assigned)
            items = [item for item in items if item.assigned_to_id == user_id]
        page = self.paginate_queryset(items)
        names = dict(
            Restaurant.objects.filter(
                business=business, pk__in=[item.restaurant_id for item in page]
            ).values_list("pk", "name")
        )
        for item in page:
            item.restaurant = SimpleNamespace(name=names.get(item.restaurant_id, ""))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
