import calendar as pycalendar
import logging
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tasks import TaskResultStatus

from account.tenancy import (
    business_required,
    crew_allowed,
    get_for_business,
    is_cleaner,
    owner_required,
)
from config.shortcuts import confirm_delete, paginate
from core import counts
from core.money import format_money
from core.time import day_bounds
from customers.models import Customer

from . import crew, pdf, pricing, selectors, series, services, tasks
from .customer_forms import booking_initial_from_customer
from .emails import failure_reason
from .filters import BookingFilterSet, InvoiceFilterSet
from .forms import (
    BookingForm,
    CalendarForm,
    CancelForm,
    InvoiceForm,
    InvoiceLineFormSet,
    JobNotesForm,
    PaymentForm,
    SkipForm,
    VoidForm,
    lead_request_summary,
)
from .models import Booking, BookingSeries, BookingSource, BookingStatus, Invoice, InvoiceStatus
from .pdf import render_invoice_html
from .services import BookingError, ConfirmationNeeded

logger = logging.getLogger(__name__)


def _booking(request, booking_id, queryset=None):
    return get_for_business(
        queryset if queryset is not None else Booking.objects.select_related("business"),
        request.business,
        public_id=booking_id,
    )


def _invoice(request, invoice_id):
    return get_for_business(
        Invoice.objects.select_related("business", "booking"),
        request.business,
        public_id=invoice_id,
    )


# --- Bookings -------------------------------------------------------------------


@business_required
@require_GET
def booking_list(request):
    filters = BookingFilterSet(
        request.GET, selectors.bookings(request.business), business=request.business
    )
    page_obj = paginate(request, filters.qs)
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "bookings": page_obj.object_list,
        "counts": counts.cached(
            "bookings", request.business, lambda: selectors.booking_counts(request.business)
        ),
    }
    return render(request, "booking/booking_list.html", context, status=filters.status_code)


def _render_form(request, form, booking=None, status=200, lead=None):
    quote = _quote_for(form) if form.is_bound else _initial_quote(request.business, form)
    context = {"form": form, "booking": booking, "quote": quote, "lead": lead}
    if lead is not None:
        context["lead_request"] = lead_request_summary(lead)
    return render(request, "booking/booking_form.html", context, status=status)


def _quote_for(form):
    """The server's price for a (possibly partly invalid) bound booking form."""
    if not hasattr(form, "cleaned_data"):
        form.is_valid()
    if not form.pricing_ready():
        return None
    data = form.cleaned_data
    return pricing.quote(
        business=form.business,
        service_type=data["service_type"],
        bedrooms=data["bedrooms"],
        bathrooms=data["bathrooms"],
        square_feet=data["square_feet"],
        addons=form.addon_quantities(),
        frequency=form.pricing_frequency(),
    )


def _initial_quote(business, form):
    def value(name):
        return form.initial.get(name, form.fields[name].initial)

    try:
        return pricing.quote(
            business=business,
            service_type=value("service_type"),
            bedrooms=value("bedrooms") or 0,
            bathrooms=value("bathrooms") or 0,
            square_feet=value("square_feet") or 0,
            addons={a.key: form.initial.get(f"addon_{a.key}", 0) or 0 for a in form.addons},
            frequency=(
                form.booking.series.frequency
                if form.booking is not None and form.booking.series_id
                else value("frequency")
                if "frequency" in form.fields
                else None
            ),
        )
    except (ValueError, TypeError):
        return None


@business_required
@require_http_methods(["GET", "POST"])
def booking_create(request):
    business = request.business
    lead = None
    if request.method == "POST":
        form = BookingForm(request.POST, business=business)
        if form.is_valid():
            lead = form.lead_obj
            with transaction.atomic():
                booking = services.booking_create(
                    business=business,
                    source=BookingSource.LEAD if lead else BookingSource.MANUAL,
                    lead=lead,
                    created_by=request.user,
                    **form.picked(),
                    **form.booking_fields(),
                )
                conflicts = crew.booking_assign(
                    booking=booking, members=form.cleaned_data["assignees"], user=request.user
                )
                if booking.series_id:
                    # The crew does the series' visits made with it too.
                    for visit in booking.series.visits.exclude(pk=booking.pk):
                        crew.booking_assign(
                            booking=visit, members=form.cleaned_data["assignees"], user=request.user
                        )
            saved = (
                f"Booking {booking.public_id} for {booking.customer_name} saved: "
                f"{format_money(booking.total, business.currency)}."
            )
            if booking.series_id:
                count = booking.series.visits.count()
                label = booking.series.frequency_label
                saved += f" Repeats {label}: {count} visits are on the calendar."
            messages.success(request, saved)
            _warn_overlaps(request, conflicts)
            return redirect("booking:detail", booking.public_id)
        return _render_form(request, form, status=400, lead=form.lead_obj)
    initial = {}
    lead_id = request.GET.get("lead")
    if lead_id:
        from leads.models import Lead

        lead = get_for_business(Lead, business, public_id=lead_id)
        initial = BookingForm.initial_from_lead(lead)
    elif request.GET.get("customer"):
        initial = customer_initial(request)
    form = BookingForm(business=business, initial=initial)
    return _render_form(request, form, lead=lead)


def customer_initial(request):
    """The form's values for a customer picked from the search (no JavaScript)."""
    customer = get_for_business(Customer, request.business, public_id=request.GET["customer"])
    address_id = request.GET.get("address", "")
    address = customer.addresses.filter(pk=address_id).first() if address_id.isdigit() else None
    return booking_initial_from_customer(customer, address)


@business_required
@require_POST
def booking_quote(request):
    """The live price (htmx): the same pricing function that saves the booking."""
    form = BookingForm(request.POST, business=request.business)
    quote = _quote_for(form)
    return render(
        request,
        "booking/_quote.html",
        {"quote": quote, "currency": request.business.currency},
    )


def _warn_overlaps(request, conflicts):
    """The overlap warning after assigning: allowed, but said out loud."""
    for line in crew.conflict_messages(conflicts, request.business):
        messages.warning(request, f"Overlapping job: {line}")


@crew_allowed
@business_required
@require_GET
def booking_detail(request, booking_id):
    if is_cleaner(request):
        # A cleaner sees their own job only (another job is a 404), without prices.
        booking = crew.job_detail(request.membership, booking_id)
        return render(request, "booking/job_detail.html", _job_context(request, booking))
    booking = selectors.booking_detail(request.business, booking_id)
    invoices = list(booking.invoices.prefetch_related("payments").order_by("-created_at"))
    for invoice in invoices:
        invoice.business = booking.business  # no query per invoice for its status
    crew_members = list(booking.assignees.select_related("user").order_by("user__first_name"))
    live = next((i for i in invoices if i.status != InvoiceStatus.VOID), None)
    context = {
        "booking": booking,
        "lines": list(booking.lines.all()),
        "invoices": invoices,
        "live_invoice": live,
        "deposit_received": live.deposit_received if live is not None else 0,
        "history": list(booking.history.select_related("user")[:50]),
        "cancel_form": CancelForm(),
        "delete_refusal": services.booking_delete_refusal(booking),
        "in_future": services.booking_in_future(booking),
        "crew": crew_members,
        "overlaps": crew.conflict_messages(
            crew.booking_overlaps(booking, crew_members), request.business
        ),
    }
    return render(request, "booking/booking_detail.html", context)


@business_required
@require_http_methods(["GET", "POST"])
def booking_edit(request, booking_id):
    booking = _booking(request, booking_id, Booking.objects.select_related("business", "series"))
    if not booking.is_editable:
        messages.warning(
            request,
            f"This booking is {booking.get_status_display().lower()}, so it can no longer be "
            f"edited.",
        )
        return redirect("booking:detail", booking.public_id)
    if request.method == "POST":
        form = BookingForm(request.POST, business=request.business, booking=booking)
        if form.is_valid():
            fields = form.booking_fields()
            addons = fields.pop("addons")
            scope = form.cleaned_data.get("scope")
            try:
                with transaction.atomic():
                    if booking.series_id:
                        old_total = booking.total
                        changed = series.series_update(
                            booking=booking, scope=scope, user=request.user, addons=addons, **fields
                        )
                    else:
                        old_total = services.booking_update(
                            booking=booking, user=request.user, addons=addons, **fields
                        )
                    booking.refresh_from_db()
                    conflicts = crew.booking_assign(
                        booking=booking, members=form.cleaned_data["assignees"], user=request.user
                    )
            except BookingError as exc:
                if not booking.series_id or not booking.is_editable:
                    messages.error(request, str(exc))
                    return redirect("booking:detail", booking.public_id)
                form.add_error(None, str(exc))  # a series-wide change that cannot apply
                return _render_form(request, form, booking=booking, status=400)
            if booking.series_id and scope != series.Scope.THIS:
                messages.success(
                    request,
                    f"{changed} visit{'s' if changed != 1 else ''} of the series updated and "
                    f"re-priced; later visits will be made the same way.",
                )
                _warn_overlaps(request, conflicts)
                return redirect("booking:detail", booking.public_id)
            currency = request.business.currency
            if old_total != booking.total:
                messages.success(
                    request,
                    f"Booking updated and re-priced: was {format_money(old_total, currency)}, "
                    f"now {format_money(booking.total, currency)}.",
                )
            else:
                messages.success(
                    request,
                    f"Booking updated. Total unchanged: {format_money(booking.total, currency)}.",
                )
            _warn_overlaps(request, conflicts)
            return redirect("booking:detail", booking.public_id)
        return _render_form(request, form, booking=booking, status=400)
    form = BookingForm(
        business=request.business,
        booking=booking,
        initial=BookingForm.initial_from_booking(booking),
    )
    return _render_form(request, form, booking=booking)


@business_required
@require_http_methods(["GET", "POST"])
def booking_mark_completed(request, booking_id):
    """POST completes the booking. A booking that has not started yet needs
    `confirm=1`: without it (and on GET) the confirmation page is shown."""
    booking = _booking(request, booking_id)
    if request.method == "GET":
        return _render_complete_confirmation(request, booking)
    try:
        invoice = services.booking_complete(
            booking=booking, user=request.user, confirmed=request.POST.get("confirm") == "1"
        )
    except ConfirmationNeeded as exc:
        return _render_complete_confirmation(request, booking, message=str(exc))
    except BookingError as exc:
        messages.error(request, str(exc))
        return redirect("booking:detail", booking.public_id)
    messages.success(
        request, f"Booking {booking.public_id} completed. Invoice {invoice.label} is ready."
    )
    return redirect("booking:invoice_detail", invoice.public_id)


def _render_complete_confirmation(request, booking, message=""):
    if not booking.is_editable:
        messages.info(request, f"This booking is already {booking.get_status_display().lower()}.")
        return redirect("booking:detail", booking.public_id)
    context = {
        "booking": booking,
        "in_future": services.booking_in_future(booking),
        "message": message,
    }
    return render(request, "booking/booking_complete.html", context)


@business_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, booking_id):
    booking = _booking(request, booking_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.booking_cancel(
                    booking=booking, reason=form.cleaned_data["reason"], user=request.user
                )
            except BookingError as exc:
                messages.error(request, str(exc))
                return redirect("booking:detail", booking.public_id)
            messages.success(request, f"Booking {booking.public_id} cancelled.")
            return redirect("booking:detail", booking.public_id)
        return render(
            request, "booking/booking_cancel.html", {"booking": booking, "form": form}, status=400
        )
    return render(request, "booking/booking_cancel.html", {"booking": booking, "form": form})


@owner_required
@require_http_methods(["GET", "POST", "DELETE"])
def booking_delete(request, booking_id):
    booking = _booking(request, booking_id)
    refusal = services.booking_delete_refusal(booking)
    return confirm_delete(
        request,
        obj=booking,
        perform=lambda: services.booking_delete(booking=booking),
        success_url=reverse("booking:list"),
        cancel_url=reverse("booking:detail", args=[booking.public_id]),
        message=f"Booking {booking.public_id} deleted.",
        title="Delete booking",
        consequence=refusal
        or "Its unpaid invoice, if any, is deleted with it. To keep a record, cancel it instead.",
    )


# --- Recurring series -------------------------------------------------------------


@business_required
@require_http_methods(["GET", "POST"])
def booking_skip(request, booking_id):
    """Skip one visit of a series: GET asks for the reason, POST skips it."""
    booking = _booking(request, booking_id, Booking.objects.select_related("business", "series"))
    form = SkipForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                series.visit_skip(
                    booking=booking, reason=form.cleaned_data["reason"], user=request.user
                )
            except BookingError as exc:
                messages.error(request, str(exc))
                return redirect("booking:detail", booking.public_id)
            messages.success(
                request, f"Visit {booking.public_id} skipped; the rest of the series goes on."
            )
            return redirect("booking:detail", booking.public_id)
        status = 400
    context = {"booking": booking, "form": form}
    return render(request, "booking/booking_skip.html", context, status=status)


def _series(request, series_id):
    return get_for_business(
        BookingSeries.objects.select_related("business"), request.business, public_id=series_id
    )


@business_required
@require_GET
def series_detail(request, series_id):
    item = _series(request, series_id)
    visits = item.visits.select_related("business").order_by("start", "pk")
    upcoming = request.GET.get("show") != "past"
    now = timezone.now()
    visits = visits.filter(start__gte=now) if upcoming else visits.filter(start__lt=now).reverse()
    page_obj = paginate(request, visits)
    for visit in page_obj.object_list:
        visit.series = item  # the badge needs no query per visit
    counts = item.visits.aggregate(
        scheduled=Count("pk", filter=Q(status=BookingStatus.SCHEDULED, start__gte=now)),
        completed=Count("pk", filter=Q(status=BookingStatus.COMPLETED)),
        skipped=Count("pk", filter=Q(status=BookingStatus.SKIPPED)),
    )
    context = {
        "series": item,
        "rule": series.describe(item),
        "page_obj": page_obj,
        "visits": page_obj.object_list,
        "upcoming": upcoming,
        "counts": counts,
    }
    return render(request, "booking/series_detail.html", context)


SERIES_ACTIONS = {
    "pause": (series.series_pause, "Series paused: its upcoming visits are skipped."),
    "resume": (series.series_resume, "Series resumed: its upcoming visits are back on."),
    "end": (series.series_end, "Series ended: its upcoming visits are cancelled."),
}


@business_required
@require_http_methods(["GET", "POST"])
def series_action(request, series_id, action):
    """Pause, resume or end a series: GET asks to confirm, POST does it."""
    item = _series(request, series_id)
    perform, done = SERIES_ACTIONS[action]
    if request.method == "POST":
        try:
            perform(series=item, user=request.user)
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
        return redirect("booking:series_detail", item.public_id)
    context = {"series": item, "action": action, "rule": series.describe(item)}
    return render(request, "booking/series_action.html", context)


# --- Calendar -------------------------------------------------------------------


# Bookings shown per day in the month view; the rest behind "+N more".
CALENDAR_PER_DAY = 3


class _DayBookings(list):
    """The bookings shown on a day of the month view, and the rest: `more`,
    how many are not shown, and `more_url`, the day's booking list."""

    def __init__(self, shown, *, day, total):
        super().__init__(shown)
        self.more = total - len(shown)
        query = urlencode({"date_from": day.isoformat(), "date_to": day.isoformat()})
        self.more_url = f"{reverse('booking:list')}?{query}&sort=start"


@business_required
@require_GET
def booking_calendar(request):
    business = request.business
    today = business.today()
    view = "week" if request.GET.get("view") == "week" else "month"
    form = CalendarForm(request.GET, business=business)
    form.is_valid()
    anchor = form.cleaned_data.get("date") or today
    member = form.cleaned_data.get("member")
    cal = pycalendar.Calendar(firstweekday=6)  # weeks start on Sunday
    if view == "week":
        first = anchor - timedelta(days=(anchor.weekday() + 1) % 7)
        weeks = [[first + timedelta(days=i) for i in range(7)]]
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
        title = f"Week of {first:%b} {first.day}, {first.year}"
    else:
        weeks = cal.monthdatescalendar(anchor.year, anchor.month)
        month_start = anchor.replace(day=1)
        previous = (month_start - timedelta(days=1)).replace(day=1)
        following = (month_start + timedelta(days=32)).replace(day=1)
        title = f"{month_start:%B %Y}"
    start, end = day_bounds(business.tzinfo, weeks[0][0], weeks[-1][-1])
    by_day = defaultdict(list)
    if view == "month":
        # A few bookings per day and "+N more" to the day's list: the month
        # costs the same however busy it is.
        days = [day for week in weeks for day in week]
        for day, (shown, total) in selectors.calendar_days(
            business, days, CALENDAR_PER_DAY, member=member
        ).items():
            by_day[day] = _DayBookings(shown, day=day, total=total)
        prefetch_related_objects(
            [booking for shown in by_day.values() for booking in shown],
            crew.assignees_prefetch(),
        )
    else:
        bookings = selectors.bookings_between(business, start, end).prefetch_related(
            crew.assignees_prefetch()
        )
        if member is not None:
            bookings = bookings.filter(assignees=member)
        for booking in bookings:
            by_day[timezone.localtime(booking.start, business.tzinfo).date()].append(booking)
    context = {
        "view": view,
        "title": title,
        "today": today,
        "anchor": anchor,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "days_with_bookings": [
            (day, by_day[day]) for week in weeks for day in week if by_day.get(day)
        ],
        "previous": previous,
        "following": following,
        "weekday_names": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "date_errors": form.errors.get("date", []),
        "member_errors": form.errors.get("member", []),
        "member_form": form,
        "member": member,
        # Kept on the calendar's own links (previous, next, week, month).
        "member_query": f"&member={member.pk}" if member is not None else "",
    }
    status = 400 if form.errors else 200
    return render(request, "booking/calendar.html", context, status=status)


# --- My jobs (the crew) ----------------------------------------------------------


def _job_context(request, booking, *, form=None, action=None):
    return {
        "job": booking,
        "form": form or JobNotesForm(),
        "action": action,
        "in_future": services.booking_in_future(booking),
    }


def _day_heading(day, today):
    if day == today:
        return "Today"
    if day == today + timedelta(days=1):
        return "Tomorrow"
    return f"{day:%A}, {day:%B} {day.day}"


@crew_allowed
@business_required
@require_GET
def my_jobs(request):
    """Today's and upcoming jobs of the signed-in member, for a phone."""
    business = request.business
    today = business.today()
    days = defaultdict(list)
    for job in crew.my_jobs(request.membership):
        days[timezone.localtime(job.start, business.tzinfo).date()].append(job)
    context = {
        "days": [(day, _day_heading(day, today), jobs) for day, jobs in days.items()],
        "today": today,
        "limit": crew.MY_JOBS_LIMIT,
        "job_count": sum(len(jobs) for jobs in days.values()),
    }
    return render(request, "booking/my_jobs.html", context)


def _after_job(request, booking):
    if request.POST.get("next") == "detail":
        return redirect("booking:detail", booking.public_id)
    return redirect(reverse("booking:my_jobs") + f"#job-{booking.public_id}")


@crew_allowed
@business_required
@require_POST
def job_start(request, booking_id):
    """The crew starts one of their jobs (time and who are recorded), with notes."""
    booking = crew.job(request.membership, booking_id)
    form = JobNotesForm(request.POST)
    if not form.is_valid():
        context = _job_context(request, booking, form=form, action="start")
        return render(request, "booking/job_detail.html", context, status=400)
    try:
        crew.job_start(booking=booking, user=request.user, notes=form.cleaned_data["notes"])
    except BookingError as exc:
        messages.error(request, str(exc))
        return _after_job(request, booking)
    messages.success(request, f"Job {booking.public_id} started. Complete it when you are done.")
    return _after_job(request, booking)


@crew_allowed
@business_required
@require_http_methods(["GET", "POST"])
def job_complete(request, booking_id):
    """The crew completes one of their jobs through the booking's completion
    service. A job that has not started yet needs `confirm=1`: without it (and
    on GET) the confirmation is shown, with the notes kept."""
    booking = crew.job(request.membership, booking_id)
    if request.method == "GET":
        if not booking.is_editable:
            return redirect("booking:my_jobs")
        return render(request, "booking/job_complete.html", _job_context(request, booking))
    form = JobNotesForm(request.POST)
    if not form.is_valid():
        context = _job_context(request, booking, form=form, action="complete")
        return render(request, "booking/job_detail.html", context, status=400)
    try:
        crew.job_complete(
            booking=booking,
            user=request.user,
            notes=form.cleaned_data["notes"],
            confirmed=form.cleaned_data["confirm"],
        )
    except ConfirmationNeeded as exc:
        context = _job_context(request, booking, form=form)
        context["message"] = str(exc)
        return render(request, "booking/job_complete.html", context)
    except BookingError as exc:
        messages.error(request, str(exc))
        return _after_job(request, booking)
    messages.success(request, f"Job {booking.public_id} completed. Thank you!")
    return _after_job(request, booking)


# --- Invoices -------------------------------------------------------------------


@business_required
@require_GET
def invoice_list(request):
    filters = InvoiceFilterSet(
        request.GET, selectors.invoices(request.business), business=request.business
    )
    page_obj = paginate(request, filters.qs)
    today = request.business.today()
    for invoice in page_obj.object_list:
        invoice.overdue = invoice.is_overdue(today)
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "invoices": page_obj.object_list,
        "totals": counts.cached(
            "invoices",
            request.business,
            lambda: selectors.invoice_totals(request.business),
            stamp=today,
        ),
    }
    return render(request, "booking/invoice_list.html", context, status=filters.status_code)


@business_required
@require_http_methods(["GET", "POST"])
def invoice_create(request, booking_id):
    booking = _booking(request, booking_id)
    existing = services.live_invoice(booking)
    if existing is not None:
        messages.info(request, f"This booking already has invoice {existing.label}.")
        return redirect("booking:invoice_detail", existing.public_id)
    if request.method == "POST":
        issue = request.POST.get("action") != "draft"
        try:
            invoice, _ = services.invoice_create(booking=booking, user=request.user, issue=issue)
        except BookingError as exc:
            messages.error(request, str(exc))
            return redirect("booking:detail", booking.public_id)
        messages.success(
            request,
            f"Invoice {invoice.number} created."
            if issue
            else "Draft invoice saved; issue it to give it a number.",
        )
        return redirect("booking:invoice_detail", invoice.public_id)
    settings = request.business.settings
    today = request.business.today()
    context = {
        "booking": booking,
        "lines": list(booking.lines.all()),
        "issue_date": today,
        "due_date": today + timedelta(days=settings.invoice_due_days),
    }
    return render(request, "booking/invoice_create.html", context)


@business_required
@require_GET
def invoice_detail(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    payments = list(invoice.payments.select_related("recorded_by"))
    context = {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "payments": payments,
        "payment_form": PaymentForm(invoice=invoice) if invoice.amount_due else None,
        "deposit_due": invoice.deposit_outstanding,
        "void_form": VoidForm(),
        "delete_refusal": services.invoice_delete_refusal(invoice),
    }
    return render(request, "booking/invoice_detail.html", context)


@business_required
@require_http_methods(["GET", "POST"])
def invoice_edit(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    if invoice.is_locked:
        messages.warning(
            request,
            f"A {invoice.get_status_display().lower()} invoice is locked; it cannot change.",
        )
        return redirect("booking:invoice_detail", invoice.public_id)
    editable = invoice.lines_editable
    line_options = {"prefix": "lines", "currency": invoice.currency, "tax_rate": invoice.tax_rate}
    initial_lines = [
        {"description": line.description, "quantity": line.quantity, "unit_price": line.unit_price}
        for line in invoice.lines.all()
    ]
    if request.method == "POST":
        form = InvoiceForm(request.POST, invoice=invoice)
        formset = InvoiceLineFormSet(request.POST, **line_options) if editable else None
        if form.is_valid() and (formset is None or formset.is_valid()):
            try:
                services.invoice_update(
                    invoice=invoice,
                    due_date=form.cleaned_data["due_date"],
                    notes=form.cleaned_data["notes"],
                    discount=form.cleaned_data.get("discount") if editable else None,
                    lines=formset.lines() if formset is not None else None,
                )
            except BookingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Invoice {invoice.label} saved.")
                return redirect("booking:invoice_detail", invoice.public_id)
        status = 400
    else:
        form = InvoiceForm(
            invoice=invoice,
            initial={
                "due_date": invoice.due_date or request.business.today(),
                "notes": invoice.notes,
                "discount": invoice.discount,
            },
        )
        formset = InvoiceLineFormSet(initial=initial_lines, **line_options) if editable else None
        status = 200
    context = {"invoice": invoice, "form": form, "formset": formset}
    return render(request, "booking/invoice_form.html", context, status=status)


@owner_required
@require_http_methods(["GET", "POST", "DELETE"])
def invoice_delete(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    refusal = services.invoice_delete_refusal(invoice)
    return confirm_delete(
        request,
        obj=invoice,
        perform=lambda: services.invoice_delete(invoice=invoice),
        success_url=reverse("booking:invoice_list"),
        cancel_url=reverse("booking:invoice_detail", args=[invoice.public_id]),
        message=f"Invoice {invoice.label} deleted.",
        title="Delete invoice",
        consequence=refusal
        or "The booking stays; you can create a new invoice for it. To keep a record, void "
        "the invoice instead.",
    )


@business_required
@require_POST
def invoice_issue(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    try:
        invoice = services.invoice_issue(invoice=invoice, user=request.user)
    except BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Invoice {invoice.number} issued.")
    return redirect("booking:invoice_detail", invoice.public_id)


@business_required
@require_http_methods(["GET", "POST"])
def invoice_mark_paid(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    if request.method == "POST":
        form = PaymentForm(request.POST, invoice=invoice)
        if form.is_valid():
            try:
                services.payment_record(invoice=invoice, user=request.user, **form.payment_fields())
            except BookingError as exc:
                messages.error(request, str(exc))
                return redirect("booking:invoice_detail", invoice.public_id)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                invoice.refresh_from_db()
                if invoice.status == InvoiceStatus.PAID:
                    messages.success(
                        request, f"Payment recorded. Invoice {invoice.number} is paid."
                    )
                else:
                    messages.success(
                        request,
                        f"Payment recorded. "
                        f"{format_money(invoice.amount_due, invoice.currency)} still due.",
                    )
                return redirect("booking:invoice_detail", invoice.public_id)
        status = 400
    else:
        kind = request.GET.get("kind")
        form = PaymentForm(invoice=invoice, initial={"kind": kind} if kind else None)
        status = 200
    if invoice.status not in (InvoiceStatus.UNPAID, InvoiceStatus.PARTIALLY_PAID):
        messages.error(
            request,
            f"Payments can only be recorded on an issued, unpaid invoice; this one is "
            f"{invoice.get_status_display().lower()}.",
        )
        return redirect("booking:invoice_detail", invoice.public_id)
    return render(
        request, "booking/payment_form.html", {"invoice": invoice, "form": form}, status=status
    )


@owner_required
@require_http_methods(["GET", "POST"])
def invoice_void(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    form = VoidForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.invoice_void(
                    invoice=invoice, reason=form.cleaned_data["reason"], user=request.user
                )
            except BookingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"Invoice {invoice.label} voided. You can create a new invoice for the "
                    f"booking.",
                )
            return redirect("booking:invoice_detail", invoice.public_id)
        status = 400
    else:
        status = 200
    return render(
        request, "booking/invoice_void.html", {"invoice": invoice, "form": form}, status=status
    )


@business_required
@require_GET
def invoice_preview(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    return HttpResponse(render_invoice_html(invoice, preview=True, request=request))


PDF_POLL_SECONDS = 2
PDF_MAX_POLLS = 90  # three minutes, then the page says so and offers to try again


def _pdf_task_result(task_id):
    """The render task's result when the backend can tell, else None."""
    if not task_id:
        return None
    try:
        return tasks.render_invoice_pdf.get_result(task_id)
    except Exception:  # unknown id, or a backend that keeps no results
        return None


def _pdf_response(request, cached):
    filename, mimetype, data = cached
    response = HttpResponse(data, content_type=mimetype)
    disposition = "inline" if request.GET.get("inline") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@business_required
@require_GET
def invoice_pdf_view(request, invoice_id):
    """The invoice's PDF, served only here (it is cached where no URL reaches).

    A PDF that is not rendered yet is rendered by a background task. With the
    immediate backend it is ready at once; with a queue the page says it is
    being prepared and polls (htmx, `HX-Request`) until it is, then downloads.
    """
    invoice = _invoice(request, invoice_id)
    polling = request.headers.get("HX-Request") == "true"
    cached = pdf.cached_invoice_pdf(invoice)
    if cached is not None and not polling:
        return _pdf_response(request, cached)
    result = _pdf_task_result(request.GET.get("task")) if polling else None
    if cached is None and (
        not polling or (result is not None and result.status == TaskResultStatus.SUCCESSFUL)
    ):
        # First request, or the task finished for an older version of the
        # invoice: render (again). The immediate backend has done it now.
        result = tasks.render_invoice_pdf.enqueue(invoice_id=invoice.pk)
        cached = pdf.cached_invoice_pdf(invoice)
        if cached is not None and not polling:
            return _pdf_response(request, cached)
    try:
        polls = int(request.GET.get("poll", "0")) + 1
    except ValueError:
        polls = 1
    base_url = reverse("booking:invoice_pdf", args=[invoice.public_id])
    extra = {"inline": "1"} if request.GET.get("inline") else {}
    poll_query = {
        "task": result.id if result is not None else request.GET.get("task", ""),
        "poll": polls,
        **extra,
    }
    context = {
        "invoice": invoice,
        "ready": cached is not None,
        "failed": result is not None and result.status == TaskResultStatus.FAILED,
        "gave_up": polls > PDF_MAX_POLLS,
        "poll_seconds": PDF_POLL_SECONDS,
        "poll_url": f"{base_url}?{urlencode(poll_query)}",
        "download_url": f"{base_url}?{urlencode(extra)}" if extra else base_url,
    }
    if polling:
        return render(request, "booking/_pdf_status.html", context)
    status = 200 if context["failed"] else 202
    return render(request, "booking/invoice_pdf_wait.html", context, status=status)


@business_required
@require_POST
def invoice_send(request, invoice_id):
    invoice = _invoice(request, invoice_id)
    if invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.VOID):
        messages.error(request, "Issue the invoice before emailing it.")
    elif not invoice.bill_to_email:
        messages.error(
            request, "This invoice has no customer email. Add one to the booking, then try again."
        )
    else:
        # Rendering and sending happen in a task: at once with the immediate
        # backend, by the worker with a queue (the booking's history then
        # records the outcome).
        result = tasks.email_invoice.enqueue(invoice_id=invoice.pk, user_id=request.user.pk)
        if result.status == TaskResultStatus.SUCCESSFUL:
            messages.success(request, f"Invoice {invoice.number} emailed to the customer.")
        elif result.status == TaskResultStatus.FAILED:
            reason = failure_reason(result.errors[-1].exception_class) if result.errors else ""
            messages.error(
                request,
                f"The email could not be sent{': ' + reason if reason else ''}. "
                "Please try again later.",
            )
        else:
            messages.info(
                request,
                f"Invoice {invoice.number} is being emailed to the customer. The booking's "
                "history shows when it has gone.",
            )
    return redirect("booking:invoice_detail", invoice.public_id)
