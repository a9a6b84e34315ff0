"""The app's URLs plus a bare view, so that the benchmark can show the cost
of Django itself (same server, same middleware) beside each real page.
Mounted only by bench.settings."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("config.urls")),
]
