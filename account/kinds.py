"""What a business does, and what it therefore sees: the one home of this rule.

A business offers home services (bookings, invoices, leads, prices, add-ons,
Retell and Thumbtack), restaurant account management (the restaurant CRM),
or both. Navigation, the home dashboard and the getting-started checklist
show only what applies, and the pages of a domain the business does not
offer answer 404, as a page that does not exist (`BusinessMiddleware`).
The JSON API and the inbound webhooks are not gated: a script keeps working
whatever the owner chooses in the settings.
"""

from django.db import models


class Kind(models.TextChoices):
    HOME = "home", "Home services (bookings, invoices, leads)"
    RESTAURANTS = "restaurants", "Restaurant account management (the CRM)"
    BOTH = "both", "Both"


HOME_SERVICES = "home"
RESTAURANTS = "restaurants"

# The pages of each domain, by URL namespace, and by URL name inside the
# account's namespace (the home-services settings pages).
DOMAIN_NAMESPACES = {
    "booking": HOME_SERVICES,
    "customers": HOME_SERVICES,
    "leads": HOME_SERVICES,
    "notify": HOME_SERVICES,
    "crm": RESTAURANTS,
}
DOMAIN_URL_NAMES = {
    "account": dict.fromkeys(
        (
            "business_settings_edit",
            "addon_list",
            "addon_mark_reviewed",
            "addon_add",
            "addon_edit",
            "addon_delete",
            "credentials_edit",
            "credentials_generate_secret",
            "credentials_generate_thumbtack_password",
        ),
        HOME_SERVICES,
    ),
    "webhooks": dict.fromkeys(
        (
            "inbox",
            "event_detail",
            "event_replay",
            "integration_list",
            "integration_add",
            "integration_edit",
            "integration_delete",
            "integration_regenerate_secret",
            "integration_deliveries",
            "integration_test",
            "integration_resume",
        ),
        HOME_SERVICES,
    ),
}


def offers_home_services(business):
    return business is not None and business.kind in (Kind.HOME, Kind.BOTH)


def offers_restaurants(business):
    return business is not None and business.kind in (Kind.RESTAURANTS, Kind.BOTH)


def offers(business, domain):
    if domain == HOME_SERVICES:
        return offers_home_services(business)
    if domain == RESTAURANTS:
        return offers_restaurants(business)
    return True


def domain_of(resolver_match):
    """The domain a resolved page belongs to (HOME_SERVICES, RESTAURANTS), or
    None for pages every business has."""
    if resolver_match is None:
        return None
    for namespace in resolver_match.namespaces:
        if namespace in DOMAIN_NAMESPACES:
            return DOMAIN_NAMESPACES[namespace]
        names = DOMAIN_URL_NAMES.get(namespace)
        if names and resolver_match.url_name in names:
            return names[resolver_match.url_name]
    return None


def page_offered(business, resolver_match):
    """False when the page belongs to a domain the business does not offer."""
    return offers(business, domain_of(resolver_match))
