"""The restaurant CRM's pages, under `crm:`."""

from django.urls import path

from .views import agenda, board, calls, contacts, interactions, restaurants, transfer

app_name = "crm"

R = "restaurants/<int:pk>/"

urlpatterns = [
    path("restaurants/", restaurants.restaurant_list, name="home"),
    path("restaurants/new/", restaurants.restaurant_create, name="create"),
    path("restaurants/board/", board.board, name="board"),
    path("restaurants/calls/today/", agenda.calls_today, name="calls_today"),
    path("restaurants/calls/<int:plan_pk>/record/", agenda.record_call, name="agenda_record"),
    path("restaurants/performance/", agenda.performance, name="performance"),
    path("restaurants/export/", transfer.export, name="export"),
    path("restaurants/import/", transfer.import_upload, name="import"),
    path("restaurants/import/confirm/", transfer.import_confirm, name="import_confirm"),
    path(R, restaurants.restaurant_detail, name="detail"),
    path(R + "edit/", restaurants.restaurant_edit, name="edit"),
    path(R + "delete/", restaurants.restaurant_delete, name="delete"),
    path(R + "status/", restaurants.restaurant_status, name="status"),
    path(R + "move/", board.move, name="move"),
    path(R + "timeline/", restaurants.restaurant_timeline, name="timeline"),
    path(R + "contacts/", contacts.contact_card, name="contacts"),
    path(R + "contacts/new/", contacts.contact_create, name="contact_create"),
    path(R + "contacts/<int:contact_pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path(R + "contacts/<int:contact_pk>/delete/", contacts.contact_delete, name="contact_delete"),
    path(R + "interactions/new/", interactions.interaction_create, name="interaction_create"),
    path(
        R + "interactions/<int:interaction_pk>/edit/",
        interactions.interaction_edit,
        name="interaction_edit",
    ),
    path(
        R + "interactions/<int:interaction_pk>/delete/",
        interactions.interaction_delete,
        name="interaction_delete",
    ),
    path(R + "call-plan/new/", calls.plan_create, name="plan_create"),
    path(R + "call-plan/record/", calls.plan_record_call, name="plan_record"),
    path(R + "call-plan/frequency/", calls.plan_frequency, name="plan_frequency"),
    path(R + "call-plan/delete/", calls.plan_delete, name="plan_delete"),
]
