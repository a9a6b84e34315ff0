"""Building blocks shared by the restaurant CRM JSON API (restaurants,
contacts, interactions, call plans): business scoping, UTC datetimes,
header pagination, clear enum errors and the schema extras."""

import datetime as dt

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.time import DATE_RANGE_MESSAGE, MAX_YEAR, MIN_YEAR

# --- Fields ------------------------------------------------------------------


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


class FieldbookModelSerializer(serializers.ModelSerializer):
    """Model serializer whose datetimes are always UTC with a `Z`."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


# --- Pagination --------------------------------------------------------------


def _non_negative_int(request, name, default, minimum):
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: [f"Enter a whole number of at least {minimum}."]})
    if value < minimum:
        raise ValidationError({name: [f"Enter a whole number of at least {minimum}."]})
    return value


class HeaderLimitOffsetPagination(BasePagination):
    """`?limit=` / `?offset=` paging that keeps the body a plain JSON array;
    the total goes in `X-Total-Count` and the neighbours in `Link`."""

    default_limit = 100
    max_limit = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = min(_non_negative_int(request, "limit", self.default_limit, 1), self.max_limit)
        self.offset = _non_negative_int(request, "offset", 0, 0)
        self.count = queryset.count() if hasattr(queryset, "count") else len(queryset)
        if self.offset >= self.count:
            return []
        return list(queryset[self.offset : self.offset + self.limit])

    def _links(self):
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, "limit", self.limit)
        links = []
        if self.offset + self.limit < self.count:
            links.append((replace_query_param(url, "offset", self.offset + self.limit), "next"))
        if self.offset > 0:
            previous = max(0, min(self.offset, self.count) - self.limit)
            prev_url = (
                remove_query_param(url, "offset")
                if previous == 0
                else replace_query_param(url, "offset", previous)
            )
            links.append((prev_url, "prev"))
        return ", ".join(f'<{link}>; rel="{rel}"' for link, rel in links)

    def get_paginated_response(self, data):
        headers = {"X-Total-Count": str(self.count)}
        links = self._links()
        if links:
            headers["Link"] = links
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema):
        return schema

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": "Number of rows to return (default 100, at most 1000).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "offset",
                "required": False,
                "in": "query",
                "description": "Number of rows to skip.",
                "schema": {"type": "integer", "minimum": 0},
            },
        ]


PAGINATION_HEADERS = [
    OpenApiParameter(
        "X-Total-Count",
        OpenApiTypes.INT,
        location=OpenApiParameter.HEADER,
        response=True,
        description="Number of rows in the whole list.",
    ),
    OpenApiParameter(
        "Link",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        response=True,
        description='Links to the neighbouring pages (rel="next", rel="prev").',
    ),
]


# --- Schema ------------------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": 'Either {"detail": "message"} or {"field": ["message", …]}.',
    "additionalProperties": {},
}


def _error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }


class FieldbookAutoSchema(AutoSchema):
    """Documents the error answers every operation can give, besides its
    success body."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        has_id = "{id}" in self.path
        is_write = self.method in ("POST", "PUT", "PATCH")
        has_query = bool(self._get_filter_parameters()) or bool(self._get_pagination_parameters())
        if is_write or has_query or getattr(self.view, "documents_400", False):
            responses.setdefault("400", _error("Invalid input: field errors."))
        if is_write:
            responses.setdefault(
                "415", _error("The request body is not JSON, a form or multipart.")
            )
        if not getattr(self.view, "public_endpoint", False):
            responses.setdefault("401", _error("Not signed in, or the token is invalid."))
            responses.setdefault("403", _error("The account has no business."))
        if has_id:
            responses.setdefault("404", _error("No such object in your business."))
        return responses


# --- Views -------------------------------------------------------------------


class BusinessModelViewSet(viewsets.ModelViewSet):
    """A model view set scoped to the caller's business."""

    pagination_class = HeaderLimitOffsetPagination
    schema = FieldbookAutoSchema()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # Any path segment reaches the view, so a malformed id is a JSON 404 too.
    lookup_value_regex = "[^/]+"

    # The tenant-scoped selector listing this resource: selector(business=...).
    selector = None

    def is_schema_generation(self):
        return getattr(self, "swagger_fake_view", False)

    def get_queryset(self):
        if self.is_schema_generation():
            return self.queryset
        return self.selector(business=self.business)

    @property
    def business(self):
        return self.request.business


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "account.api_auth.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Personal API key: `Authorization: Api-Key <key>`.",
        }


# --- Filters -----------------------------------------------------------------


class IntegerFilter(filters.NumberFilter):
    """An id filter: whole numbers only; ids out of range simply match nothing."""

    field_class = forms.IntegerField

    def filter(self, qs, value):
        if value is not None and not (-(2**63) <= value < 2**63):
            return qs.none()
        return super().filter(qs, value)
