"""`GET /lead/restaurants/performance/`, included by the root URLs before the
restaurant leads' routes (where "performance" would read as an id)."""

from django.urls import path

from .views import PerformanceView

urlpatterns = [
    path(
        "lead/restaurants/performance/",
        PerformanceView.as_view(),
        name="restaurant_performance_api",
    ),
]
