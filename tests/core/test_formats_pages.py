"""One format for each kind of value, as pages, messages, emails and PDFs show
it: phones in the business's national format, money as $1,234.50 (never
broken across lines), times on the business's 12- or 24-hour clock."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from booking.models import Booking, Invoice
from booking.services import invoice_create
from leads.models import Lead
from tests.booking.factories import make_booking

pytestmark = pytest.mark.django_db

MONEY = '<span class="money">$1,234.50</span>'


@pytest.fixture
def flat_price(business):
    """Every booking costs $1,234.50."""
    settings = business.settings
    settings.base_price_standard = Decimal("1234.50")
    settings.price_per_bedroom = settings.price_per_bathroom = Decimal("0")
    settings.sqft_rate_standard = settings.tax_rate = Decimal("0")
    settings.invoice_notes = ""
    settings.save()
    return business


def make_booking_at(business, days, hour, minute, **fields):
    day = business.today() + dt.timedelta(days=days)
    start = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=business.tzinfo)
    booking = make_booking(business, days=days, hour=hour, **fields)
    Booking.objects.filter(pk=booking.pk).update(start=start)
    booking.refresh_from_db()
    return booking


@pytest.fixture
def afternoon_booking(flat_price):
    """Tomorrow at 2:30 PM in Chicago; the customer's phone is in E.164."""
    return make_booking_at(flat_price, 1, 14, 30, customer_phone="+15125550143")


def week_of(booking):
    day = booking.start.astimezone(booking.business.tzinfo).date()
    return reverse("booking:calendar") + f"?view=week&date={day.isoformat()}"


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_booking_pages_show_national_phone_money_and_12_hour_time(owner_client, afternoon_booking):
    booking = afternoon_booking
    content = owner_client.get(reverse("booking:detail", args=[booking.public_id])).content
    content = content.decode()
    assert "(512) 555-0143" in content and 'href="tel:+15125550143"' in content
    assert MONEY in content
    assert "2:30 PM" in content and "14:30" not in content
    for url in (reverse("booking:list"), week_of(booking)):
        content = owner_client.get(url).content.decode()
        assert "2:30 PM" in content, url
        assert "$1,234.50" in content, url


def test_a_business_on_the_24_hour_clock_sees_14_30(owner_client, afternoon_booking, business):
    business.time_format = "24h"
    business.save()
    booking = afternoon_booking
    for url in (
        reverse("booking:detail", args=[booking.public_id]),
        reverse("booking:list"),
        week_of(booking),
    ):
        content = owner_client.get(url).content.decode()
        assert "14:30" in content, url
        assert "2:30 PM" not in content, url


def test_the_clock_defaults_by_country_and_is_chosen_on_the_settings_page(owner_client, business):
    assert business.uses_12_hour_clock  # a US number
    business.phone = "+442079460018"
    assert not business.uses_12_hour_clock  # a UK number
    business.phone = ""
    business.currency = "GBP"
    assert not business.uses_12_hour_clock
    business.refresh_from_db()

    url = reverse("account:business_settings_edit")
    page = owner_client.get(url).content.decode()
    assert "Automatic (12-hour, as usual in your country)" in page
    settings = business.settings
    data = {
        name: getattr(settings, name)
        for name in (
            "base_price_standard",
            "base_price_deep",
            "base_price_move_in_out",
            "base_price_airbnb",
            "price_per_bedroom",
            "price_per_bathroom",
            "sqft_rate_standard",
            "sqft_rate_deep",
            "sqft_rate_move_in_out",
            "sqft_rate_airbnb",
            "deposit_amount",
            "tax_rate",
            "default_duration_minutes",
            "invoice_due_days",
            "invoice_prefix",
            "invoice_notes",
        )
    }
    response = owner_client.post(url, {**data, "time_format": "24h"})
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.time_format == "24h" and not business.uses_12_hour_clock


def test_flash_messages_show_money_one_way(owner_client, flat_price):
    from tests.booking.test_booking_views import form_data

    data = form_data(flat_price, addon_oven="0", addon_windows="0", service_type="standard")
    response = owner_client.post(reverse("booking:create"), data, follow=True)
    content = response.content.decode()
    assert "saved: $1,234.50." in content
    assert "USD" not in content.split("<main", 1)[-1]


def test_form_labels_and_errors_show_money_one_way(owner_client, afternoon_booking):
    page = owner_client.get(reverse("booking:create")).content.decode()
    assert "Inside oven ($25.00)" in page
    invoice, _ = invoice_create(booking=afternoon_booking)
    response = owner_client.post(
        reverse("booking:invoice_mark_paid", args=[invoice.public_id]),
        {"amount": "5000", "method": "cash", "paid_on": invoice.business.today().isoformat()},
    )
    assert response.status_code == 400
    assert "more than the amount due ($1,234.50)" in response.content.decode()


def test_invoice_preview_pdf_and_email_show_phones_and_money(
    owner_client, afternoon_booking, business
):
    invoice, _ = invoice_create(booking=afternoon_booking)
    preview = owner_client.get(reverse("booking:invoice_preview", args=[invoice.public_id]))
    content = preview.content.decode()
    assert "(512) 555-0143" in content  # the customer
    assert "(512) 555-0100" in content  # the business
    assert MONEY in content

    response = owner_client.get(reverse("booking:invoice_pdf", args=[invoice.public_id]))
    text = pdf_text(response.content)
    assert "(512) 555-0143" in text and "(512) 555-0100" in text
    assert "$1,234.50" in text and "USD 1234.50" not in text

    owner_client.post(reverse("booking:invoice_send", args=[invoice.public_id]))
    body = mail.outbox[0].body
    assert "for $1,234.50 is attached" in body and "Amount due: $1,234.50" in body
    assert "(512) 555-0100" in body and "+15125550100" not in body
    assert "<span" not in body


def test_a_uk_business_sees_uk_numbers_nationally_and_others_internationally(
    owner_client, business
):
    business.phone = "+442079460018"
    business.currency = "GBP"
    business.save()
    lead = Lead.objects.create(business=business, name="Local", phone="+442079460958")
    Lead.objects.create(business=business, name="Abroad", phone="+15125550143")
    content = owner_client.get(reverse("leads:list")).content.decode()
    assert "020 7946 0958" in content
    assert "+1 512-555-0143" in content
    detail = owner_client.get(reverse("leads:detail", args=[lead.public_id])).content.decode()
    assert "020 7946 0958" in detail


def test_lead_estimates_and_times_show_one_way(owner_client, business):
    lead = Lead.objects.create(
        business=business, name="Dana", phone="+15125550143", estimate_total="1234.50"
    )
    content = owner_client.get(reverse("leads:detail", args=[lead.public_id])).content.decode()
    assert MONEY in content
    assert "(512) 555-0143" in content


def test_restaurant_page_shows_national_phones(owner_client, business, owner, monkeypatch):
    from call import clock
    from tests.restaurants.factories import CallPlanFactory, RestaurantFactory

    now = dt.datetime(2025, 3, 10, 16, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: now)
    restaurant = RestaurantFactory(business=business, assigned_to=owner, phone="+15125550177")
    CallPlanFactory(
        restaurant=restaurant, next_call_date=dt.datetime(2025, 3, 10, 18, tzinfo=dt.UTC)
    )
    content = owner_client.get(reverse("crm:home")).content.decode()
    assert "(512) 555-0177" in content
    assert "Mar 10, 1:00 PM" in content
    business.time_format = "24h"
    business.save()
    content = owner_client.get(reverse("crm:home")).content.decode()
    assert "Mar 10, 13:00" in content


def test_dashboard_panels_show_money_and_times_one_way(owner_client, flat_price):
    today_late = make_booking_at(flat_price, 0, 23, 45)
    invoice_create(booking=today_late)
    content = owner_client.get("/").content.decode()
    assert "11:45 PM" in content
    assert MONEY in content  # outstanding


def test_invoice_model_keeps_the_customer_phone_in_e164(afternoon_booking):
    invoice, _ = invoice_create(booking=afternoon_booking)
    assert Invoice.objects.get(pk=invoice.pk).bill_to_phone == "+15125550143"


def test_addon_prices_show_money_one_way(owner_client, business):
    content = owner_client.get(reverse("account:addon_list")).content.decode()
    assert '<span class="money">$15.00</span>' in content  # Dishes
