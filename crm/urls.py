"""The restaurant CRM's pages, under `crm:`."""

from django.urls import path

from . import views

app_name = "crm"

urlpatterns = [
    path("restaurants/", views.home, name="home"),
]
