from django.urls import path

from . import views

app_name = "online"

urlpatterns = [
    path("account/business/booking-page/", views.settings_view, name="settings"),
    path(
        "booking/requests/<str:booking_id>/confirm/", views.request_confirm, name="request_confirm"
    ),
    path(
        "booking/requests/<str:booking_id>/decline/", views.request_decline, name="request_decline"
    ),
    path("book/<slug:slug>/", views.book, name="book"),
    path("book/<slug:slug>/quote/", views.book_quote, name="book_quote"),
    path("book/<slug:slug>/progress/", views.book_progress, name="book_progress"),
    path("book/<slug:slug>/brand.css", views.brand_css, name="brand_css"),
    path("c/<str:token>/", views.customer_booking, name="customer_booking"),
    path("c/<str:token>/reschedule/", views.customer_reschedule, name="customer_reschedule"),
    path("c/<str:token>/cancel/", views.customer_cancel, name="customer_cancel"),
    path("c/<str:token>/invoice/", views.customer_invoice, name="customer_invoice"),
    path(
        "c/<str:token>/invoice/document/",
        views.customer_invoice_document,
        name="customer_invoice_document",
    ),
    path("c/<str:token>/invoice/pdf/", views.customer_invoice_pdf, name="customer_invoice_pdf"),
]
