from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from . import media, views

# 400, 403 and 404 use Django's views with templates/400.html, 403.html and
# 404.html (the site's layout); 500 has its own view that needs nothing.
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("account/business/reminders/", include("notify.urls")),
    path("account/", include("account.urls")),
    path("booking/", include("booking.urls")),
    path("customers/", include("booking.customer_urls")),
    path("leads/", include("leads.urls")),
    path("", include("webhooks.urls")),
    path("", include("api.urls")),
    path("", include("crm.urls")),
    # Before the restaurant leads' routes, where "performance" would read as an id.
    path("", include("track.api_urls")),
    path("", include("restaurants.urls")),
    path("contact/", include("contact.urls")),
    path("track/", include("track.urls")),
    path("call/", include("call.urls")),
    path("", include("online.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded files, from the default storage (a directory or a bucket).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", media.serve)]
