"""The app's URLs plus a bare view, so the benchmark can show the cost of
Django itself beside each real page in the same run."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("config.urls")),
]
