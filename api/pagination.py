"""Paging of every JSON API list: the body stays a plain JSON array (as the
seed shows), the total goes in `X-Total-Count` and the neighbours in `Link`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.counts import cached_count


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
        # Cached until a row of the model changes (core.counts); a list is counted.
        self.count = cached_count(queryset) if hasattr(queryset, "query") else len(queryset)
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


# The response headers of a paged list, for `extend_schema(parameters=...)`.
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
