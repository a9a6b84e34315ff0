"""Frequency discounts in the one pricing function, base prices per service
type, and the deposit on the booking, its invoice and its payments."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from account.models import largest_booking_total
from booking import services
from booking.models import Invoice, Payment, PaymentKind
from booking.pricing import quote
from booking.validation import parse_frequency
from tests.booking.factories import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(business):
    settings = business.settings
    settings.base_price_standard = Decimal("40.00")
    settings.base_price_deep = Decimal("90.00")
    settings.price_per_bedroom = Decimal("20.00")
    settings.price_per_bathroom = Decimal("15.00")
    settings.sqft_rate_standard = Decimal("0.05")
    settings.sqft_rate_deep = Decimal("0.0505")
    settings.discount_weekly = Decimal("15")
    settings.discount_biweekly = Decimal("10")
    settings.discount_every_4_weeks = Decimal("7.5")
    settings.discount_monthly = Decimal("0")
    settings.tax_rate = Decimal("8.25")
    settings.deposit_amount = Decimal("25.00")
    settings.save()
    return business


def _quote(business, **kwargs):
    values = {"service_type": "standard", "bedrooms": 2, "bathrooms": 1, "square_feet": 1000}
    values.update(kwargs)
    return quote(business=business, **values)


def test_each_service_type_has_its_base_price(priced):
    standard = _quote(priced, square_feet=0, bedrooms=0, bathrooms=0)
    deep = _quote(priced, service_type="deep", square_feet=0, bedrooms=0, bathrooms=0)
    assert [(line.kind, line.amount) for line in standard.lines] == [("base", Decimal("40.00"))]
    assert [(line.kind, line.amount) for line in deep.lines] == [("base", Decimal("90.00"))]


def test_discount_is_its_own_negative_line_and_tax_is_on_the_discounted_subtotal(priced):
    one_time = _quote(priced)
    assert one_time.subtotal == Decimal("145.00")
    weekly = _quote(priced, frequency="weekly")
    discount = weekly.lines[-1]
    assert (discount.kind, discount.key) == ("discount", "discount")
    assert discount.description == "Discount, every week (15 %)"
    assert discount.amount == discount.unit_price == Decimal("-21.75")
    assert weekly.subtotal == Decimal("123.25")
    assert weekly.tax == Decimal("10.17")  # 123.25 × 8.25 % = 10.168…
    assert weekly.total == Decimal("133.42")
    assert weekly.discount == Decimal("21.75") and weekly.discount_percent == Decimal("15")
    assert weekly.as_dict()["lines"][-1]["amount"] == "-21.75"
    assert weekly.as_dict()["frequency"] == "weekly"


def test_discount_rounds_half_up_to_cents(priced):
    # deep: 90 + 20 + 15 + 1010 × 0.0505 = 51.005 → 51.01; subtotal 176.01
    # every 4 weeks, 7.5 %: 13.20075 → 13.20; biweekly 10 %: 17.601 → 17.60
    four = _quote(
        priced, service_type="deep", bedrooms=1, square_feet=1010, frequency="every_4_weeks"
    )
    assert sum(line.amount for line in four.lines if line.kind != "discount") == Decimal("176.01")
    assert four.lines[-1].amount == Decimal("-13.20")
    settings = priced.settings
    settings.discount_every_4_weeks = Decimal("12.5")  # 22.00125 → 22.00
    settings.discount_biweekly = Decimal("2.5")  # 4.40025 → 4.40
    settings.save()
    priced.refresh_from_db()
    assert _quote(
        priced, service_type="deep", bedrooms=1, square_feet=1010, frequency="every_4_weeks"
    ).lines[-1].amount == Decimal("-22.00")
    # 0.5 cent exactly rounds up: 100.10 × 2.5 % = 2.5025 → 2.50; 100.20 × 2.5 % = 2.505 → 2.51
    settings.base_price_standard = Decimal("100.20")
    settings.save()
    priced.refresh_from_db()
    line = _quote(priced, bedrooms=0, bathrooms=0, square_feet=0, frequency="biweekly").lines[-1]
    assert line.amount == Decimal("-2.51")


def test_no_discount_line_without_a_percent_or_for_one_time(priced):
    assert "discount" not in {line.kind for line in _quote(priced, frequency="monthly").lines}
    assert "discount" not in {line.kind for line in _quote(priced, frequency="one_time").lines}
    with pytest.raises(ValueError):
        _quote(priced, frequency="daily")


def test_deposit_is_the_setting_at_most_the_total(priced):
    assert _quote(priced).deposit == Decimal("25.00")
    settings = priced.settings
    settings.deposit_amount = Decimal("1000.00")
    settings.save()
    priced.refresh_from_db()
    small = _quote(priced, bedrooms=0, bathrooms=0, square_feet=0)
    assert small.deposit == small.total


def test_largest_booking_total_takes_the_dearest_service_type(priced):
    settings = priced.settings
    settings.base_price_airbnb = Decimal("5000.00")
    settings.sqft_rate_airbnb = Decimal("0.01")
    total = largest_booking_total(settings, [])
    totals = [
        quote(
            business=priced, service_type=service, bedrooms=50, bathrooms=50, square_feet=100_000
        ).total
        for service in ("standard", "deep", "move_in_out", "airbnb")
    ]
    assert total == max(totals)
    weekly = quote(
        business=priced,
        service_type="deep",
        bedrooms=50,
        bathrooms=50,
        square_feet=100_000,
        frequency="weekly",
    )
    assert weekly.total < total


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Every two weeks", "biweekly"),
        ("biweekly", "biweekly"),
        ("every_4_weeks", "every_4_weeks"),
        ("Monthly", "monthly"),
        ("Every week", "weekly"),
        ("one-time", "one_time"),
        ("Just once", "one_time"),
        ("whenever", None),
        ("", None),
        (3, None),
    ],
)
def test_parse_frequency(text, value):
    assert parse_frequency(text) == value


def test_booking_create_refuses_an_unknown_frequency_and_writes_nothing(priced):
    with pytest.raises(ValidationError) as exc:
        make_booking(priced, frequency="every full moon")
    assert "How often" in str(exc.value)
    assert not priced.bookings.exists()


# --- Deposit on the booking, the invoice and payments --------------------------------


def test_booking_and_invoice_show_the_deposit_due(owner_client, priced):
    booking = make_booking(priced)
    assert booking.deposit == Decimal("25.00")
    page = owner_client.get(reverse("booking:detail", args=[booking.public_id])).content.decode()
    assert 'id="booking-deposit"' in page and "$25.00" in page
    invoice, _ = services.invoice_create(booking=booking)
    assert invoice.deposit == Decimal("25.00") and invoice.deposit_outstanding == Decimal("25.00")
    page = owner_client.get(reverse("booking:invoice_detail", args=[invoice.public_id]))
    text = page.content.decode()
    assert "Deposit due" in text and "Record the deposit" in text
    html = owner_client.get(reverse("booking:invoice_preview", args=[invoice.public_id]))
    assert b"Deposit due" in html.content


def test_a_deposit_payment_is_recorded_against_the_deposit(owner_client, priced):
    booking = make_booking(priced)
    invoice, _ = services.invoice_create(booking=booking)
    url = reverse("booking:invoice_mark_paid", args=[invoice.public_id])
    form = owner_client.get(url + "?kind=deposit")
    assert form.status_code == 200
    assert form.context["form"]["amount"].value() == Decimal("25.00")
    data = {"kind": "deposit", "method": "card", "paid_on": priced.today().isoformat()}
    too_much = owner_client.post(url, {**data, "amount": "30.00"})
    assert too_much.status_code == 400
    assert b"more than the deposit due" in too_much.content
    assert not Payment.objects.exists()
    assert owner_client.post(url, {**data, "amount": "25.00"}).status_code == 302
    payment = Payment.objects.get()
    assert payment.kind == PaymentKind.DEPOSIT
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.deposit_outstanding == 0 and invoice.amount_due == invoice.total - 25
    page = owner_client.get(reverse("booking:detail", args=[booking.public_id])).content.decode()
    assert "$25.00</span> received" in page
    # No deposit is due any more: a second one is refused by the service as well.
    with pytest.raises(ValidationError):
        services.payment_record(
            invoice=invoice,
            amount=Decimal("1"),
            method="cash",
            paid_on=priced.today(),
            kind=PaymentKind.DEPOSIT,
        )
    # The rest is an ordinary payment.
    rest = owner_client.post(
        url,
        {"method": "cash", "paid_on": priced.today().isoformat(), "amount": invoice.amount_due},
    )
    assert rest.status_code == 302
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"


def test_editing_keeps_the_deposit_at_most_the_new_total(priced):
    booking = make_booking(priced)
    settings = priced.settings
    settings.deposit_amount = Decimal("0")
    settings.save()
    services.booking_update(booking=booking, bedrooms=3)
    booking.refresh_from_db()
    assert booking.deposit == Decimal("25.00")


def test_an_invoice_with_a_discount_line_can_be_edited(owner_client, priced):
    booking = make_booking(priced, frequency="weekly")
    invoice, _ = services.invoice_create(booking=booking)
    lines = list(invoice.lines.all())
    assert lines[-1].amount < 0
    url = reverse("booking:invoice_edit", args=[invoice.public_id])
    data = {
        "due_date": priced.today().isoformat(),
        "notes": "",
        "discount": "0",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
    }
    for index, line in enumerate(lines):
        data[f"lines-{index}-description"] = line.description
        data[f"lines-{index}-quantity"] = str(line.quantity)
        data[f"lines-{index}-unit_price"] = str(line.unit_price)
    assert owner_client.post(url, data).status_code == 302
    assert Invoice.objects.get(pk=invoice.pk).total == invoice.total
    # A discount larger than the rest is refused and nothing changes.
    data[f"lines-{len(lines) - 1}-unit_price"] = "-100000"
    response = owner_client.post(url, data)
    assert response.status_code == 400
    assert b"less than zero" in response.content
    assert Invoice.objects.get(pk=invoice.pk).total == invoice.total
