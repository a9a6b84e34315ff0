import json
import logging
from functools import wraps

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from account.ratelimit import RateLimited
from account.tenancy import get_for_business, owner_required
from config.shortcuts import confirm_delete, paginate

from . import auth, outbound
from . import inbox as webhook_inbox
from .filters import EventFilterSet
from .forms import IntegrationForm
from .models import Delivery, Integration, WebhookEvent

logger = logging.getLogger(__name__)


def _json(status, http_status=200, **extra):
    return JsonResponse({"status": status, **extra}, status=http_status)


def _read_body(request):
    """The raw body, or None when it is over the limit (checked on the
    declared length first, then on what was read)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > webhook_inbox.MAX_BODY_BYTES:
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return None
    if len(body) > webhook_inbox.MAX_BODY_BYTES:
        return None
    return body


def inbound_webhook(source):
    """The one stack of every inbound endpoint:

        size limit (413) → decode (400) → authenticate → store → enqueue

    The decorated view only authenticates: it receives the request and the
    raw body (for signatures) and returns the business the delivery is for,
    or the response that refuses it. Nothing a sender puts in a body gets
    past `webhooks.inbox.decode` unstorable, so no body can make this answer 5xx."""

    def decorate(authenticate):
        @csrf_exempt
        @require_POST
        @wraps(authenticate)
        def view(request, *args, **kwargs):
            body = _read_body(request)
            if body is None:
                return _json("payload too large", 413)
            try:
                payload = webhook_inbox.decode(body)
            except webhook_inbox.Rejected as exc:
                return _json(exc.reason, 400)
            business = authenticate(request, body, *args, **kwargs)
            if isinstance(business, HttpResponse):
                return business
            try:
                outcome = webhook_inbox.webhook_event_receive(
                    business=business, source=source, payload=payload
                )
            except webhook_inbox.Rejected as exc:
                return _json(exc.reason, 400)
            if outcome == "duplicate":
                return _json("duplicate", 200)
            return _json("received", 202)

        return view

    return decorate


@inbound_webhook(WebhookEvent.Source.RETELL)
def retell_webhook(request, body, secret_key):
    """The secret in the URL names the business; with a Retell API key, the
    `X-Retell-Signature` of the raw body is required too."""
    credentials = auth.credentials_for_secret(secret_key)
    if credentials is None:
        # No detail, not even in DEBUG's technical 404 page.
        return HttpResponse(status=404)
    if credentials.retell_api_key and not auth.retell_signature_valid(
        body, credentials.retell_api_key, request.headers.get("X-Retell-Signature", "")
    ):
        logger.warning("retell signature rejected business=%s", credentials.business_id)
        return _json("invalid signature", 401)
    return credentials.business


def _unauthorized():
    response = _json("unauthorized", 401)
    response["WWW-Authenticate"] = 'Basic realm="Fieldbook Thumbtack webhook", charset="UTF-8"'
    return response


@inbound_webhook(WebhookEvent.Source.THUMBTACK)
def thumbtack_webhook(request, body):
    """HTTP Basic with the business's Thumbtack username and generated password;
    wrong credentials are counted and answered 429 past the limit."""
    try:
        credentials = auth.thumbtack_authenticate(request)
    except RateLimited as exc:
        response = _json("too many failed attempts", 429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if credentials is None:
        return _unauthorized()
    return credentials.business


# --- Inbox ---------------------------------------------------------------------


@owner_required
@require_GET
def inbox(request):
    events = WebhookEvent.objects.filter(business=request.business).select_related("lead")
    filters = EventFilterSet(request.GET, events, business=request.business)
    context = {
        "filters": filters,
        "page_obj": paginate(request, filters.qs),
        "failed_count": WebhookEvent.objects.filter(
            business=request.business, status=WebhookEvent.Status.FAILED
        ).count(),
    }
    return render(request, "webhooks/inbox.html", context, status=filters.status_code)


@owner_required
def event_detail(request, pk):
    event = get_for_business(WebhookEvent.objects.select_related("lead"), request.business, pk=pk)
    context = {
        "event": event,
        "payload_pretty": json.dumps(event.payload, indent=2, ensure_ascii=False),
    }
    return render(request, "webhooks/event_detail.html", context)


@owner_required
@require_POST
def event_replay(request, pk):
    event = get_for_business(WebhookEvent, request.business, pk=pk)
    if not webhook_inbox.webhook_event_replay(event=event):
        messages.error(request, "Only failed or unprocessed events can be replayed.")
        return redirect("webhooks:event_detail", pk=event.pk)
    messages.success(request, "The event is being processed again.")
    return redirect("webhooks:event_detail", pk=event.pk)


# --- Integrations (outbound webhooks) ----------------------------------------------
# Served under /account/business/integrations/ (see urls.py).


@owner_required
def integration_list(request):
    integrations = Integration.objects.filter(business=request.business)
    return render(request, "webhooks/integration_list.html", {"integrations": integrations})


def _integration_form_view(request, integration):
    form = IntegrationForm(request.POST or None, instance=integration)
    if request.method == "POST":
        if form.is_valid():
            created = integration.pk is None
            integration = outbound.integration_save(integration=form.save(commit=False))
            if created:
                messages.success(request, f"Integration “{integration.name}” added.")
                return render(
                    request,
                    "webhooks/integration_secret.html",
                    {"integration": integration},
                )
            messages.success(request, f"Integration “{integration.name}” saved.")
            return redirect("webhooks:integration_list")
        status = 400
    else:
        status = 200
    return render(
        request,
        "webhooks/integration_form.html",
        {"form": form, "integration": integration},
        status=status,
    )


@owner_required
@require_http_methods(["GET", "POST"])
def integration_add(request):
    return _integration_form_view(request, Integration(business=request.business))


@owner_required
@require_http_methods(["GET", "POST"])
def integration_edit(request, pk):
    return _integration_form_view(request, get_for_business(Integration, request.business, pk=pk))


@owner_required
@require_POST
def integration_regenerate_secret(request, pk):
    integration = get_for_business(Integration, request.business, pk=pk)
    outbound.integration_regenerate_secret(integration=integration)
    messages.success(request, "New signing secret generated. Update the receiving side.")
    return render(request, "webhooks/integration_secret.html", {"integration": integration})


@owner_required
@require_http_methods(["GET", "POST", "DELETE"])
def integration_delete(request, pk):
    integration = get_for_business(Integration, request.business, pk=pk)
    return confirm_delete(
        request,
        obj=integration,
        perform=integration.delete,
        success_url=reverse("webhooks:integration_list"),
        cancel_url=reverse("webhooks:integration_list"),
        message=f"Integration “{integration.name}” deleted.",
        title="Delete integration",
        consequence="It stops receiving events at once, and its delivery log is removed.",
    )


# --- Outbound deliveries ----------------------------------------------------------


@owner_required
@require_GET
def integration_deliveries(request, pk):
    integration = get_for_business(Integration, request.business, pk=pk)
    deliveries = Delivery.objects.filter(integration=integration)
    context = {
        "integration": integration,
        "pause_after": outbound.PAUSE_AFTER_FAILED_DELIVERIES,
        "page_obj": paginate(request, deliveries),
    }
    return render(request, "webhooks/integration_deliveries.html", context)


@owner_required
@require_POST
def integration_test(request, pk):
    integration = get_for_business(Integration, request.business, pk=pk)
    outbound.delivery_send_test(integration=integration)
    messages.success(request, "Test event queued. Its result appears in the log below.")
    return redirect("webhooks:integration_deliveries", pk=integration.pk)


@owner_required
@require_POST
def integration_resume(request, pk):
    integration = get_for_business(Integration, request.business, pk=pk)
    outbound.integration_resume(integration=integration)
    messages.success(request, f"“{integration.name}” resumed: new events are sent again.")
    return redirect("webhooks:integration_deliveries", pk=integration.pk)
