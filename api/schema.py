"""The OpenAPI description of the JSON API (drf-spectacular): the error
format every operation can answer with, and response components that say
which fields are always there (settings: REST_FRAMEWORK's
DEFAULT_SCHEMA_CLASS, SPECTACULAR_SETTINGS)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

# Errors are {"detail": "message"} or {"field": ["message", …]} (DRF's own
# exception handler writes both).
ERROR_SCHEMA = {
    "type": "object",
    "description": 'Either {"detail": "message"} or {"field": ["message", …]}.',
    "additionalProperties": {},
}


def error_response(description):
    """An error answer for `extend_schema(responses=...)`."""
    return OpenApiResponse(response=ERROR_SCHEMA, description=description)


def _error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    }


class FieldbookAutoSchema(AutoSchema):
    """Documents the error answers every operation can give besides its
    success body, and marks every field of a response as required."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and schema.get("properties"):
            # A serializer writes every readable field of the object it
            # shows (an empty one as null, which the field's schema then
            # allows), so a client can rely on each being present.
            schema["required"] = sorted(schema["properties"])
        return schema

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
            responses.setdefault("415", _error("Unsupported request content type: send JSON."))
        if not getattr(self.view, "public_endpoint", False):
            responses.setdefault("401", _error("Not signed in, or the token is invalid."))
            responses.setdefault("403", _error("The account has no business."))
        if has_id:
            responses.setdefault("404", _error("No such object in your business."))
        return responses
