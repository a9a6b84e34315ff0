"""The home dashboard of each kind of business: every figure links to the
list that explains it (and that list shows what the figure counts), and the
page costs a bounded number of queries whatever the number of rows."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from booking.models import PaymentMethod
from booking.services import payment_record
from leads.models import Lead
from tests.booking.factories import make_booking, make_invoice
from tests.leads.factories import LeadFactory
from tests.restaurants.factories import (
    CallPlanFactory,
    OrderFactory,
    RestaurantFactory,
)

pytestmark = pytest.mark.django_db


def figure_links(html):
    """{data-figure: href} of the dashboard's figures."""
    links = {}
    for match in re.finditer(r'<a [^>]*href="([^"]+)"[^>]*data-figure="([^"]+)"', html):
        links[match.group(2)] = unescape(match.group(1))
    return links


def home_services_rows(business, n):
    for i in range(n):
        make_booking(business, days=0, hour=8 + i % 8)
        invoice = make_invoice(business, days=-(i + 3))
        payment_record(
            invoice=invoice,
            amount=Decimal("10.00"),
            method=PaymentMethod.CASH,
            paid_on=business.today() - dt.timedelta(days=40 * (i % 3)),
        )
        LeadFactory(business=business, source=Lead.Source.THUMBTACK)
        LeadFactory(business=business, source=Lead.Source.RETELL, status=Lead.Status.CONVERTED)


def restaurant_rows(business, owner, n):
    now = dt.datetime.now(dt.UTC)
    for i in range(n):
        restaurant = RestaurantFactory(business=business, assigned_to=owner)
        CallPlanFactory(restaurant=restaurant, next_call_date=now - dt.timedelta(days=i))
        for days in range(60 + i, 300, 15):
            moment = now - dt.timedelta(days=days)
            OrderFactory(
                interaction__restaurant=restaurant, interaction__date=moment, order_date=moment
            )


def test_home_services_figures_link_to_the_lists_that_explain_them(owner_client, business):
    business.kind = "home"
    business.save()
    home_services_rows(business, 2)
    overdue = make_invoice(business, days=-30)
    overdue.due_date = business.today() - dt.timedelta(days=3)
    overdue.save()
    response = owner_client.get(reverse("home"))
    html = response.content.decode()
    links = figure_links(html)
    panel = next(
        p for p in response.context["panels"] if p["template"] == "booking/_dashboard.html"
    )
    figures = panel["context"]["figures"]
    assert figures["today"] == 2
    # Each list, opened from its figure, holds as many rows as the figure says.
    bookings = owner_client.get(links["bookings-today"])
    assert bookings.context["page_obj"].paginator.count == figures["today"]
    overdue_list = owner_client.get(links["overdue"])
    assert [i.pk for i in overdue_list.context["page_obj"].object_list] == [overdue.pk]
    paid = owner_client.get(links["revenue-month"])
    assert paid.status_code == 200
    assert paid.context["page_obj"].paginator.count == 1  # one payment this month
    assert panel["context"]["revenue_this_month"] == Decimal("10.00")
    thumbtack = owner_client.get(links["leads-week-thumbtack"])
    assert thumbtack.context["page_obj"].paginator.count == 2
    converted = owner_client.get(links["conversion"])
    assert converted.context["page_obj"].paginator.count == 2
    leads_panel = next(
        p for p in response.context["panels"] if p["template"] == "leads/_dashboard.html"
    )
    assert leads_panel["context"]["conversion_rate"] == 50
    # Charts: data for the script, a table beside each.
    assert 'id="revenue-chart-data"' in html and 'id="leads-chart-data"' in html
    assert "Payments per month as a table" in html and "Leads per week as a table" in html
    assert "js/charts.js" in html


def test_restaurant_figures_link_to_the_lists_that_explain_them(owner_client, business, owner):
    business.kind = "restaurants"
    business.save()
    restaurant_rows(business, owner, 2)
    response = owner_client.get(reverse("home"))
    html = response.content.decode()
    links = figure_links(html)
    panel = response.context["panels"][0]["context"]
    assert panel["calls"] == {"mine": 2, "everyone": 2}
    agenda = owner_client.get(links["calls-mine"])
    assert len(agenda.context["plans"]) == 2
    under = owner_client.get(links["under"])
    assert len(under.context["rows"]) == panel["under_count"] == 2
    assert "no order for" in html  # the reasons
    new = owner_client.get(links["pipeline-NEW"])
    assert new.context["page_obj"].paginator.count == 2
    assert 'id="accounts-chart-data"' in html


@pytest.mark.parametrize("kind", ["home", "restaurants", "both"])
def test_dashboard_queries_do_not_grow_with_rows(
    owner_client, business, owner, kind, django_assert_max_num_queries
):
    from django.core.cache import cache

    business.kind = kind
    business.save()
    home_services_rows(business, 2)
    restaurant_rows(business, owner, 2)
    cache.clear()
    with django_assert_max_num_queries(30) as small:
        assert owner_client.get(reverse("home")).status_code == 200
    home_services_rows(business, 12)
    restaurant_rows(business, owner, 12)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert owner_client.get(reverse("home")).status_code == 200


def test_checklist_stays_until_complete(owner_client, business, owner):
    business.kind = "restaurants"
    business.save()
    html = owner_client.get(reverse("home")).content.decode()
    assert "Add your first restaurant" in html
    restaurant_rows(business, owner, 1)
    html = owner_client.get(reverse("home")).content.decode()
    assert "Add your first restaurant" not in html and "All 3 steps are done." in html


def test_restaurants_empty_dashboard_says_what_to_do(owner_client, business):
    business.kind = "restaurants"
    business.save()
    html = owner_client.get(reverse("home")).content.decode()
    assert "No restaurants yet." in html and reverse("crm:create") in html
