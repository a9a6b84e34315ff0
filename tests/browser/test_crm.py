"""A key account manager works the restaurant CRM in Chromium: creates a
restaurant, adds a contact, plans calls, logs a call with an order and sees
the call plan move, then moves the card on the pipeline board by drag and
drop and with the "Move to" button (with JavaScript and without). Every CRM
page is photographed at desktop and phone width, and none reports a
Content-Security-Policy violation."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from restaurants.models import Restaurant, RestaurantStatusChange
from tests.browser.a11y import assert_accessible
from track.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-123"
DEMO = "Sparkle Home Cleaning"  # the demo business (another demo business has the same restaurants)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Records every Content-Security-Policy violation from before the first script runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def sign_in(page, live_server, *, gate=True):
    page.goto(live_server.url + "/account/login/")
    if gate:
        assert_accessible(page)
    page.locator("#id_username").fill("demo")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("#mainnav").get_by_role("link", name="Restaurants")).to_be_visible()
    if gate:
        assert_accessible(page)


def no_violations(page):
    assert page.evaluate("window.__cspViolations") == [], page.url


def shoot(page, screenshot_dir, name):
    page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)


def arrived(page):
    """Checks for every page the browser lands on: the accessibility gate and
    no Content-Security-Policy violation."""
    assert_accessible(page)
    no_violations(page)


def drag(page, source, target):
    """Drag with the mouse, in steps, as SortableJS's pointer fallback expects."""
    box = source.bounding_box()
    goal = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + 20, steps=4)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=20)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2 + 4, steps=4)
    page.mouse.up()


@pytest.fixture
def kam(page, live_server):
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    page.add_init_script(LISTEN)
    sign_in(page, live_server)
    return page


def test_manager_works_an_account_end_to_end(kam, live_server, screenshot_dir):
    page = kam
    page.locator("#mainnav").get_by_role("link", name="Restaurants", exact=True).click()
    expect(page.get_by_role("heading", name="Restaurants", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="La Cocina de Rosa")).to_be_visible()
    arrived(page)

    # A new restaurant.
    page.get_by_role("link", name="Add restaurant").click()
    expect(page.get_by_role("heading", name="Add restaurant")).to_be_visible()
    arrived(page)
    page.get_by_label("Name").fill("Harbor Grill")
    page.get_by_label("Phone").fill("12")
    page.get_by_role("button", name="Add restaurant").click()
    expect(page.get_by_text("Enter a valid phone number").first).to_be_visible()
    arrived(page)
    page.get_by_label("Phone").fill("512 555 0190")
    page.get_by_label("City").fill("Austin")
    page.get_by_role("button", name="Add restaurant").click()
    expect(page.get_by_role("heading", name="Harbor Grill")).to_be_visible()
    expect(page.get_by_text("Restaurant “Harbor Grill” added.")).to_be_visible()
    arrived(page)
    restaurant = Restaurant.objects.get(name="Harbor Grill")
    detail_url = live_server.url + reverse("crm:detail", args=[restaurant.pk])

    # A contact, added in place (htmx), then edited in place.
    contacts = page.locator("#contacts")
    contacts.get_by_label("Name").fill("Ana Ruiz")
    contacts.get_by_label("Role").fill("Chef")
    contacts.get_by_role("button", name="Add contact").click()
    expect(contacts.locator(".contact-item .fw-semibold")).to_contain_text("Ana Ruiz")
    expect(page.locator("#crm-live")).to_have_text("Contact Ana Ruiz added.")
    contacts.get_by_role("link", name="Edit Ana Ruiz").click()
    page.locator("#contact-" + str(restaurant.contacts.get().pk)).get_by_label("Role").fill("Owner")
    contacts.get_by_role("button", name="Save contact").click()
    expect(contacts.get_by_text("Owner", exact=True)).to_be_visible()

    # A weekly call plan.
    plan = page.locator("#call-plan")
    plan.get_by_label("Frequency").select_option("WEEKLY")
    plan.get_by_role("button", name="Create call plan").click()
    expect(plan.get_by_role("button", name="Record call now")).to_be_visible()
    expect(plan.get_by_text("Not yet")).to_be_visible()
    next_before = plan.locator("dd").nth(2).inner_text()

    # A call with an order: the call plan moves.
    # (The form is open: nothing is logged yet.)
    assert page.locator("details.log-interaction").evaluate("d => d.open")
    form = page.locator("#timeline form")
    form.get_by_label("With").select_option(label="Ana Ruiz (Owner)")
    form.get_by_label("Details").fill("Weekly check-in, ordered oil.")
    form.get_by_label("An order was placed").check()
    form.get_by_label("Products").fill("Olive oil, 5 L")
    form.get_by_label("Quantity").fill("12")
    form.get_by_label("Order total").fill("462.00")
    shoot(page, screenshot_dir, "crm-detail-logging-desktop")
    form.get_by_role("button", name="Log it").click()
    expect(page.get_by_text(re.compile(r"Call logged with its order\. Next call:"))).to_be_visible()
    arrived(page)
    plan = page.locator("#call-plan")
    expect(plan.get_by_text("Not yet")).to_have_count(0)
    assert plan.locator("dd").nth(2).inner_text() != next_before
    expect(page.get_by_text("$462.00").first).to_be_visible()
    assert Order.objects.get(interaction__restaurant=restaurant).quantity == 12
    expect(page.locator("#orders-chart")).to_be_visible()
    assert_accessible(page)  # after the htmx updates
    shoot(page, screenshot_dir, "crm-detail-desktop")

    # "Record call now" on the card (htmx).
    page.locator("#call-plan").get_by_role("button", name="Record call now").click()
    expect(page.locator("#crm-live")).to_contain_text("Call recorded.")

    # The board: drag the card from New to Qualified.
    page.locator("#mainnav").get_by_role("link", name="Restaurants", exact=True).click()
    expect(page.get_by_role("heading", name="Restaurants", exact=True)).to_be_visible()
    arrived(page)
    page.get_by_role("link", name="Pipeline board").click()
    expect(page.get_by_role("heading", name="Pipeline board")).to_be_visible()
    arrived(page)
    card = page.locator(f'.board-card[data-id="{restaurant.pk}"]')
    expect(card).to_be_visible()
    drag(page, card, page.locator('.board-cards[data-status="QUALIFIED"]'))
    expect(page.locator("#crm-live")).to_have_text("Harbor Grill moved to Qualified.")
    qualified = page.locator('.board-cards[data-status="QUALIFIED"]')
    expect(qualified.locator(f'.board-card[data-id="{restaurant.pk}"]')).to_be_visible()
    restaurant.refresh_from_db()
    assert restaurant.status == "QUALIFIED"

    # ... and with its "Move to" button.
    card = page.locator(f'.board-card[data-id="{restaurant.pk}"]')
    card.get_by_label("Move Harbor Grill to").select_option("NEGOTIATION")
    card.get_by_role("button", name="Move Harbor Grill").click()
    expect(
        page.locator(
            f'.board-cards[data-status="NEGOTIATION"] .board-card[data-id="{restaurant.pk}"]'
        )
    ).to_be_visible()
    moves = list(
        RestaurantStatusChange.objects.filter(restaurant=restaurant)
        .order_by("changed_at", "id")
        .values_list("from_status", "to_status")
    )
    assert moves == [("NEW", "QUALIFIED"), ("QUALIFIED", "NEGOTIATION")]
    arrived(page)
    shoot(page, screenshot_dir, "crm-board-desktop")

    page.goto(detail_url)
    arrived(page)
    expect(page.locator(".status-history").get_by_text("Negotiation").first).to_be_visible()


def test_board_without_javascript(browser, live_server, settings):
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, gate=False)  # axe needs JavaScript
        page.goto(live_server.url + reverse("crm:board"))
        restaurant = Restaurant.objects.get(name="Seoul Food Truck", business__name=DEMO)
        card = page.locator(f'.board-card[data-id="{restaurant.pk}"]')
        card.get_by_label("Move Seoul Food Truck to").select_option("CONTACTED")
        card.get_by_role("button", name="Move Seoul Food Truck").click()
        expect(page.get_by_text("Seoul Food Truck moved to Contacted.")).to_be_visible()
        expect(
            page.locator(
                f'.board-cards[data-status="CONTACTED"] .board-card[data-id="{restaurant.pk}"]'
            )
        ).to_be_visible()
        # Contacts without JavaScript: the forms post and come back.
        page.goto(live_server.url + reverse("crm:detail", args=[restaurant.pk]))
        contacts = page.locator("#contacts")
        contacts.get_by_text("Add a contact").click()
        contacts.get_by_label("Name").fill("Jin Park")
        contacts.get_by_role("button", name="Add contact").click()
        expect(page.get_by_text("Contact Jin Park added.")).to_be_visible()
        contacts.get_by_role("link", name="Edit Jin Park").click()
        expect(page.get_by_role("heading", name="Edit contact")).to_be_visible()
    finally:
        context.close()
    restaurant.refresh_from_db()
    assert restaurant.status == "CONTACTED"


def test_every_crm_page_at_desktop_and_phone_width(kam, live_server, screenshot_dir):
    page = kam
    restaurant = Restaurant.objects.get(name="La Cocina de Rosa", business__name=DEMO)
    contact = restaurant.contacts.order_by("id").first()
    interaction = restaurant.interactions.filter(order_placed=True).first()
    pages = [
        ("crm-list", reverse("crm:home")),
        ("crm-list-filtered", reverse("crm:home") + "?status=CONVERTED&sort=-created"),
        ("crm-board", reverse("crm:board")),
        ("crm-detail", reverse("crm:detail", args=[restaurant.pk])),
        ("crm-new", reverse("crm:create")),
        ("crm-edit", reverse("crm:edit", args=[restaurant.pk])),
        ("crm-delete", reverse("crm:delete", args=[restaurant.pk])),
        ("crm-timeline", reverse("crm:timeline", args=[restaurant.pk])),
        ("crm-contact-edit", reverse("crm:contact_edit", args=[restaurant.pk, contact.pk])),
        (
            "crm-interaction-edit",
            reverse("crm:interaction_edit", args=[restaurant.pk, interaction.pk]),
        ),
        ("crm-import", reverse("crm:import")),
    ]
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        for name, path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            expect(page.locator("h1").first).to_be_visible()
            arrived(page)
            if width == "phone":
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (path, overflow)
            shoot(page, screenshot_dir, f"{name}-{width}")

        # The import preview, from a file with good and bad rows.
        page.goto(live_server.url + reverse("crm:import"))
        arrived(page)
        page.get_by_label("CSV file").set_input_files(
            files=[
                {
                    "name": "restaurants.csv",
                    "mimeType": "text/csv",
                    "buffer": (
                        b"name,status,phone,city,contact_name,contact_role\n"
                        b"La Cocina de Rosa,Converted,,Austin,Rosa Diaz,Owner\n"
                        b"Harbor Grill,New,512 555 0190,Austin,Ana Ruiz,Chef\n"
                        b"Bad Phone,New,12,Austin,,\n"
                        b'"=HYPERLINK(""http://x.example"")",Won,,Austin,,\n'
                    ),
                }
            ]
        )
        page.get_by_role("button", name="Preview the import").click()
        expect(page.get_by_role("heading", name="Import preview")).to_be_visible()
        arrived(page)
        shoot(page, screenshot_dir, f"crm-import-preview-{width}")

    # Keyboard: the list's first restaurant link is reachable and opens it.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("crm:home"))
    arrived(page)
    page.get_by_role("link", name="Bella Napoli").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bella Napoli")).to_be_visible()
    arrived(page)
