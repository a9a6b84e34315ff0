"""The base of every JSON API resource: scoped to the caller's business."""

from rest_framework import viewsets

from .pagination import HeaderLimitOffsetPagination


class BusinessModelViewSet(viewsets.ModelViewSet):
    """A model view set scoped to the caller's business (`request.business`,
    set by `api.permissions.HasBusiness`): rows of another business are 404."""

    pagination_class = HeaderLimitOffsetPagination
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
