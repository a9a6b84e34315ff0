"""Out-of-range input on booking pages answers a 4xx or a form error, never 500."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from booking.models import Booking, Invoice, InvoiceLine
from tests.booking.factories import make_booking, make_invoice
from tests.booking.test_booking_views import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("view", ["week", "month"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01", "1899-12-31"])
def test_calendar_out_of_range_dates_are_refused(owner_client, business, view, day):
    response = owner_client.get(reverse("booking:calendar"), {"view": view, "date": day})
    assert response.status_code == 400
    assert response.context["anchor"] == business.today()
    assert b"Enter a date between the years 1900 and 2999." in response.content


@pytest.mark.parametrize("view", ["week", "month"])
@pytest.mark.parametrize("day", ["2999-12-31", "1900-01-01"])
def test_calendar_edges_of_the_range_work(owner_client, business, view, day):
    response = owner_client.get(reverse("booking:calendar"), {"view": view, "date": day})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_to": "0001-01-01"},
    ],
)
@pytest.mark.parametrize("list_name", ["booking:list", "booking:invoice_list"])
def test_list_filters_refuse_out_of_range_dates(owner_client, business, params, list_name):
    make_booking(business)
    response = owner_client.get(reverse(list_name), params)
    assert response.status_code == 400
    assert b"Enter a date between the years 1900 and 2999." in response.content


def test_list_filter_at_the_end_of_the_range_works(owner_client, business):
    booking = make_booking(business)
    response = owner_client.get(reverse("booking:list"), {"date_to": "2999-12-31"})
    assert response.status_code == 200
    assert list(response.context["bookings"]) == [booking]


# The start of a booking is bounded by the one booking validation (booking/validation.py).
def test_booking_at_the_end_of_time_is_a_form_error(owner_client, business):
    data = form_data(business, date="9999-12-31", start_time="23:59", duration_minutes="1440")
    response = owner_client.post(reverse("booking:create"), data)
    assert response.status_code == 400
    assert not Booking.objects.exists()


def _invoice_edit_data(business, **lines):
    data = {
        "due_date": (business.today() + timedelta(days=3)).isoformat(),
        "notes": "",
        "discount": "0",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Clean",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "100",
    }
    data.update(lines)
    return data


@pytest.mark.parametrize(
    "lines, message",
    [
        (
            {"lines-0-quantity": "99999999.99", "lines-0-unit_price": "99999999.9999"},
            b"Ensure this value is less than or equal to 100000",
        ),
        (
            {"lines-0-quantity": "100000", "lines-0-unit_price": "99999999.99"},
            b"This line comes to $9,999,999,999,000.00, more than the $99,999,999.99",
        ),
        (
            {
                "lines-TOTAL_FORMS": "2",
                "lines-0-quantity": "10000",
                "lines-0-unit_price": "9000",
                "lines-1-description": "More",
                "lines-1-quantity": "10000",
                "lines-1-unit_price": "9000",
            },
            b"These lines come to $180,000,000.00 with tax",
        ),
    ],
)
def test_invoice_lines_too_large_for_an_invoice_are_form_errors(
    owner_client, business, lines, message
):
    invoice = make_invoice(business)
    before = list(InvoiceLine.objects.filter(invoice=invoice).values())
    response = owner_client.post(
        reverse("booking:invoice_edit", args=[invoice.public_id]),
        _invoice_edit_data(business, **lines),
    )
    assert response.status_code == 400
    assert message in response.content
    assert list(InvoiceLine.objects.filter(invoice=invoice).values()) == before


def test_invoice_line_at_the_largest_amount_is_saved(owner_client, business):
    invoice = make_invoice(business)
    response = owner_client.post(
        reverse("booking:invoice_edit", args=[invoice.public_id]),
        _invoice_edit_data(
            business, **{"lines-0-quantity": "1", "lines-0-unit_price": "99999999.99"}
        ),
    )
    assert response.status_code == 302
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("99999999.99")


def test_invoice_lines_count_the_tax_of_the_invoice(owner_client, business):
    settings = business.settings
    settings.tax_rate = Decimal("100")
    settings.save()
    invoice = make_invoice(business)
    response = owner_client.post(
        reverse("booking:invoice_edit", args=[invoice.public_id]),
        _invoice_edit_data(business, **{"lines-0-quantity": "1", "lines-0-unit_price": "60000000"}),
    )
    assert response.status_code == 400
    assert b"These lines come to $120,000,000.00 with tax" in response.content


def test_an_invoice_of_the_largest_home_can_be_edited(owner_client, business):
    """Its area line holds 100,000 square feet."""
    invoice = make_invoice(business, square_feet=100_000)
    url = reverse("booking:invoice_edit", args=[invoice.public_id])
    page = owner_client.get(url)
    data = {
        "due_date": (business.today() + timedelta(days=3)).isoformat(),
        "notes": "",
        "discount": "0",
        "lines-TOTAL_FORMS": str(invoice.lines.count()),
        "lines-INITIAL_FORMS": "0",
    }
    for n, line in enumerate(invoice.lines.all()):
        data[f"lines-{n}-description"] = line.description
        data[f"lines-{n}-quantity"] = str(line.quantity)
        data[f"lines-{n}-unit_price"] = str(line.unit_price)
    assert page.status_code == 200
    response = owner_client.post(url, data)
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.lines.get(description__startswith="Area").quantity == Decimal("100000")
