"""The customer pages, under /customers/ (see `booking.customer_views`)."""

from django.urls import path

from . import customer_views as views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("export/", views.customer_export, name="export"),
    path("create/", views.customer_create, name="create"),
    path("search/", views.customer_search, name="search"),
    path("<str:customer_id>/", views.customer_detail, name="detail"),
    path("<str:customer_id>/edit/", views.customer_edit, name="edit"),
    path("<str:customer_id>/delete/", views.customer_delete, name="delete"),
    path("<str:customer_id>/archive/", views.customer_archive, name="archive"),
    path("<str:customer_id>/merge/", views.customer_merge, name="merge"),
]
