"""The project's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a failure for the 500 page")


urlpatterns = [path("boom/", boom), *project_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
