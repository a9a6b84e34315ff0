"""CSV exports of the bookings and invoices lists, as filtered on the page
(the same FilterSets; `booking.exports` builds the rows)."""

from django.views.decorators.http import require_GET

from account.tenancy import business_required
from core.spreadsheets import csv_response, export_filename, refused_export

from . import exports, selectors
from .filters import BookingFilterSet, InvoiceFilterSet


@business_required
@require_GET
def booking_export(request):
    business = request.business
    filters = BookingFilterSet(request.GET, selectors.bookings(business), business=business)
    refused = refused_export(filters)
    if refused:
        return refused
    rows = exports.booking_rows(filters.qs, business)
    return csv_response(export_filename("bookings", business), exports.BOOKING_COLUMNS, rows)


@business_required
@require_GET
def invoice_export(request):
    business = request.business
    filters = InvoiceFilterSet(request.GET, selectors.invoices(business), business=business)
    refused = refused_export(filters)
    if refused:
        return refused
    rows = exports.invoice_rows(filters.qs, business)
    return csv_response(export_filename("invoices", business), exports.INVOICE_COLUMNS, rows)
