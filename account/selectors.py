"""Tenant-scoped reads and summaries for accounts and businesses."""

from django.urls import reverse

from .models import Addon, ServiceType


def retell_agent_fields(business):
    """The post-call analysis fields to configure in the business's Retell agent."""
    service_types = ", ".join(f"“{value}”" for value in ServiceType.values)
    fields = [
        ("appointment_booked", "boolean", "True when the caller booked a cleaning."),
        ("first_name", "string", "Caller's first name."),
        ("last_name", "string", "Caller's last name."),
        ("email", "string", "Caller's email address."),
        ("phone", "string", "Caller's phone number; the caller ID is used when empty."),
        ("address", "string", "Street address of the property."),
        ("city", "string", "City."),
        ("state", "string", "State or region."),
        ("zip_code", "string", "ZIP or postal code."),
        ("service_type", "enum", f"One of {service_types}."),
        (
            "appointment_datetime",
            "string",
            f"Start in ISO 8601, such as 2026-12-04T09:00:00 (without an offset it "
            f"means {business.timezone} time).",
        ),
        ("bedrooms", "number", "Number of bedrooms."),
        ("bathrooms", "number", "Number of bathrooms."),
        ("square_feet", "number", "Size of the home in square feet."),
    ]
    addons = Addon.objects.filter(business=business, is_active=True).order_by("key")
    fields += [
        (addon.key, "number", f"Quantity of “{addon.name}” (0 or empty for none).")
        for addon in addons
    ]
    fields.append(("notes", "string", "Anything else: gate codes, pets, parking."))
    return [{"name": n, "type": t, "description": d} for n, t, d in fields]


def checklist(business):
    """Getting-started items owned by this app (prices, add-ons, Retell and
    Thumbtack: home services only); each ticks itself when done."""
    if not business.offers_home_services:
        return []
    settings = business.settings
    credentials = business.credentials
    return [
        {
            "order": 10,
            "label": "Set your prices",
            "done": settings.pricing_updated_at is not None,
            "url": reverse("account:business_settings_edit"),
        },
        {
            "order": 20,
            "label": "Review your add-ons",
            "done": settings.addons_reviewed_at is not None,
            "url": reverse("account:addon_list"),
        },
        {
            "order": 30,
            "label": "Connect your Retell phone agent",
            "done": credentials.retell_connected,
            "url": reverse("account:credentials_edit"),
        },
        {
            "order": 40,
            "label": "Connect Thumbtack",
            "done": credentials.thumbtack_connected,
            "url": reverse("account:credentials_edit"),
        },
    ]
