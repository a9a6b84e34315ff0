from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from account.tenancy import business_required

from . import messages as emails
from . import texts
from .forms import TEXT_FIELDS, NotificationSettingsForm
from .models import MessageKind, NotificationSettings
from .services import settings_for


def _sections(form):
    """The text fields of each kind, for the page's per-kind cards."""
    return [
        {
            "kind": kind,
            "label": MessageKind(kind).label,
            "subject": form[subject],
            "body": form[body],
            "placeholders": texts.PLACEHOLDERS[kind],
        }
        for kind, subject, body in TEXT_FIELDS
    ]


@business_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    instance = settings_for(request.business)
    form = NotificationSettingsForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.instance.business = request.business
            form.save()
            messages.success(request, "Reminder settings saved.")
            return redirect("notify:settings")
        status = 400
    context = {"form": form, "sections": _sections(form), "kinds": MessageKind.choices}
    return render(request, "notify/settings.html", context, status=status)


@business_required
@require_GET
def preview(request, kind):
    if kind not in MessageKind.values:
        raise Http404("No such message.")
    try:
        notification_settings = request.business.notification_settings
    except NotificationSettings.DoesNotExist:
        notification_settings = None
    email = emails.sample(kind, request.business, notification_settings)
    context = {
        "kind": kind,
        "kind_label": MessageKind(kind).label,
        "email": email,
        "kinds": MessageKind.choices,
    }
    return render(request, "notify/preview.html", context)
