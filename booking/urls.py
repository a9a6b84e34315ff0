from django.urls import path

from . import export_views, views

app_name = "booking"

urlpatterns = [
    path("", views.booking_list, name="list"),
    path("create/", views.booking_create, name="create"),
    path("export/", export_views.booking_export, name="export"),
    path("quote/", views.booking_quote, name="quote"),
    path("calendar/", views.booking_calendar, name="calendar"),
    path("my-jobs/", views.my_jobs, name="my_jobs"),
    path("my-jobs/<str:booking_id>/start/", views.job_start, name="job_start"),
    path("my-jobs/<str:booking_id>/complete/", views.job_complete, name="job_complete"),
    path("detail/<str:booking_id>/", views.booking_detail, name="detail"),
    path("edit/<str:booking_id>/", views.booking_edit, name="edit"),
    path("mark-completed/<str:booking_id>/", views.booking_mark_completed, name="mark_completed"),
    path("cancel/<str:booking_id>/", views.booking_cancel, name="cancel"),
    path("delete/<str:booking_id>/", views.booking_delete, name="delete"),
    path("skip/<str:booking_id>/", views.booking_skip, name="skip"),
    path("series/<str:series_id>/", views.series_detail, name="series_detail"),
    *(
        path(
            f"series/<str:series_id>/{action}/",
            views.series_action,
            {"action": action},
            name=f"series_{action}",
        )
        for action in views.SERIES_ACTIONS
    ),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/export/", export_views.invoice_export, name="invoice_export"),
    path("invoices/create/<str:booking_id>/", views.invoice_create, name="invoice_create"),
    path("invoices/detail/<str:invoice_id>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/edit/<str:invoice_id>/", views.invoice_edit, name="invoice_edit"),
    path("invoices/delete/<str:invoice_id>/", views.invoice_delete, name="invoice_delete"),
    path("invoices/issue/<str:invoice_id>/", views.invoice_issue, name="invoice_issue"),
    path("invoices/mark-paid/<str:invoice_id>/", views.invoice_mark_paid, name="invoice_mark_paid"),
    path("invoices/void/<str:invoice_id>/", views.invoice_void, name="invoice_void"),
    path("invoices/send/<str:invoice_id>/", views.invoice_send, name="invoice_send"),
    path("invoices/<str:invoice_id>/preview/", views.invoice_preview, name="invoice_preview"),
    path("invoices/<str:invoice_id>/generate-pdf/", views.invoice_pdf_view, name="invoice_pdf"),
]
