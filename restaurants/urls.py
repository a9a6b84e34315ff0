"""Root-level API routes: tokens, the OpenAPI schema and docs (names without
a namespace, e.g. `api-docs`), and restaurant leads under `restaurants:`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import auth_views, views, views_html

router = SimpleRouter()
router.register("lead/restaurants", views.RestaurantViewSet, basename="restaurant")

restaurant_patterns = [
    path("restaurants/", views_html.home, name="home"),
    *router.urls,
]

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
    path("", include((restaurant_patterns, "restaurants"))),
]
