"""In Chromium: a manager works the day's calls from the agenda (a call with
an order moves the plan) and finds the account on the performance page; a
cleaning-only owner sees no restaurant links; an owner's dashboard figures
open the lists that explain them. Screenshots at desktop and phone width."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from call.models import CallPlan
from leads.models import Lead
from restaurants.models import Restaurant
from tests.booking.factories import make_booking, make_invoice
from tests.browser.a11y import assert_accessible
from tests.browser.test_crm import LISTEN, no_violations
from tests.factories import UserFactory, make_business
from tests.leads.factories import LeadFactory
from track.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-123"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/account/login/" not in url)
    assert_accessible(page)


def arrived(page):
    assert_accessible(page)
    no_violations(page)


def both_widths(page, screenshot_dir, name):
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
        assert_accessible(page)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def demo(page):
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    page.add_init_script(LISTEN)
    page.set_viewport_size(DESKTOP)
    return page


def test_manager_records_a_call_with_an_order_from_the_agenda(demo, live_server, screenshot_dir):
    page = demo
    sign_in(page, live_server, "demo")
    page.locator("#mainnav").get_by_role("link", name="Restaurants", exact=True).click()
    arrived(page)
    page.get_by_role("link", name="Calls today").click()
    expect(page.get_by_role("heading", name="Calls today", exact=True)).to_be_visible()
    arrived(page)
    both_widths(page, screenshot_dir, "crm-calls-today")
    card = page.locator("ol.agenda > li").first
    name = card.locator("h3 a").inner_text()
    restaurant = Restaurant.objects.get(name=name, business__name="Sparkle Home Cleaning")
    before = CallPlan.objects.get(restaurant=restaurant).next_call_date
    card.get_by_text("Add notes or an order").click()
    card.get_by_label("Notes").fill("Restocking for the weekend.")
    card.get_by_label("An order was placed").check()
    card.get_by_label("Products").fill("Tortillas, 20 cases")
    card.get_by_label("Quantity").fill("20")
    card.get_by_label("Order total").fill("640.00")
    card.get_by_role("button", name=f"Record call to {name}").click()
    expect(
        page.get_by_text(re.compile(rf"Call to {re.escape(name)} with its order\. Next call:"))
    ).to_be_visible()
    arrived(page)
    plan = CallPlan.objects.get(restaurant=restaurant)
    assert plan.next_call_date > before and plan.next_call_date > dt.datetime.now(dt.UTC)
    order = Order.objects.get(interaction__restaurant=restaurant, total_price="640.00")
    assert order.interaction.interaction_type == "CALL"
    expect(page.locator("ol.agenda h3 a", has_text=name)).to_have_count(0)

    page.locator(".crm-subnav").get_by_role("link", name="Performance").click()
    expect(page.get_by_role("heading", name="Account performance")).to_be_visible()
    arrived(page)
    expect(page.get_by_text("How accounts are judged")).to_be_visible()
    expect(page.get_by_role("link", name=name, exact=True).first).to_be_visible()
    both_widths(page, screenshot_dir, "crm-performance")
    page.get_by_role("link", name=re.compile("Under-performing")).first.click()
    arrived(page)


def test_cleaning_only_owner_has_no_restaurant_links(demo, live_server, screenshot_dir):
    page = demo
    sign_in(page, live_server, "demo-cleaning")
    nav = page.locator("#mainnav")
    expect(nav.get_by_role("link", name="Bookings")).to_be_visible()
    expect(nav.get_by_role("link", name="Restaurants")).to_have_count(0)
    assert page.locator('a[href^="/restaurants/"]').count() == 0
    arrived(page)
    both_widths(page, screenshot_dir, "home-cleaning-only")
    response = page.goto(live_server.url + reverse("crm:home"))
    assert response.status == 404
    assert_accessible(page)


def test_restaurants_only_dashboard(demo, live_server, screenshot_dir):
    page = demo
    sign_in(page, live_server, "demo-sales")
    nav = page.locator("#mainnav")
    expect(nav.get_by_role("link", name="Restaurants")).to_be_visible()
    expect(nav.get_by_role("link", name="Bookings")).to_have_count(0)
    expect(page.locator("#accounts-chart")).to_be_visible()
    arrived(page)
    both_widths(page, screenshot_dir, "home-restaurants-only")


def test_owner_dashboard_figures_open_the_matching_lists(page, live_server, screenshot_dir):
    owner = UserFactory(username="casey", password=PASSWORD)
    business = make_business(owner, name="Casey's Cleaning", kind="home")
    make_booking(business, days=0, hour=10, customer_first_name="Todayperson")
    late = make_invoice(business, days=-30, customer_first_name="Latepayer")
    late.due_date = business.today() - dt.timedelta(days=5)
    late.save()
    LeadFactory(business=business, name="Tom Thumbtack", source=Lead.Source.THUMBTACK)
    LeadFactory(business=business, name="Rita Retell", source=Lead.Source.RETELL)
    page.add_init_script(LISTEN)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "casey")
    home = page.url
    expect(page.locator("#revenue-chart")).to_be_visible()
    arrived(page)
    both_widths(page, screenshot_dir, "home-dashboard")

    page.locator('[data-figure="bookings-today"]').click()
    expect(page.get_by_text("Todayperson Smith")).to_be_visible()
    arrived(page)
    page.goto(home)
    arrived(page)
    page.locator('[data-figure="overdue"]').click()
    expect(page.get_by_role("link", name=late.number)).to_be_visible()
    assert "status=overdue" in page.url
    arrived(page)
    page.goto(home)
    arrived(page)
    page.locator('[data-figure="leads-week-thumbtack"]').click()
    expect(page.get_by_text("Tom Thumbtack")).to_be_visible()
    expect(page.get_by_text("Rita Retell")).to_have_count(0)
    arrived(page)
