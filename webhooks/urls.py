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
    # Integrations keep their place under the business settings.
    path("account/business/integrations/", views.integration_list, name="integration_list"),
    path("account/business/integrations/add/", views.integration_add, name="integration_add"),
    path(
        "account/business/integrations/<int:pk>/edit/",
        views.integration_edit,
        name="integration_edit",
    ),
    path(
        "account/business/integrations/<int:pk>/delete/",
        views.integration_delete,
        name="integration_delete",
    ),
    path(
        "account/business/integrations/<int:pk>/regenerate-secret/",
        views.integration_regenerate_secret,
        name="integration_regenerate_secret",
    ),
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
