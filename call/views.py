"""JSON API for call plans (`/call/`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.filters import IntegerFilter
from api.pagination import PAGINATION_HEADERS
from api.viewsets import BusinessModelViewSet

from . import selectors, services
from .models import CallPlan
from .serializers import (
    CallPlanSerializer,
    DetailSerializer,
    RecordCallSerializer,
    SetFrequencySerializer,
)

TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no", ""}


class CallPlanFilter(filters.FilterSet):
    lead = IntegerFilter(field_name="restaurant_id", help_text="Restaurant id.")

    class Meta:
        model = CallPlan
        fields = ["lead"]


@extend_schema_view(
    list=extend_schema(summary="List call plans", parameters=PAGINATION_HEADERS),
    create=extend_schema(summary="Create a call plan for a restaurant"),
    retrieve=extend_schema(summary="Get a call plan"),
    update=extend_schema(summary="Update a call plan"),
    partial_update=extend_schema(summary="Update some fields of a call plan"),
    destroy=extend_schema(summary="Delete a call plan", responses={200: DetailSerializer}),
)
@extend_schema(tags=["Call plans"])
class CallPlanViewSet(BusinessModelViewSet):
    """How often each restaurant is called, and which calls are due."""

    serializer_class = CallPlanSerializer
    filterset_class = CallPlanFilter
    queryset = CallPlan.objects.none()
    selector = staticmethod(selectors.call_plan_list)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.call_plan_create(**serializer.validated_data)
        except DjangoValidationError as exc:
            # Another request created a plan for this restaurant in the meantime.
            raise ValidationError({"lead": exc.message_dict["restaurant"]}) from exc

    def perform_update(self, serializer):
        serializer.instance = services.call_plan_update(
            plan=serializer.instance, **serializer.validated_data
        )

    def destroy(self, request, *args, **kwargs):
        self.get_object().delete()
        return Response({"detail": "Successfully deleted the call plan."})

    @extend_schema(
        summary="Call plans due today in each restaurant's time zone",
        parameters=[
            OpenApiParameter(
                "include_overdue",
                OpenApiTypes.BOOL,
                description="Also list the plans whose call is overdue.",
            ),
            *PAGINATION_HEADERS,
        ],
        responses={200: CallPlanSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def today(self, request):
        raw = request.query_params.get("include_overdue", "").strip().lower()
        if raw not in TRUE_VALUES | FALSE_VALUES:
            raise ValidationError({"include_overdue": ["Use true or false."]})
        queryset = selectors.call_plans_due(
            business=self.business, include_overdue=raw in TRUE_VALUES
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Record a call; the next one is one period later",
        request=RecordCallSerializer,
        responses={200: CallPlanSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def record_call(self, request, pk=None):
        plan = self.get_object()
        serializer = RecordCallSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.call_plan_record_call(
            plan=plan, last_called=serializer.validated_data.get("last_called")
        )
        return Response(self.get_serializer(plan).data)

    @extend_schema(
        summary="Change the frequency; the next call is recomputed",
        request=SetFrequencySerializer,
        responses={200: CallPlanSerializer},
    )
    @action(detail=True, methods=["patch"], filterset_class=None, pagination_class=None)
    def set_frequency(self, request, pk=None):
        plan = self.get_object()
        serializer = SetFrequencySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.call_plan_set_frequency(
            plan=plan, frequency=serializer.validated_data["frequency"]
        )
        return Response(self.get_serializer(plan).data)
