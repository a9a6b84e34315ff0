import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from account.ratelimit import RateLimit, client_address
from account.tenancy import business_required, get_for_business, owner_required
from booking import pdf, pricing, validation
from booking.models import Booking, InvoiceStatus
from booking.services import BookingError

from . import availability, links, services
from .choices import ONCE
from .forms import (
    HONEYPOT,
    BookingPageForm,
    OnlineBookingForm,
    RescheduleForm,
    form_token,
    form_token_ok,
    payment_link,
    progress_values,
)
from .framing import frameable
from .models import BookingPage

logger = logging.getLogger(__name__)

PRICING_FIELDS = ("service_type", "bedrooms", "bathrooms", "square_feet")


def booking_posts():
    return RateLimit(
        "online-book", limit=settings.FIELDBOOK_BOOKING_PAGE_POSTS_PER_HOUR, window=3600
    )


def progress_saves():
    return RateLimit(
        "online-progress", limit=settings.FIELDBOOK_BOOKING_PAGE_SAVES_PER_HOUR, window=3600
    )


def _too_many(wait):
    response = HttpResponse(
        "Too many attempts from your address. Please try again later.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


# --- Owner: settings and answering requests ----------------------------------------


@owner_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    page = services.booking_page_for(request.business)
    form = BookingPageForm(request.POST or None, instance=page)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            page = form.save()
            messages.success(
                request,
                "Booking page saved. "
                + ("It is on." if page.enabled else "It is off: customers cannot open it."),
            )
            return redirect("online:settings")
        status = 400
    public_url = settings.SITE_URL + reverse("online:book", args=[page.slug])
    context = {
        "form": form,
        "page": page,
        "public_url": public_url,
        "embed_snippet": (
            f'<iframe src="{public_url}" title="Book with {page.business.name}" '
            f'width="100%" height="1400" loading="lazy"></iframe>'
        ),
        "crew_capacity": availability.crew_capacity(request.business),
    }
    return render(request, "online/settings.html", context, status=status)


def _owned_booking(request, booking_id):
    return get_for_business(
        Booking.objects.select_related("business"), request.business, public_id=booking_id
    )


@business_required
@require_POST
def request_confirm(request, booking_id):
    booking = _owned_booking(request, booking_id)
    try:
        services.request_confirm(booking=booking, user=request.user)
    except BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Booking {booking.public_id} confirmed; the customer is emailed."
        )
    return redirect("booking:detail", booking.public_id)


@business_required
@require_POST
def request_decline(request, booking_id):
    booking = _owned_booking(request, booking_id)
    reason = (request.POST.get("reason") or "").strip()[:200]
    try:
        services.request_decline(booking=booking, reason=reason, user=request.user)
    except BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Booking {booking.public_id} declined; the customer is emailed.")
    return redirect("booking:detail", booking.public_id)


# --- The public booking page ---------------------------------------------------------


def _page(slug):
    page = get_object_or_404(
        BookingPage.objects.select_related("business", "business__settings"),
        slug=slug,
        enabled=True,
    )
    return page


def _quote(page, data):
    """The price of what `data` asks for (through the booking validation), or None."""
    values = {name: data.get(name) for name in PRICING_FIELDS}
    values["addons"] = {
        key[len(validation.ADDON_PREFIX) :]: value
        for key, value in data.items()
        if key.startswith(validation.ADDON_PREFIX)
    }
    checked = validation.validate_booking(page.business, values, partial=True)
    if checked.errors or any(name not in checked.cleaned for name in PRICING_FIELDS):
        return None
    cleaned = checked.cleaned
    frequency = validation.parse_frequency(data.get("frequency") or ONCE)
    return pricing.quote(
        business=page.business,
        service_type=cleaned["service_type"],
        bedrooms=cleaned["bedrooms"],
        bathrooms=cleaned["bathrooms"],
        square_feet=cleaned["square_feet"],
        addons=cleaned.get("addons") or {},
        frequency=frequency or ONCE,
    )


def _render_book(request, page, form, status=200, quote=None):
    context = {
        "page": page,
        "business": page.business,
        "form": form,
        "quote": quote,
        "currency": page.business.currency,
        "honeypot": form[HONEYPOT],
        "no_windows": not form.windows,
    }
    return render(request, "online/book.html", context, status=status)


@csrf_exempt
@frameable
@require_http_methods(["GET", "POST"])
def book(request, slug):
    page = _page(slug)
    windows = availability.windows(page)
    if request.method == "GET":
        form = OnlineBookingForm(
            page=page, windows=windows, initial={"form_token": form_token(page)}
        )
        initial = {name: form[name].value() for name in form.fields}
        return _render_book(request, page, form, quote=_quote(page, initial))
    limit = booking_posts()
    address = client_address(request)
    wait = limit.retry_after(f"addr:{address}")
    if wait:
        return _too_many(wait)
    limit.hit(f"addr:{address}")
    data = request.POST.copy()
    data["form_token"] = form_token(page)
    form = OnlineBookingForm(data, page=page, windows=windows)
    if (request.POST.get(HONEYPOT) or "").strip():
        logger.info("booking page %s: honeypot filled, nothing booked", page.pk)
        return render(request, "online/thanks.html", {"page": page, "business": page.business})
    if not form_token_ok(page, request.POST.get("form_token")):
        form.is_valid()
        form.add_error(None, "This page was open too long. Check your choices and book again.")
        return _render_book(request, page, form, status=400, quote=_quote(page, request.POST))
    repeat = services.recent_same_booking(
        page,
        email=(request.POST.get("customer_email") or "").strip(),
        start=availability.parse_window(page, request.POST.get("slot")),
    )
    if repeat is not None:
        # The same form sent twice (a reload, a double click): no second booking.
        return _render_thanks(request, page, repeat)
    if form.is_valid():
        try:
            booking = services.online_booking_create(
                page=page,
                fields=form.booking_fields(),
                frequency=form.cleaned_data["frequency"],
            )
        except services.SlotTaken as exc:
            form.add_error("slot", str(exc))
        except ValidationError as exc:
            for name, texts in exc.message_dict.items():
                for text in texts:
                    form.add_error(name if name in form.fields else None, text)
        else:
            return _render_thanks(request, page, booking, status=201)
    return _render_book(request, page, form, status=400, quote=_quote(page, request.POST))


@csrf_exempt
@frameable
@require_POST
def book_quote(request, slug):
    """The live price: the same `quote()` that prices the booking."""
    page = _page(slug)
    context = {"quote": _quote(page, request.POST), "currency": page.business.currency}
    return render(request, "online/_quote.html", context)


@csrf_exempt
@frameable
@require_POST
def book_progress(request, slug):
    """Keep what the visitor chose so far (once their email is valid) on a lead."""
    page = _page(slug)
    if (request.POST.get(HONEYPOT) or "").strip() or not form_token_ok(
        page, request.POST.get("form_token")
    ):
        return HttpResponse(status=204)
    limit = progress_saves()
    address = client_address(request)
    wait = limit.retry_after(f"addr:{address}")
    if wait:
        return _too_many(wait)
    limit.hit(f"addr:{address}")
    values = progress_values(page, request.POST)
    if values is not None:
        services.progress_save(page=page, values=values)
    return HttpResponse(status=204)


def _render_thanks(request, page, booking, status=200):
    """The booking page's answer to a booking: 201 with the booking's summary
    and the customer's own link (a new tab: that page is not framed)."""
    context = {
        "page": page,
        "business": page.business,
        "booking": booking,
        "lines": list(booking.lines.all()),
        "customer_url": links.customer_path(booking),
    }
    return render(request, "online/thanks.html", context, status=status)


@require_GET
def brand_css(request, slug):
    """The page's brand colour as a stylesheet (the CSP allows no inline styles)."""
    page = _page(slug)
    color = page.brand_color or "#0d6efd"
    css = (
        f":root{{--fb-brand:{color};}}\n"
        ".booking-page .btn-brand{background-color:var(--fb-brand);border-color:var(--fb-brand);}\n"
        ".booking-page .brand-bar{border-top-color:var(--fb-brand);}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- The customer's own pages ------------------------------------------------------


def _customer_booking(token):
    booking = links.booking_for_token(token)
    if booking is None:
        raise Http404
    page = services.booking_page_for(booking.business)
    return page, booking


def _customer_context(page, booking, token, **extra):
    now = timezone.now()
    changeable = services.can_change(page, booking, now)
    context = {
        "page": page,
        "business": booking.business,
        "booking": booking,
        "token": token,
        "lines": list(booking.lines.all()),
        "changeable": changeable,
        "series_changeable": services.can_change_series(page, booking, now),
        "deadline": services.change_deadline(page, booking),
        "invoice": booking.invoices.exclude(
            status__in=(InvoiceStatus.DRAFT, InvoiceStatus.VOID)
        ).first(),
    }
    if changeable and "reschedule_form" not in extra:
        windows = availability.windows(page, exclude=booking)
        context["reschedule_form"] = RescheduleForm(page=page, windows=windows)
    context.update(extra)
    return context


@require_GET
def customer_booking(request, token):
    page, booking = _customer_booking(token)
    return render(request, "online/customer_booking.html", _customer_context(page, booking, token))


@require_POST
def customer_reschedule(request, token):
    page, booking = _customer_booking(token)
    windows = availability.windows(page, exclude=booking)
    form = RescheduleForm(request.POST, page=page, windows=windows)
    if form.is_valid():
        try:
            services.customer_reschedule(
                page=page, booking=booking, start=form.cleaned_data["slot"]
            )
        except (services.SlotTaken, services.TooLate) as exc:
            form.add_error("slot", str(exc))
        except (BookingError, ValidationError) as exc:
            form.add_error("slot", "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "Your booking was moved. We emailed you the new time.")
            return redirect("online:customer_booking", token)
    booking.refresh_from_db()
    context = _customer_context(page, booking, token, reschedule_form=form)
    return render(request, "online/customer_booking.html", context, status=400)


@require_http_methods(["GET", "POST"])
def customer_cancel(request, token):
    page, booking = _customer_booking(token)
    if request.method == "POST":
        stop_series = booking.series_id and request.POST.get("action") == "end-series"
        try:
            if stop_series:
                services.customer_end_series(page=page, booking=booking)
            else:
                services.customer_cancel(page=page, booking=booking)
        except (services.TooLate, BookingError) as exc:
            messages.error(request, str(exc))
        else:
            if stop_series:
                done = "Your recurring visits are cancelled from this one on."
            elif booking.series_id:
                done = "This visit is skipped; your next visits stay as planned."
            else:
                done = "Your booking is cancelled."
            messages.success(request, f"{done} We emailed you a confirmation.")
        return redirect("online:customer_booking", token)
    context = _customer_context(page, booking, token)
    return render(request, "online/customer_cancel.html", context)


def _customer_invoice(token):
    page, booking = _customer_booking(token)
    invoice = (
        booking.invoices.exclude(status__in=(InvoiceStatus.DRAFT, InvoiceStatus.VOID))
        .select_related("business")
        .first()
    )
    return page, booking, invoice


@require_GET
def customer_invoice(request, token):
    page, booking, invoice = _customer_invoice(token)
    context = {
        "page": page,
        "business": booking.business,
        "booking": booking,
        "token": token,
        "invoice": invoice,
        "lines": list(invoice.lines.all()) if invoice else [],
        "payments": list(invoice.payments.all()) if invoice else [],
        "payment_link": payment_link(page, invoice) if invoice else "",
    }
    return render(request, "online/customer_invoice.html", context)


@require_GET
def customer_invoice_document(request, token):
    _page_obj, _booking, invoice = _customer_invoice(token)
    if invoice is None:
        raise Http404
    return HttpResponse(pdf.render_invoice_html(invoice, preview=False, request=request))


@require_GET
def customer_invoice_pdf(request, token):
    _page_obj, _booking, invoice = _customer_invoice(token)
    if invoice is None:
        raise Http404
    filename, mimetype, data = pdf.cached_invoice_pdf(invoice) or pdf.invoice_pdf(invoice)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
