"""Every page of the site passes the accessibility gate (tests/browser/a11y.py)
for each role that can open it, at desktop and at phone width.

A new page joins with one line in PAGES: its name, its path (placeholders in
braces are filled from `demo_ids` below; add a key there when the page needs a
new kind of object) and the roles that open it.
"""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command

from account.models import User
from booking.models import Booking, BookingSeries, BookingStatus, Invoice, InvoiceStatus
from customers.models import Customer
from leads.models import Lead
from online import links
from tests.browser.a11y import scan
from tests.factories import UserFactory
from webhooks.models import Integration, WebhookEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-123"

ANONYMOUS, NEWCOMER, OWNER, MEMBER, CLEANER = "anonymous", "newcomer", "owner", "member", "cleaner"
# Owners of the demo's cleaning-only business and restaurants-only sales team.
CLEANING, SALES = "cleaning owner", "sales owner"
USERNAMES = {
    OWNER: "demo",
    MEMBER: "demo-member",
    CLEANER: "demo-cleaner",
    CLEANING: "demo-cleaning",
    SALES: "demo-sales",
}
TEAM = (OWNER, MEMBER)
EVERYONE = (OWNER, MEMBER, CLEANER)
WIDTHS = {"desktop": 1280, "phone": 390}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    roles: tuple = TEAM
    status: int = 200
    # A CSS selector to wait for before scanning (pages that render with script).
    ready: str | None = None


PAGES = [
    # Public pages, and a signed-in user without a business.
    Page("sign in", "/account/login/", (ANONYMOUS,)),
    Page("create an account", "/account/register/", (ANONYMOUS,)),
    Page("404 page", "/no-such-page/", (ANONYMOUS, OWNER), status=404),
    Page("register business", "/account/register-business/", (NEWCOMER,)),
    # Home, bookings, calendar and invoices.
    Page("home", "/", ready="#revenue-chart"),
    Page("home, cleaning only", "/", (CLEANING,), ready="#revenue-chart"),
    Page("home, restaurants only", "/", (SALES,), ready="#accounts-chart"),
    Page("bookings", "/booking/"),
    Page("new booking", "/booking/create/", ready="#quote-total"),
    Page("new booking from a lead", "/booking/create/?lead={lead}", (OWNER,), ready="#quote-total"),
    Page("booking", "/booking/detail/{booking}/"),
    Page("edit booking", "/booking/edit/{booking}/", ready="#quote-total"),
    Page("complete booking", "/booking/mark-completed/{booking}/"),
    Page("cancel booking", "/booking/cancel/{booking}/"),
    Page("delete booking", "/booking/delete/{booking}/", (OWNER,)),
    Page("edit recurring visit", "/booking/edit/{visit}/", ready="#quote-total"),
    Page("skip visit", "/booking/skip/{visit}/"),
    Page("series", "/booking/series/{series}/"),
    Page("series, past visits", "/booking/series/{series}/?show=past"),
    Page("pause series", "/booking/series/{series}/pause/"),
    Page("resume series", "/booking/series/{series}/resume/"),
    Page("end series", "/booking/series/{series}/end/"),
    Page("calendar month", "/booking/calendar/"),
    Page("calendar week", "/booking/calendar/?view=week"),
    Page("calendar of one member", "/booking/calendar/?view=week&member={cleaner_membership}"),
    # The crew's pages.
    Page("my jobs", "/booking/my-jobs/", EVERYONE),
    Page("job of a cleaner", "/booking/detail/{cleaner_job}/", (CLEANER,)),
    Page("complete a job", "/booking/my-jobs/{cleaner_job}/complete/", (CLEANER,)),
    Page("403 page for a cleaner", "/booking/invoices/", (CLEANER,), status=403),
    Page("invoices", "/booking/invoices/"),
    Page("new invoice", "/booking/invoices/create/{booking}/"),
    Page("invoice", "/booking/invoices/detail/{invoice}/"),
    Page("edit invoice", "/booking/invoices/edit/{invoice}/"),
    Page("invoice preview", "/booking/invoices/{invoice}/preview/"),
    Page("record payment", "/booking/invoices/mark-paid/{invoice}/"),
    Page("void invoice", "/booking/invoices/void/{invoice}/", (OWNER,)),
    Page("delete invoice", "/booking/invoices/delete/{invoice}/", (OWNER,)),
    # Customers.
    Page("customers", "/customers/"),
    Page("customers filtered", "/customers/?balance=yes&sort=-balance"),
    Page("customer", "/customers/{customer}/"),
    Page("new customer", "/customers/create/"),
    Page("edit customer", "/customers/{customer}/edit/"),
    Page("archive customer instead", "/customers/{customer}/delete/"),
    Page("delete customer", "/customers/{lonely_customer}/delete/"),
    Page("merge customer", "/customers/{customer}/merge/?q=a"),
    Page("confirm merge", "/customers/{customer}/merge/?other={lonely_customer}"),
    Page("pick a customer", "/customers/search/?customer_q=a"),
    Page(
        "new booking for a customer", "/booking/create/?customer={customer}", ready="#quote-total"
    ),
    # Leads and restaurants.
    Page("leads", "/leads/"),
    Page("new lead", "/leads/create/"),
    Page("lead from a call", "/leads/{lead}/"),
    Page("lead from Thumbtack", "/leads/{thumbtack_lead}/"),
    Page("edit lead", "/leads/{lead}/update/"),
    Page("delete lead", "/leads/{lead}/delete/"),
    Page("restaurants", "/restaurants/"),
    Page("restaurants filtered", "/restaurants/?status=CONVERTED&sort=next_call"),
    Page("restaurant board", "/restaurants/board/"),
    Page("calls today", "/restaurants/calls/today/"),
    Page("calls today, everyone's", "/restaurants/calls/today/?who=all", (*TEAM, SALES)),
    Page("account performance", "/restaurants/performance/", (*TEAM, SALES)),
    Page("under-performing accounts", "/restaurants/performance/?show=under"),
    Page("new restaurant", "/restaurants/new/"),
    Page("restaurant", "/restaurants/{restaurant}/", ready="#orders-chart"),
    Page("edit restaurant", "/restaurants/{restaurant}/edit/"),
    Page("delete restaurant", "/restaurants/{restaurant}/delete/", (OWNER,)),
    Page("older interactions", "/restaurants/{restaurant}/timeline/"),
    Page("edit contact", "/restaurants/{restaurant}/contacts/{contact}/edit/"),
    Page("remove contact", "/restaurants/{restaurant}/contacts/{contact}/delete/"),
    Page("log interaction", "/restaurants/{restaurant}/interactions/new/"),
    Page("edit interaction", "/restaurants/{restaurant}/interactions/{interaction}/edit/"),
    Page("delete interaction", "/restaurants/{restaurant}/interactions/{interaction}/delete/"),
    Page("stop call plan", "/restaurants/{restaurant}/call-plan/delete/"),
    Page("import restaurants", "/restaurants/import/"),
    # Webhooks and integrations (owner only).
    Page("inbox", "/webhooks/inbox/", (OWNER,)),
    Page("failed events", "/webhooks/inbox/?status=failed", (OWNER,)),
    Page("inbox event", "/webhooks/inbox/{event}/", (OWNER,)),
    Page("integrations", "/account/business/integrations/", (OWNER,)),
    Page("new integration", "/account/business/integrations/add/", (OWNER,)),
    Page("edit integration", "/account/business/integrations/{integration}/edit/", (OWNER,)),
    Page("delete integration", "/account/business/integrations/{integration}/delete/", (OWNER,)),
    Page("deliveries", "/webhooks/integrations/{integration}/deliveries/", (OWNER,)),
    # Account and business settings.
    Page("profile", "/account/profile/", EVERYONE),
    Page("change password", "/account/profile/change-password/", EVERYONE),
    Page("sign out everywhere", "/account/profile/sign-out-everywhere/", EVERYONE),
    Page("sign out", "/account/logout/", EVERYONE),
    Page("business details", "/account/business/edit/", (OWNER,)),
    Page("prices", "/account/business/settings/edit/", (OWNER,)),
    Page("add-ons", "/account/business/addons/", (OWNER,)),
    Page("new add-on", "/account/custom-addon/add/", (OWNER,)),
    Page("edit add-on", "/account/custom-addon/{addon}/edit/", (OWNER,)),
    Page("delete add-on", "/account/custom-addon/{addon}/delete/", (OWNER,)),
    Page("credentials", "/account/business/credentials/edit/", (OWNER,)),
    Page("team", "/account/business/team/", (OWNER,)),
    Page("new team member", "/account/business/team/add/", (OWNER,)),
    Page("team member's role", "/account/business/team/{cleaner_membership}/edit/", (OWNER,)),
    Page("403 page", "/account/business/team/", (MEMBER,), status=403),
    Page("reminders", "/account/business/reminders/"),
    Page("preview confirmation", "/account/business/reminders/preview/confirmation/"),
    Page("preview reminder", "/account/business/reminders/preview/reminder/"),
    Page("preview invoice reminder", "/account/business/reminders/preview/invoice_overdue/"),
    Page("preview crew email", "/account/business/reminders/preview/crew_digest/"),
    # The booking page, its settings, and the customer's own pages.
    Page("booking page settings", "/account/business/booking-page/", (OWNER,)),
    Page("booking request", "/booking/detail/{requested_booking}/"),
    Page("public booking page", "/book/{booking_page}/", (ANONYMOUS,), ready="#quote-total"),
    Page("customer booking", "/c/{customer_token}/", (ANONYMOUS,)),
    Page("customer cancel", "/c/{customer_token}/cancel/", (ANONYMOUS,)),
    Page("customer invoice", "/c/{invoice_token}/invoice/", (ANONYMOUS,)),
    Page("customer invoice document", "/c/{invoice_token}/invoice/document/", (ANONYMOUS,)),
    # The JSON API's documentation (Swagger UI).
    Page("API docs", "/api/docs/", ready=".swagger-ui .opblock"),
]


def test_pages_have_unique_names():
    names = [page.name for page in PAGES]
    assert len(names) == len(set(names))


def demo_ids():
    """The demo business's objects that the pages' paths name."""
    business = User.objects.get(username="demo").membership.business
    integration = Integration.objects.create(
        business=business,
        name="Office spreadsheet",
        url="http://127.0.0.1:9/never",
        events=["lead.created", "booking.created"],
    )
    bookings = Booking.objects.filter(business=business, status=BookingStatus.SCHEDULED)
    cleaner = User.objects.get(username="demo-cleaner")
    series = BookingSeries.objects.filter(business=business).order_by("pk").first()
    visit = series.visits.filter(status=BookingStatus.SCHEDULED).order_by("start")[1]
    invoices = Invoice.objects.filter(business=business, status=InvoiceStatus.PARTIALLY_PAID)
    restaurant = business.restaurants.get(name="La Cocina de Rosa")
    lonely = Customer.objects.create(business=business, public_id="CU-A11YA11Y", name="Lone Star")
    return {
        "customer": bookings.order_by("-start").first().customer.public_id,
        "lonely_customer": lonely.public_id,
        "restaurant": restaurant.pk,
        "contact": restaurant.contacts.order_by("id").first().pk,
        "interaction": restaurant.interactions.filter(order_placed=True).first().pk,
        "booking": bookings.filter(series__isnull=True).order_by("-start").first().public_id,
        "series": series.public_id,
        "visit": visit.public_id,
        "invoice": invoices.first().public_id,
        "lead": Lead.objects.filter(business=business, source=Lead.Source.RETELL).first().public_id,
        "thumbtack_lead": Lead.objects.filter(business=business, source=Lead.Source.THUMBTACK)
        .first()
        .public_id,
        "event": WebhookEvent.objects.filter(business=business, status="failed").first().pk,
        "integration": integration.pk,
        "addon": business.addons.get(key="inside_walls").pk,
        "cleaner_membership": cleaner.membership.pk,
        "cleaner_job": bookings.filter(assignees=cleaner.membership)
        .order_by("-start")
        .first()
        .public_id,
        "booking_page": business.booking_page.slug,
        "requested_booking": Booking.objects.filter(
            business=business, status=BookingStatus.REQUESTED
        )
        .first()
        .public_id,
        "customer_token": links.customer_token(bookings.order_by("-start").first()),
        "invoice_token": links.customer_token(invoices.first().booking),
    }


def sign_in(page, base, username):
    page.goto(base + "/account/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/account/login/" not in url)


@pytest.mark.parametrize("role", [ANONYMOUS, NEWCOMER, OWNER, MEMBER, CLEANER, CLEANING, SALES])
def test_every_page_passes_the_accessibility_gate(browser, live_server, role):
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    ids = demo_ids()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    if role == NEWCOMER:
        UserFactory(username="newcomer", password=PASSWORD)
        sign_in(page, base, "newcomer")
    elif role != ANONYMOUS:
        sign_in(page, base, USERNAMES[role])

    failures = []
    pages = [entry for entry in PAGES if role in entry.roles]
    assert pages, role
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        for entry in pages:
            path = entry.path.format(**ids)
            where = f"{entry.name} ({path}) at {width}px"
            response = page.goto(base + path)
            if response.status != entry.status:
                failures.append(f"{where}: status {response.status}")
                continue
            if entry.ready:
                page.locator(entry.ready).first.wait_for()
            problems = scan(page)
            if problems:
                failures.append(f"{where}:\n    " + "\n    ".join(problems))
    context.close()
    assert not failures, f"as {role}:\n" + "\n".join(failures)
