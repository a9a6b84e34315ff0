from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("create/", views.lead_create, name="create"),
    path("export/", views.lead_export, name="export"),
    path("<str:lead_id>/", views.lead_detail, name="detail"),
    path("<str:lead_id>/update/", views.lead_update, name="update"),
    path("<str:lead_id>/delete/", views.lead_delete, name="delete"),
]
