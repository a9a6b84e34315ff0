"""Routes of the API base, without a namespace: the token endpoints
(`token_obtain_pair`, `token_refresh`), the OpenAPI schema (`api-schema`)
and its Swagger UI (`api-docs`). The resources themselves are routed by
their apps (`restaurants`, `contact`, `track`, `call`)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import auth_views

urlpatterns = [
    path("api/token/", auth_views.TokenObtainView.as_view(), name="token_obtain_pair"),
    path("api/token/refresh/", auth_views.TokenRefreshView.as_view(), name="token_refresh"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves its init script as a file (?script), so the
        # page needs no inline script under the Content-Security-Policy.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
]
