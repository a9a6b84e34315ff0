from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("webhook/<str:secret_key>/", views.retell_webhook, name="retell"),
    path("webhook/<str:secret_key>", views.retell_webhook),
    path("thumbtack-webhook/", views.thumbtack_webhook, name="thumbtack"),
    path("thumbtack-webhook", views.thumbtack_webhook),
    path("webhooks/inbox/", views.inbox, name="inbox"),
    path("webhooks/inbox/<int:pk>/", views.event_detail, name="event_detail"),
    path("webhooks/inbox/<int:pk>/replay/", views.event_replay, name="event_replay"),
    path(
        "webhooks/integrations/<int:pk>/deliveries/",
        views.integration_deliveries,
        name="integration_deliveries",
    ),
    path("webhooks/integrations/<int:pk>/test/", views.integration_test, name="integration_test"),
    path(
        "webhooks/integrations/<int:pk>/resume/",
        views.integration_resume,
        name="integration_resume",
    ),
]
