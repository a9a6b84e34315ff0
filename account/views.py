import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from config.shortcuts import absolute_url, confirm_delete

from . import services
from .forms import (
    AddonForm,
    ApiKeyForm,
    BusinessEditForm,
    BusinessForm,
    BusinessSettingsForm,
    CredentialsForm,
    LoginForm,
    MemberForm,
    MemberRoleForm,
    ProfileForm,
    RegisterForm,
    RevokeApiKeyForm,
    SignInDetailsForm,
    SignOutEverywhereForm,
    ThumbtackPasswordForm,
    save_new_user,
)
from .models import Addon, ApiKey, Membership
from .selectors import retell_agent_fields
from .tenancy import (
    CLEANER_REFUSED,
    business_required,
    crew_allowed,
    get_for_business,
    get_membership,
    is_cleaner,
    owner_required,
)

logger = logging.getLogger(__name__)


# --- Signing in and out -------------------------------------------------


class FieldbookLoginView(LoginView):
    template_name = "account/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(request, credentials, *args, **kwargs):
    """Shown when django-axes blocks a user or address after failed logins."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Too many failed sign-in attempts. For your security, signing in is "
        f"paused for {minutes} minutes. Try again later or reset your password."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    form = LoginForm(request, data=request.POST or None)
    form.is_valid()
    return render(
        request, "account/login.html", {"form": form, "lockout_message": message}, status=429
    )


def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
    user = save_new_user(form, form.save) if request.method == "POST" and form.is_valid() else None
    if user is not None:
        login(request, user, backend="account.backends.UsernameOrEmailBackend")
        messages.success(request, "Welcome to Fieldbook! Now tell us about your business.")
        return redirect("account:register_business")
    return render(request, "account/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def logout_view(request):
    if request.method == "POST":
        logout(request)
        messages.info(request, "You have been signed out.")
        return redirect("account:login")
    if not request.user.is_authenticated:
        return redirect("account:login")
    return render(request, "account/logout_confirm.html")


# --- Profile --------------------------------------------------------------


# The profile page shows four forms: each gets its own element ids (field
# names stay as they are), so no id appears twice on the page.
PROFILE_FORM_IDS = {
    "profile_form": "id_profile_%s",
    "password_form": "id_password_%s",
    "signin_form": "id_signin_%s",
    "api_key_form": "id_api_key_%s",
}


def _render_profile(request, status=200, **forms):
    user = request.user
    context = {
        "profile_form": forms.get("profile_form") or ProfileForm(instance=user),
        "password_form": forms.get("password_form") or PasswordChangeForm(user),
        "signin_form": forms.get("signin_form") or SignInDetailsForm(instance=user),
        "api_key_form": forms.get("api_key_form") or ApiKeyForm(),
        "api_keys": ApiKey.objects.filter(user=user, revoked_at__isnull=True),
        "new_api_key": forms.get("new_api_key"),
    }
    for name, auto_id in PROFILE_FORM_IDS.items():
        context[name].auto_id = auto_id
    return render(request, "account/profile.html", context, status=status)


@login_required
def profile(request):
    return _render_profile(request)


@login_required
@require_http_methods(["GET", "POST"])
def profile_update(request):
    if request.method == "GET":
        return _render_profile(request)
    form = ProfileForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _render_profile(request, status=400, profile_form=form)
    form.save()
    messages.success(request, "Your details were saved.")
    return redirect("account:profile")


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    forced = request.user.must_change_password
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Saving the new password ends the user's other sessions and every API
        # token issued before it (User.save); this session continues.
        user = form.save()
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        update_session_auth_hash(request, user)
        messages.success(
            request,
            "Your password was changed. Other browsers and API tokens were signed out.",
        )
        return redirect("home" if forced else "account:profile")
    status = 400 if request.method == "POST" else 200
    if forced:
        return render(request, "account/change_password.html", {"form": form}, status=status)
    return _render_profile(request, status=status, password_form=form if status == 400 else None)


@login_required
@require_http_methods(["GET", "POST"])
def update_credentials(request):
    """Sign-in details (username, email) and personal API keys."""
    if request.method == "GET":
        return _render_profile(request)
    action = request.POST.get("action", "signin")
    if action == "create_key":
        if is_cleaner(request):
            raise PermissionDenied(CLEANER_REFUSED)  # the API refuses cleaners anyway
        form = ApiKeyForm(request.POST)
        if not form.is_valid():
            return _render_profile(request, status=400, api_key_form=form)
        api_key, raw = services.api_key_create(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"API key “{api_key.name}” created. Copy it now.")
        return _render_profile(request, new_api_key=raw)
    if action == "revoke_key":
        form = RevokeApiKeyForm(request.POST)
        api_key = None
        if form.is_valid():
            api_key = ApiKey.objects.filter(
                user=request.user, pk=form.cleaned_data["key_id"], revoked_at__isnull=True
            ).first()
        if api_key is None:
            messages.error(request, "That API key does not exist or was already revoked.")
            return _render_profile(request, status=400)
        services.api_key_revoke(api_key=api_key)
        messages.success(request, f"API key “{api_key.name}” revoked.")
        return redirect("account:profile")
    form = SignInDetailsForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _render_profile(request, status=400, signin_form=form)
    form.save()
    messages.success(request, "Your sign-in details were updated.")
    return redirect("account:profile")


@login_required
@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request):
    """End every other browser session and every API token (GET confirms);
    this browser stays signed in."""
    form = SignOutEverywhereForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        user = request.user
        revoked = services.user_sign_out_everywhere(
            user=user, revoke_api_keys=form.cleaned_data["revoke_api_keys"]
        )
        # The session hash now includes the new token version: carry this
        # session over deliberately; every other one no longer matches.
        update_session_auth_hash(request, user)
        message = "You were signed out everywhere else: other browsers and API tokens."
        if revoked:
            message += f" {revoked} API key{pluralize(revoked)} revoked."
        messages.success(request, message)
        return redirect("account:profile")
    context = {
        "form": form,
        "api_key_count": ApiKey.objects.filter(user=request.user, revoked_at__isnull=True).count(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "account/sign_out_everywhere.html", context, status=status)


# --- Business ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register_business(request):
    if get_membership(request.user) is not None:
        messages.info(request, "You already belong to a business.")
        return redirect("home")
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        business = services.business_register(owner=request.user, **form.cleaned_data)
        messages.success(
            request, f"{business.name} is set up. Next: check your prices and add-ons."
        )
        return redirect("home")
    return render(request, "account/register_business.html", {"form": form})


@owner_required
@require_http_methods(["GET", "POST"])
def business_edit(request):
    business = request.business
    form = BusinessEditForm(request.POST or None, request.FILES or None, instance=business)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Business details saved.")
            return redirect("account:business_edit")
        return render(request, "account/business_edit.html", {"form": form}, status=400)
    return render(request, "account/business_edit.html", {"form": form})


@owner_required
@require_http_methods(["GET", "POST"])
def business_settings_edit(request):
    instance = request.business.settings
    form = BusinessSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            form.instance.pricing_updated_at = timezone.now()
            form.save()
            messages.success(request, "Prices and defaults saved. New bookings use them.")
            return redirect("account:business_settings_edit")
        return render(request, "account/business_settings.html", {"form": form}, status=400)
    return render(request, "account/business_settings.html", {"form": form})


# --- Add-ons -------------------------------------------------------------------


@owner_required
def addon_list(request):
    addons = Addon.objects.filter(business=request.business)
    return render(request, "account/addon_list.html", {"addons": addons})


@owner_required
@require_POST
def addon_mark_reviewed(request):
    request.business.settings.addons_reviewed_at = timezone.now()
    request.business.settings.save(update_fields=["addons_reviewed_at"])
    messages.success(request, "Add-ons marked as reviewed.")
    return redirect("account:addon_list")


def _addon_form_view(request, addon):
    form = AddonForm(request.POST or None, instance=addon, business=request.business)
    if request.method == "POST":
        if form.is_valid():
            created = addon.pk is None
            services.addon_save(addon=form.save(commit=False))
            verb = "added" if created else "saved"
            messages.success(request, f"Add-on “{form.instance.name}” {verb}.")
            return redirect("account:addon_list")
        status = 400
    else:
        status = 200
    return render(request, "account/addon_form.html", {"form": form, "addon": addon}, status=status)


@owner_required
@require_http_methods(["GET", "POST"])
def addon_add(request):
    return _addon_form_view(request, Addon(business=request.business))


@owner_required
@require_http_methods(["GET", "POST"])
def addon_edit(request, addon_id):
    return _addon_form_view(request, get_for_business(Addon, request.business, pk=addon_id))


@owner_required
@require_http_methods(["GET", "POST", "DELETE"])
def addon_delete(request, addon_id):
    addon = get_for_business(Addon, request.business, pk=addon_id)
    return confirm_delete(
        request,
        obj=addon,
        perform=addon.delete,
        success_url=reverse("account:addon_list"),
        cancel_url=reverse("account:addon_list"),
        message=f"Add-on “{addon.name}” deleted. Existing bookings keep their prices.",
        title="Delete add-on",
        consequence="Existing bookings keep this add-on at the price they were made with.",
    )


# --- Credentials ----------------------------------------------------------------


def _credentials_context(request, form, thumbtack_form=None, new_thumbtack_password=None):
    credentials = request.business.credentials
    return {
        "form": form,
        "thumbtack_form": thumbtack_form or ThumbtackPasswordForm(credentials=credentials),
        "new_thumbtack_password": new_thumbtack_password,
        "credentials": credentials,
        "retell_webhook_url": absolute_url(
            request, reverse("webhooks:retell", args=[credentials.webhook_secret])
        ),
        "thumbtack_webhook_url": absolute_url(request, reverse("webhooks:thumbtack")),
        "retell_fields": retell_agent_fields(request.business),
    }


@owner_required
@require_http_methods(["GET", "POST"])
def credentials_edit(request):
    credentials = request.business.credentials
    form = CredentialsForm(request.POST or None, instance=credentials)
    if request.method == "POST":
        if form.is_valid():
            credentials = form.save(commit=False)
            if not credentials.thumbtack_username:
                credentials.thumbtack_password_hash = ""
            credentials.save()
            if credentials.thumbtack_username and not credentials.thumbtack_password_hash:
                messages.success(request, "Credentials saved. Now generate the Thumbtack password.")
            else:
                messages.success(request, "Credentials saved.")
            return redirect("account:credentials_edit")
        return render(
            request, "account/credentials.html", _credentials_context(request, form), status=400
        )
    return render(request, "account/credentials.html", _credentials_context(request, form))


@owner_required
@require_http_methods(["GET", "POST"])
def credentials_generate_thumbtack_password(request):
    """Generate the Thumbtack password and show it once (never stored in
    clear, never in a redirect or a message)."""
    if request.method == "GET":
        return redirect("account:credentials_edit")
    credentials = request.business.credentials
    if not credentials.thumbtack_username:
        messages.error(request, "Save a Thumbtack username first, then generate its password.")
        return redirect("account:credentials_edit")
    thumbtack_form = ThumbtackPasswordForm(request.POST, credentials=credentials)
    form = CredentialsForm(instance=credentials)
    if not thumbtack_form.is_valid():
        context = _credentials_context(request, form, thumbtack_form=thumbtack_form)
        return render(request, "account/credentials.html", context, status=400)
    password = services.credentials_generate_thumbtack_password(credentials=credentials)
    messages.success(request, "New Thumbtack password generated. Copy it into Thumbtack now.")
    context = _credentials_context(request, form, new_thumbtack_password=password)
    response = render(request, "account/credentials.html", context)
    add_never_cache_headers(response)
    return response


@owner_required
@require_http_methods(["GET", "POST"])
def credentials_generate_secret(request):
    if request.method == "GET":
        return redirect("account:credentials_edit")
    services.credentials_rotate_secret(credentials=request.business.credentials)
    messages.success(
        request,
        "New webhook secret generated. Paste the new Retell URL into your agent: "
        "the old one no longer works.",
    )
    return redirect("account:credentials_edit")


# --- Team ---------------------------------------------------------------------------


@owner_required
def team(request):
    memberships = Membership.objects.filter(business=request.business).select_related("user")
    order = {Membership.Role.OWNER: 0, Membership.Role.OFFICE: 1, Membership.Role.CLEANER: 2}
    memberships = sorted(memberships, key=lambda m: (order.get(m.role, 3), m.user.username))
    return render(request, "account/team.html", {"memberships": memberships})


@owner_required
@require_http_methods(["GET", "POST"])
def member_add(request):
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        created = None
        if form.is_valid():
            created = save_new_user(
                form, lambda: services.member_create(business=request.business, **form.cleaned_data)
            )
        if created is not None:
            user, password = created
            messages.success(request, f"{user.username} was added to the team.")
            return render(
                request,
                "account/member_created.html",
                {
                    "member": user,
                    "password": password,
                    "login_url": absolute_url(request, reverse("account:login")),
                },
            )
        return render(request, "account/member_form.html", {"form": form}, status=400)
    return render(request, "account/member_form.html", {"form": form})


@owner_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    """The owner changes a member's role."""
    membership = get_for_business(
        Membership.objects.select_related("user"), request.business, pk=pk
    )
    if membership.is_owner:
        messages.info(request, "The owner's role cannot be changed.")
        return redirect("account:team")
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST":
        if form.is_valid():
            services.member_set_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(
                request,
                f"{membership.display_name} is now {membership.get_role_display().lower()}.",
            )
            return redirect("account:team")
        context = {"form": form, "membership": membership}
        return render(request, "account/member_edit.html", context, status=400)
    return render(request, "account/member_edit.html", {"form": form, "membership": membership})


@owner_required
@require_http_methods(["GET", "POST", "DELETE"])
def member_remove(request, pk):
    membership = get_for_business(
        Membership.objects.select_related("user"), request.business, pk=pk
    )

    def perform():
        if membership.is_owner:
            return "The owner cannot be removed from the business."
        services.member_remove(membership=membership)
        return None

    return confirm_delete(
        request,
        obj=membership.user,
        perform=perform,
        success_url=reverse("account:team"),
        cancel_url=reverse("account:team"),
        message=f"{membership.user.username} was removed and can no longer sign in.",
        title="Remove team member",
        consequence="They lose access at once; their API keys are revoked.",
    )


@crew_allowed
@business_required
def settings_index(request):
    """Shortcut used by the navigation: owners land on business settings."""
    if request.membership.is_owner:
        return redirect("account:business_settings_edit")
    return redirect("account:profile")
