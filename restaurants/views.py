"""JSON API for restaurant accounts (`/lead/restaurants/`)."""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.response import Response

from api.pagination import PAGINATION_HEADERS
from api.viewsets import BusinessModelViewSet
from core.search import SearchField

from . import selectors, services
from .models import Restaurant, RestaurantStatus
from .serializers import ChangeStatusSerializer, RestaurantSerializer, StatusChangeSerializer


class IdOrMeField(forms.CharField):
    def validate(self, value):
        super().validate(value)
        if value and value != "me" and not value.isdigit():
            raise forms.ValidationError("Enter a user id or “me”.")


@extend_schema_field(OpenApiTypes.STR)
class IdOrMeFilter(filters.CharFilter):
    field_class = IdOrMeField


@extend_schema_field(OpenApiTypes.STR)
class SearchFilter(filters.CharFilter):
    field_class = SearchField


class RestaurantFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RestaurantStatus.choices)
    assigned_to = IdOrMeFilter(
        method="filter_assigned_to", help_text="A user id, or “me” for yourself."
    )
    city = filters.CharFilter(lookup_expr="iexact", max_length=100)
    search = SearchFilter(
        method="filter_search",
        help_text="Part of the name or city, or at least three digits of the phone number.",
    )

    class Meta:
        model = Restaurant
        fields = ["status", "assigned_to", "city", "search"]

    def filter_assigned_to(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assigned_to=self.request.user)
        if len(value) > 18:
            return queryset.none()
        return queryset.filter(assigned_to_id=int(value))

    def filter_search(self, queryset, name, value):
        return selectors.restaurant_search(queryset, value, business=self.request.business)


@extend_schema_view(
    list=extend_schema(summary="List restaurant leads", parameters=PAGINATION_HEADERS),
    create=extend_schema(summary="Create a restaurant lead"),
    retrieve=extend_schema(summary="Get a restaurant lead"),
    update=extend_schema(summary="Update a restaurant lead"),
    partial_update=extend_schema(summary="Update some fields of a restaurant lead"),
    destroy=extend_schema(summary="Delete a restaurant lead"),
)
@extend_schema(tags=["Restaurant leads"])
class RestaurantViewSet(BusinessModelViewSet):
    """Restaurant accounts (leads) of your business and their status pipeline."""

    serializer_class = RestaurantSerializer
    filterset_class = RestaurantFilter
    queryset = Restaurant.objects.none()
    selector = staticmethod(selectors.restaurant_list)

    def perform_create(self, serializer):
        serializer.instance = services.restaurant_create(
            business=self.business, user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.restaurant_update(
            restaurant=serializer.instance,
            user=self.request.user,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.restaurant_delete(restaurant=instance)

    @extend_schema(
        summary="Change the status of a restaurant lead",
        request=ChangeStatusSerializer,
        responses={200: RestaurantSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def change_status(self, request, pk=None):
        restaurant = self.get_object()
        serializer = ChangeStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            restaurant = services.restaurant_change_status(
                restaurant=restaurant, user=request.user, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            return Response(exc.message_dict, status=http.HTTP_400_BAD_REQUEST)
        return Response(
            RestaurantSerializer(restaurant, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Status history of a restaurant lead, newest first",
        responses={200: StatusChangeSerializer(many=True)},
        parameters=PAGINATION_HEADERS,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def status_history(self, request, pk=None):
        restaurant = self.get_object()
        queryset = selectors.restaurant_status_history(restaurant=restaurant)
        page = self.paginate_queryset(queryset)
        data = StatusChangeSerializer(page, many=True).data
        return self.get_paginated_response(data)
