"""The OpenAPI description of the JSON API (drf-spectacular): the error
format every operation can answer with (settings: REST_FRAMEWORK's
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
