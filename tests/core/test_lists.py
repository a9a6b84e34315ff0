"""The HTML list pages share one way of filtering (core/filters.py, a
django-filter FilterSet per list) and one set of templates (the filter bar,
the table with its pages, the empty state): these tests run every list
through the same expectations."""

import re
from html import unescape

import pytest
from django.urls import reverse

from booking.models import BookingStatus
from leads.models import Lead
from tests.booking.factories import make_booking, make_invoice
from tests.leads.factories import LeadFactory
from webhooks.models import Delivery, Integration, WebhookEvent

pytestmark = pytest.mark.django_db


def _event(business, n, **fields):
    return WebhookEvent.objects.create(
        business=business,
        source="retell",
        event_type="call_analyzed",
        dedupe_key=f"key{n}",
        payload={},
        **fields,
    )


# url name, how to make row n, a filter that keeps every row made that way,
# a filter that keeps none, what the rows are called
LISTS = {
    "booking:list": (
        lambda business, n: make_booking(business, days=n + 1),
        {"status": "scheduled"},
        {"status": "cancelled"},
        "bookings",
    ),
    "booking:invoice_list": (
        lambda business, n: make_invoice(business, days=n - 40),
        {"status": "unpaid"},
        {"status": "paid"},
        "invoices",
    ),
    "leads:list": (
        lambda business, n: LeadFactory(business=business),
        {"status": "new"},
        {"status": "lost"},
        "leads",
    ),
    "webhooks:inbox": (
        lambda business, n: _event(business, n, status="processed"),
        {"status": "processed"},
        {"status": "failed"},
        "events",
    ),
}


def links(response):
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', response.content.decode())]


@pytest.mark.parametrize("name", LISTS)
def test_page_links_keep_the_filters(owner_client, business, name):
    make_row, keep_all, _, _ = LISTS[name]
    for n in range(30):
        make_row(business, n)
    response = owner_client.get(reverse(name), {**keep_all, "page": "2"})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 5
    ((key, value),) = keep_all.items()
    assert f"?{key}={value}&page=1" in links(response)
    used = {template.name for template in response.templates}
    assert {
        "includes/list_filters.html",
        "includes/list_table.html",
        "includes/pagination.html",
    } <= used


@pytest.mark.parametrize("name", LISTS)
def test_a_value_that_cannot_be_read_answers_400_and_is_shown(owner_client, business, name):
    make_row, _, _, _ = LISTS[name]
    make_row(business, 0)
    response = owner_client.get(reverse(name), {"status": "bogus"})
    assert response.status_code == 400
    assert b"These filters were not applied: Status: Select a valid choice." in response.content
    assert len(response.context["page_obj"].object_list) == 1  # the list, unfiltered
    assert reverse(name) in links(response)  # Clear


@pytest.mark.parametrize("name", LISTS)
def test_filters_that_match_nothing_show_the_shared_empty_state(owner_client, business, name):
    make_row, _, keep_none, noun = LISTS[name]
    make_row(business, 0)
    response = owner_client.get(reverse(name), keep_none)
    assert response.status_code == 200
    content = response.content.decode()
    assert f"No {noun} match these filters." in content
    assert f'<a href="{reverse(name)}">Show all {noun}</a>' in content


@pytest.mark.parametrize(
    ("name", "params"),
    [
        (
            "booking:list",
            {
                "q": "512-555",
                "status": "scheduled",
                "service_type": "standard",
                "date_from": "2000-01-01",
                "date_to": "2999-12-31",
                "sort": "-total",
            },
        ),
        (
            "booking:invoice_list",
            {"q": "Jamie", "status": "overdue", "date_from": "2000-01-01", "sort": "due"},
        ),
        ("leads:list", {"q": "lead", "status": "new", "source": "manual"}),
        ("webhooks:inbox", {"source": "retell", "status": "processed"}),
    ],
)
def test_filtered_lists_cost_a_constant_number_of_queries(
    owner_client, business, django_assert_max_num_queries, name, params
):
    make_row = LISTS[name][0]
    for n in range(30):
        make_row(business, n)
    # session, user, membership+business, summary, page count, page rows
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse(name), params)
    assert response.status_code == 200


def test_the_delivery_log_pages_with_the_shared_pagination(owner_client, business):
    integration = Integration.objects.create(
        business=business, name="CRM", url="https://hooks.example.com/x", events=[]
    )
    Delivery.objects.bulk_create(
        Delivery(business=business, integration=integration, message_id=f"m{n}", event_type="x")
        for n in range(30)
    )
    url = reverse("webhooks:integration_deliveries", args=[integration.pk])
    response = owner_client.get(url)
    assert "?page=2" in links(response)
    response = owner_client.get(url, {"page": "2"})
    assert len(response.context["page_obj"].object_list) == 5
    assert "?page=1" in links(response)


def test_the_empty_delivery_log_says_what_to_do(owner_client, business):
    integration = Integration.objects.create(
        business=business, name="CRM", url="https://hooks.example.com/x", events=[]
    )
    response = owner_client.get(reverse("webhooks:integration_deliveries", args=[integration.pk]))
    assert "Nothing sent yet. Use “Send test event”" in response.content.decode()


# --- Sorting -------------------------------------------------------------------------


def test_sort_headings_sort_by_a_whitelisted_order_and_keep_the_filters(owner_client, business):
    for days in (1, 5, 9):
        make_booking(business, days=days)
    url = reverse("booking:list")
    response = owner_client.get(url, {"status": "scheduled", "page": "1"})
    hrefs = links(response)
    # Not sorted by date yet: the heading sorts oldest first, on page 1.
    assert "?status=scheduled&sort=start" in hrefs
    assert "?status=scheduled&sort=customer" in hrefs
    assert "?status=scheduled&sort=-total" in hrefs

    response = owner_client.get(url, {"status": "scheduled", "sort": "start"})
    starts = [b.start for b in response.context["bookings"]]
    assert starts == sorted(starts)
    content = response.content.decode()
    assert 'aria-sort="ascending"' in content
    assert "?status=scheduled&sort=-start" in links(response)  # again: newest first

    response = owner_client.get(url, {"status": "scheduled", "sort": "-start"})
    starts = [b.start for b in response.context["bookings"]]
    assert starts == sorted(starts, reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()


def test_a_sort_outside_the_whitelist_is_refused_and_the_default_order_kept(owner_client, business):
    later = make_booking(business, days=9)
    soon = make_booking(business, days=1)
    past = make_booking(business, days=-3)
    for sort in ("customer_email", "-business_id", "bogus"):
        response = owner_client.get(reverse("booking:list"), {"sort": sort})
        assert response.status_code == 400
        assert b"These filters were not applied: Sort:" in response.content
        assert list(response.context["bookings"]) == [soon, later, past]


def test_invoice_number_heading_shows_the_order_it_gives(owner_client, business):
    first = make_invoice(business)
    second = make_invoice(business)
    response = owner_client.get(reverse("booking:invoice_list"), {"sort": "number"})
    assert list(response.context["invoices"]) == [second, first]
    assert 'aria-sort="descending"' in response.content.decode()


def test_booking_date_filters_are_local_days(owner_client, business):
    business.timezone = "Pacific/Auckland"
    business.save()
    late = make_booking(business, days=2, hour=23)
    make_booking(business, days=3, hour=0)
    day = late.start.astimezone(business.tzinfo).date().isoformat()
    response = owner_client.get(reverse("booking:list"), {"date_from": day, "date_to": day})
    assert list(response.context["bookings"]) == [late]


def test_filter_bar_is_rendered_from_the_filterset(owner_client, business):
    response = owner_client.get(reverse("leads:list"), {"q": "x\x00y", "source": "thumbtack"})
    content = response.content.decode()
    assert 'type="search" name="q"' in content
    assert response.context["filters"].cleaned()["q"] == "x y"  # read by core.search
    assert '<option value="thumbtack" selected>' in content
    assert "Any status" in content and "Any source" in content
    assert response.context["filters"].is_filtered


def test_stat_links_still_filter(owner_client, business):
    make_booking(business).__class__.objects.update(status=BookingStatus.COMPLETED)
    response = owner_client.get(reverse("booking:list"), {"status": "completed"})
    assert len(response.context["bookings"]) == 1
    lead = LeadFactory(business=business, status=Lead.Status.LOST)
    response = owner_client.get(reverse("leads:list"), {"status": "lost"})
    assert list(response.context["page_obj"]) == [lead]
    assert response.context["current_status"] == "lost"
