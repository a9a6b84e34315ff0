"""CSV export of the filtered restaurants list, and CSV import with a preview."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from account.tenancy import business_required
from core.spreadsheets import csv_response

from .. import selectors, transfer
from ..filters import RestaurantFilterSet
from ..forms import ImportConfirmForm, ImportUploadForm
from . import changes_orders_or_statuses


@business_required
@require_GET
def export(request):
    """The restaurants the list shows with the same filters and order, as CSV."""
    business = request.business
    filters = RestaurantFilterSet(
        request.GET, selectors.restaurants(business), business=business, request=request
    )
    if filters.errors:
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items()
        )
        return HttpResponse(
            f"The export was not made, a filter could not be read: {problems}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filename = f"restaurants-{timezone.localdate():%Y-%m-%d}.csv"
    rows = transfer.export_rows(filters.qs, business)
    return csv_response(filename, transfer.EXPORT_COLUMNS, rows)


def _columns_context():
    return {
        "columns": transfer.IMPORT_COLUMNS,
        "max_rows": transfer.MAX_ROWS,
        "max_mb": transfer.MAX_BYTES // 1_000_000,
    }


@business_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a file (GET: the form) and see what importing it would do."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return render(request, "crm/import.html", {"form": form, **_columns_context()})
    if form.is_valid():
        try:
            text = transfer.read_upload(form.cleaned_data["file"])
            return _preview(request, text)
        except transfer.ImportFileError as exc:
            form.add_error("file", str(exc))
    return render(request, "crm/import.html", {"form": form, **_columns_context()}, status=400)


def _preview(request, text, *, confirm=None, status=200):
    business = request.business
    plan = transfer.plan_import(
        text, business=business, user=request.user, people=selectors.people(business)
    )
    token = transfer.sign_file(text, user=request.user, business=business)
    confirm = confirm or ImportConfirmForm(initial={"token": token})
    context = {"plan": plan, "confirm": confirm, "token": token}
    return render(request, "crm/import_preview.html", context, status=status)


@business_required
@require_POST
@changes_orders_or_statuses
def import_confirm(request):
    """Import the previewed file: every row in one transaction, or nothing
    when a row has errors and the user did not choose to skip them."""
    business = request.business
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The preview could not be read: upload the file again.")
        return redirect("crm:import")
    try:
        text = transfer.unsign_file(
            form.cleaned_data["token"], user=request.user, business=business
        )
        plan = transfer.plan_import(
            text, business=business, user=request.user, people=selectors.people(business)
        )
    except transfer.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("crm:import")
    if plan.refused and not form.cleaned_data["skip_errors"]:
        form.add_error(
            "skip_errors",
            f"{plan.refused} rows have errors. Fix them and upload the file again, "
            "or tick this box to import the other rows without them.",
        )
        return _preview(request, text, confirm=form, status=400)
    if not plan.writable:
        messages.error(request, "Nothing was imported: every row has errors.")
        return redirect("crm:import")
    created, updated = transfer.run_import(plan, business=business, user=request.user)
    text = f"Import done: {created} restaurants added, {updated} updated"
    text += f", {plan.refused} rows skipped." if plan.refused else "."
    messages.success(request, text)
    return redirect("crm:home")
