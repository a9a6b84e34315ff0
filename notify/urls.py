from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.settings_edit, name="settings"),
    path("preview/<slug:kind>/", views.preview, name="preview"),
]
