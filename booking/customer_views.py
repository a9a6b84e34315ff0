"""The customer pages: list with search, filters and export, a customer's
page, create, edit, delete or archive, merge, and the booking form's picker.

The `Customer` model and its services live in `customers` (below leads and
bookings); these pages show bookings, invoices and payments, so they live
here, above both."""

import logging

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from account.tenancy import business_required, get_for_business
from config.shortcuts import confirm_delete, paginate
from core.spreadsheets import csv_response, export_filename, refused_export
from customers import services
from customers.models import Customer

from . import customer_selectors as selectors
from . import exports
from .customer_filters import CustomerFilterSet
from .customer_forms import AddressFormSet, CustomerForm, MergeForm

logger = logging.getLogger(__name__)


def _customer(request, customer_id):
    return get_for_business(
        Customer.objects.select_related("business"), request.business, public_id=customer_id
    )


def _filters(request):
    return CustomerFilterSet(
        request.GET, selectors.customers(request.business), business=request.business
    )


@business_required
@require_GET
def customer_list(request):
    filters = _filters(request)
    page_obj = paginate(request, filters.qs)
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "customers": page_obj.object_list,
    }
    return render(request, "customers/customer_list.html", context, status=filters.status_code)


@business_required
@require_GET
def customer_export(request):
    """The customers the list shows, with the same filters and order, as CSV."""
    filters = _filters(request)
    refused = refused_export(filters)
    if refused:
        return refused
    rows = exports.customer_rows(filters.qs, request.business)
    return csv_response(
        export_filename("customers", request.business), exports.CUSTOMER_COLUMNS, rows
    )


@business_required
@require_GET
def customer_detail(request, customer_id):
    customer = _customer(request, customer_id)
    context = {"customer": customer, **selectors.customer_page(customer)}
    return render(request, "customers/customer_detail.html", context)


def _render_form(request, form, formset, customer=None, status=200):
    context = {"form": form, "formset": formset, "customer": customer}
    return render(request, "customers/customer_form.html", context, status=status)


@business_required
@require_http_methods(["GET", "POST"])
def customer_create(request):
    business = request.business
    if request.method == "POST":
        form = CustomerForm(request.POST, business=business)
        formset = AddressFormSet(request.POST, instance=Customer(business=business))
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                customer = services.customer_create(
                    business=business, user=request.user, **form.cleaned_data
                )
                formset.instance = customer
                formset.save()
            messages.success(request, f"Customer {customer.name} added.")
            return redirect("customers:detail", customer.public_id)
        return _render_form(request, form, formset, status=400)
    form = CustomerForm(business=business)
    formset = AddressFormSet(instance=Customer(business=business))
    return _render_form(request, form, formset)


@business_required
@require_http_methods(["GET", "POST"])
def customer_edit(request, customer_id):
    customer = _customer(request, customer_id)
    if request.method == "POST":
        form = CustomerForm(request.POST, business=request.business, instance=customer)
        formset = AddressFormSet(request.POST, instance=customer)
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                fields = form.cleaned_data
                customer = Customer.objects.select_for_update().get(pk=customer.pk)
                services.customer_update(customer=customer, user=request.user, **fields)
                formset.save()
            messages.success(request, f"Customer {customer.name} saved.")
            return redirect("customers:detail", customer.public_id)
        customer.refresh_from_db()
        return _render_form(request, form, formset, customer=customer, status=400)
    form = CustomerForm(business=request.business, instance=customer)
    formset = AddressFormSet(instance=customer)
    return _render_form(request, form, formset, customer=customer)


@business_required
@require_http_methods(["GET", "POST", "DELETE"])
def customer_delete(request, customer_id):
    """Deletes a customer without bookings; one with bookings is archived
    instead (the page says so and offers it)."""
    customer = _customer(request, customer_id)
    refusal = services.customer_delete_refusal(customer)
    if refusal and request.method == "GET":
        return render(
            request,
            "customers/customer_archive_instead.html",
            {"customer": customer, "refusal": refusal},
        )
    return confirm_delete(
        request,
        obj=customer,
        perform=lambda: services.customer_delete(customer=customer),
        success_url=reverse("customers:list"),
        cancel_url=reverse("customers:detail", args=[customer.public_id]),
        message=f"Customer {customer.name} deleted.",
        title="Delete customer",
        consequence="Its addresses and timeline are deleted; its leads are kept, without the link.",
    )


@business_required
@require_POST
def customer_archive(request, customer_id):
    customer = _customer(request, customer_id)
    archived = request.POST.get("archived", "1") == "1"
    services.customer_set_archived(customer=customer, archived=archived, user=request.user)
    messages.success(
        request,
        f"{customer.name} archived: kept with the bookings and invoices, hidden from the list."
        if archived
        else f"{customer.name} restored.",
    )
    return redirect("customers:detail", customer.public_id)


@business_required
@require_http_methods(["GET", "POST"])
def customer_merge(request, customer_id):
    """Merge another customer into this one: search, pick, confirm (GET), merge (POST)."""
    customer = _customer(request, customer_id)
    other = None
    other_id = request.POST.get("other") or request.GET.get("other")
    if other_id:
        other = get_for_business(Customer, request.business, public_id=other_id)
        if other.pk == customer.pk:
            messages.error(request, "Choose another customer to merge with.")
            return redirect("customers:merge", customer.public_id)
    if request.method == "POST":
        form = MergeForm(request.POST)
        if not form.is_valid() or other is None:
            messages.error(request, "Choose the customer to merge into this one.")
            return redirect("customers:merge", customer.public_id)
        moved = services.customer_merge(keep=customer, other=other, user=request.user)
        messages.success(
            request,
            f"{other.name} merged into {customer.name}: {moved['bookings']} bookings, "
            f"{moved['invoices']} invoices, {moved['leads']} leads and "
            f"{moved['addresses']} addresses moved.",
        )
        return redirect("customers:detail", customer.public_id)
    term = request.GET.get("q", "")
    context = {
        "customer": customer,
        "other": other,
        "other_figures": selectors.customer_figures(other) if other else None,
        "term": term,
        "candidates": selectors.merge_candidates(customer, term) if not other else [],
    }
    return render(request, "customers/customer_merge.html", context)


@business_required
@require_GET
def customer_search(request):
    """The booking form's customer picker: matching customers with their
    addresses (an htmx fragment, or a plain page without JavaScript)."""
    term = request.GET.get("customer_q", "")
    found = selectors.customer_search(request.business, term)
    template = (
        "customers/_picker_results.html"
        if request.headers.get("HX-Request")
        else "customers/customer_pick.html"
    )
    return render(request, template, {"found": found, "term": term})
