from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("webhook/<str:secret_key>/", views.retell_webhook, name="retell"),
    path("webhook/<str:secret_key>", views.retell_webhook),
    path("thumbtack-webhook/", views.thumbtack_webhook, name="thumbtack"),
    path("thumbtack-webhook", views.thumbtack_webhook),
]
