from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The base of the JSON API: authentication, permissions, paging,
    business scoping, error format and the OpenAPI schema. The CRM apps
    build their endpoints on it; it imports only `account` and `core`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "JSON API"

    def ready(self):
        # drf-spectacular finds its extensions (how each authentication
        # class appears in the schema) by their import.
        from . import authentication  # noqa: F401
