import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from account.events import business_event
from booking import services
from booking.models import Invoice, InvoiceCounter, InvoiceStatus, Payment
from tests.booking.factories import make_booking, make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    seen = []

    def receiver(sender, business, event_type, data, **kwargs):
        seen.append((event_type, data))

    business_event.connect(receiver)
    yield seen
    business_event.disconnect(receiver)


# --- services -------------------------------------------------------------------------


def test_invoice_copies_snapshot_and_numbers_sequentially(
    business, django_capture_on_commit_callbacks
):
    business.settings.invoice_due_days = 7
    business.settings.save()
    first = make_invoice(business, addons={"oven": 1})
    second = make_invoice(business)
    assert (first.number, second.number) == ("INV-0001", "INV-0002")
    assert first.issue_date == business.today()
    assert first.due_date == business.today() + timedelta(days=7)
    assert first.status == InvoiceStatus.UNPAID
    assert first.total == first.booking.total
    assert [line.description for line in first.lines.all()] == [
        line.description for line in first.booking.lines.all()
    ]
    # Later price changes never touch the invoice.
    business.addons.update(price=Decimal("999"))
    business.settings.tax_rate = Decimal("50")
    business.settings.save()
    first.refresh_from_db()
    assert first.total == first.booking.total
    assert first.public_id.startswith("IV-")


def test_one_live_invoice_per_booking(business):
    booking = make_booking(business)
    invoice, created = services.invoice_create(booking=booking)
    again, created_again = services.invoice_create(booking=booking)
    assert created and not created_again and again == invoice
    services.invoice_void(invoice=invoice, reason="Wrong")
    new, created = services.invoice_create(booking=booking)
    assert created and new.number == "INV-0002"


def test_draft_gets_number_when_issued(business):
    booking = make_booking(business)
    draft, _ = services.invoice_create(booking=booking, issue=False)
    assert draft.status == InvoiceStatus.DRAFT and draft.number == ""
    other = make_invoice(business)
    assert other.number == "INV-0001"
    issued = services.invoice_issue(invoice=draft)
    assert issued.number == "INV-0002" and issued.status == InvoiceStatus.UNPAID


def test_payments_partial_then_paid_and_overpayment_refused(
    business, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = make_invoice(business)
    total = invoice.total
    services.payment_record(
        invoice=invoice, amount=Decimal("10.00"), method="cash", paid_on=business.today()
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTIALLY_PAID
    assert invoice.amount_due == total - Decimal("10.00")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.payment_record(
            invoice=invoice, amount=total, method="cash", paid_on=business.today()
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(
            invoice=invoice, amount=invoice.amount_due, method="card", paid_on=business.today()
        )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_due == 0
    kinds = [kind for kind, _ in events]
    assert kinds == ["booking.created", "invoice.created", "invoice.paid"]
    paid = events[-1][1]
    assert paid["number"] == invoice.number and paid["total"] == str(total)
    assert paid["booking_id"] == invoice.booking.public_id


def test_booking_events_payloads_are_json(business, events, django_capture_on_commit_callbacks):
    import json

    with django_capture_on_commit_callbacks(execute=True):
        booking = make_booking(business, addons={"oven": 1})
        services.booking_update(booking=booking, bedrooms=4, addons={"oven": 1})
        services.booking_complete(booking=booking, confirmed=True)
    other = make_booking(business)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=other, reason="Sick")
    kinds = [kind for kind, _ in events]
    # Events are announced inside the transaction of the change (receivers
    # write their outbox rows there), so `other`'s creation is one too.
    assert kinds == [
        "booking.created",
        "booking.updated",
        "booking.completed",
        "invoice.created",
        "booking.created",
        "booking.cancelled",
    ]
    for _, data in events:
        json.dumps(data)
    created = events[0][1]
    assert created["booking_id"] == booking.public_id
    assert created["total"] == str(booking.total)
    assert created["start"].endswith("+00:00")


def test_overdue_and_totals(business):
    from booking.selectors import invoice_totals

    overdue = make_invoice(business)
    overdue.due_date = business.today() - timedelta(days=1)
    overdue.save()
    current = make_invoice(business)
    services.payment_record(
        invoice=current, amount=Decimal("5"), method="cash", paid_on=business.today()
    )
    assert overdue.display_status == "overdue"
    current.refresh_from_db()
    assert current.display_status == "partially_paid"
    totals = invoice_totals(business)
    assert totals["overdue"] == overdue.total
    assert totals["outstanding"] == overdue.total + current.total - Decimal("5")


# --- numbering under concurrency (PostgreSQL) ---------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_invoice_numbers_have_no_gap_or_duplicate(business, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    import time

    original_save = InvoiceCounter.save

    def slow_save(self, *args, **kwargs):
        # Widen the read-increment-write window so that a missing lock shows.
        time.sleep(0.05)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(InvoiceCounter, "save", slow_save)
    bookings = [make_booking(business, days=i) for i in range(12)]
    barrier = threading.Barrier(len(bookings))
    errors = []

    def issue(booking):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            services.invoice_create(booking=booking)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(b,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Invoice.objects.filter(business=business).values_list("sequence", flat=True))
    assert numbers == list(range(1, len(bookings) + 1))
    assert InvoiceCounter.objects.get(business=business).last_number == len(bookings)


# --- views ----------------------------------------------------------------------------------


def test_invoice_list_filters_totals_and_search(owner_client, business, other_business):
    paid = make_invoice(business, customer_first_name="Paid")
    services.payment_record(
        invoice=paid, amount=paid.total, method="cash", paid_on=business.today()
    )
    late = make_invoice(business, customer_first_name="Late")
    late.due_date = business.today() - timedelta(days=3)
    late.save()
    make_invoice(business, customer_first_name="Open")
    make_invoice(other_business, customer_first_name="Rival")

    response = owner_client.get(reverse("booking:invoice_list"))
    assert response.status_code == 200
    assert b"Rival" not in response.content
    assert response.context["totals"]["overdue"] == late.total

    def names(**params):
        response = owner_client.get(reverse("booking:invoice_list"), params)
        return sorted(i.bill_to_name.split()[0] for i in response.context["invoices"])

    assert names(status="overdue") == ["Late"]
    assert names(status="paid") == ["Paid"]
    assert names(status="unpaid") == ["Open"]
    assert names(status="open") == ["Late", "Open"]
    assert names(q=late.number) == ["Late"]
    assert names(q="late") == ["Late"]


def test_invoice_list_query_count(owner_client, business, django_assert_max_num_queries):
    for _ in range(30):
        make_invoice(business)
    # session, user, membership+business, page count, page rows (+ booking), totals
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("booking:invoice_list"))
    assert len(response.context["invoices"]) == 25


def test_invoice_create_view(owner_client, business):
    booking = make_booking(business)
    url = reverse("booking:invoice_create", args=[booking.public_id])
    response = owner_client.get(url)
    assert response.status_code == 200 and not Invoice.objects.exists()
    response = owner_client.post(url, {"action": "issue"})
    invoice = Invoice.objects.get()
    assert response.url == reverse("booking:invoice_detail", args=[invoice.public_id])
    response = owner_client.post(url)
    assert response.url == reverse("booking:invoice_detail", args=[invoice.public_id])
    assert Invoice.objects.count() == 1


def test_invoice_detail_and_preview(owner_client, business):
    invoice = make_invoice(business)
    response = owner_client.get(reverse("booking:invoice_detail", args=[invoice.public_id]))
    assert response.status_code == 200 and invoice.number.encode() in response.content
    response = owner_client.get(reverse("booking:invoice_preview", args=[invoice.public_id]))
    assert response.status_code == 200
    content = response.content.decode()
    assert invoice.number in content and business.name in content
    assert "$" + str(invoice.total) in content


def test_record_payment_view(owner_client, business):
    invoice = make_invoice(business)
    url = reverse("booking:invoice_mark_paid", args=[invoice.public_id])
    today = business.today().isoformat()
    response = owner_client.post(url, {"amount": "10000", "method": "cash", "paid_on": today})
    assert response.status_code == 400 and b"overpayment" in response.content
    response = owner_client.post(url, {"amount": "-5", "method": "cash", "paid_on": today})
    assert response.status_code == 400
    future = (business.today() + timedelta(days=3)).isoformat()
    response = owner_client.post(url, {"amount": "5", "method": "cash", "paid_on": future})
    assert response.status_code == 400
    response = owner_client.post(url, {"amount": "5", "method": "bitcoin", "paid_on": today})
    assert response.status_code == 400
    assert not Payment.objects.exists()
    response = owner_client.post(
        url,
        {"amount": str(invoice.total), "method": "check", "paid_on": today, "reference": "1042"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    payment = Payment.objects.get()
    assert (payment.method, payment.reference) == ("check", "1042")
    # A paid invoice takes no more payments and is locked.
    owner_client.post(url, {"amount": "1", "method": "cash", "paid_on": today})
    assert Payment.objects.count() == 1
    response = owner_client.post(
        reverse("booking:invoice_edit", args=[invoice.public_id]),
        {"due_date": today, "notes": "changed", "discount": "0"},
    )
    invoice.refresh_from_db()
    assert invoice.notes != "changed"


def test_edit_invoice_lines_and_discount(owner_client, business):
    invoice = make_invoice(business)
    business.settings.tax_rate = Decimal("8")  # the invoice keeps its own rate
    business.settings.save()
    url = reverse("booking:invoice_edit", args=[invoice.public_id])
    assert owner_client.get(url).status_code == 200
    due = (business.today() + timedelta(days=30)).isoformat()
    data = {
        "due_date": due,
        "notes": "Thanks!",
        "discount": "10",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Standard clean",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "100",
        "lines-1-description": "Fridge",
        "lines-1-quantity": "2",
        "lines-1-unit_price": "12.345",
    }
    response = owner_client.post(url, data)
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.subtotal == Decimal("124.69")
    assert invoice.discount == Decimal("10.00")
    assert invoice.total == Decimal("114.69")  # tax rate of the booking: 0 %
    assert invoice.notes == "Thanks!"


@pytest.mark.parametrize(
    "override",
    [
        {"due_date": "2000-01-01"},
        {"due_date": "nonsense"},
        {"discount": "-1"},
        {"discount": "1000"},
        {"lines-0-quantity": "-1"},
        {"lines-0-description": ""},
    ],
)
def test_edit_invoice_bad_input_writes_nothing(owner_client, business, override):
    invoice = make_invoice(business)
    before = Invoice.objects.filter(pk=invoice.pk).values().get()
    data = {
        "due_date": (business.today() + timedelta(days=3)).isoformat(),
        "notes": "x",
        "discount": "0",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Clean",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "100",
    }
    data.update(override)
    response = owner_client.post(reverse("booking:invoice_edit", args=[invoice.public_id]), data)
    assert response.status_code == 400
    assert Invoice.objects.filter(pk=invoice.pk).values().get() == before
    assert [line.description for line in invoice.lines.all()] != ["Clean"]


def test_delete_invoice_only_without_payments(owner_client, business):
    invoice = make_invoice(business)
    url = reverse("booking:invoice_delete", args=[invoice.public_id])
    assert owner_client.get(url).status_code == 200
    assert Invoice.objects.exists()
    assert owner_client.post(url).status_code == 302
    assert not Invoice.objects.exists()
    paid = make_invoice(business)
    services.payment_record(
        invoice=paid, amount=Decimal("1"), method="cash", paid_on=business.today()
    )
    url = reverse("booking:invoice_delete", args=[paid.public_id])
    response = owner_client.post(url, follow=True)
    assert b"Void it instead" in response.content
    assert owner_client.delete(url).status_code == 409
    assert Invoice.objects.filter(pk=paid.pk).exists()


def test_void_invoice(owner_client, business):
    invoice = make_invoice(business)
    url = reverse("booking:invoice_void", args=[invoice.public_id])
    assert owner_client.get(url).status_code == 200
    assert owner_client.post(url, {"reason": ""}).status_code == 400
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.UNPAID
    owner_client.post(url, {"reason": "Duplicate"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID and invoice.amount_due == 0


def test_send_invoice_by_email_with_pdf(owner_client, business):
    invoice = make_invoice(business)
    url = reverse("booking:invoice_send", args=[invoice.public_id])
    assert owner_client.get(url).status_code == 405
    assert mail.outbox == []
    response = owner_client.post(url)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jamie@example.com"]
    assert invoice.number in message.subject
    filename, content, mimetype = message.attachments[0]
    assert filename == f"Invoice-{invoice.number}.pdf" and content.startswith(b"%PDF")
    invoice.refresh_from_db()
    assert invoice.sent_at is not None


def test_send_invoice_without_email_is_refused(owner_client, business):
    invoice = make_invoice(business, customer_email="")
    owner_client.post(reverse("booking:invoice_send", args=[invoice.public_id]))
    assert mail.outbox == []
    invoice.refresh_from_db()
    assert invoice.sent_at is None


def invoice_urls(invoice_id):
    return [
        ("get", reverse("booking:invoice_detail", args=[invoice_id])),
        ("get", reverse("booking:invoice_edit", args=[invoice_id])),
        ("post", reverse("booking:invoice_edit", args=[invoice_id])),
        ("get", reverse("booking:invoice_delete", args=[invoice_id])),
        ("post", reverse("booking:invoice_delete", args=[invoice_id])),
        ("delete", reverse("booking:invoice_delete", args=[invoice_id])),
        ("get", reverse("booking:invoice_mark_paid", args=[invoice_id])),
        ("post", reverse("booking:invoice_mark_paid", args=[invoice_id])),
        ("get", reverse("booking:invoice_void", args=[invoice_id])),
        ("post", reverse("booking:invoice_void", args=[invoice_id])),
        ("post", reverse("booking:invoice_issue", args=[invoice_id])),
        ("post", reverse("booking:invoice_send", args=[invoice_id])),
        ("get", reverse("booking:invoice_preview", args=[invoice_id])),
        ("get", reverse("booking:invoice_pdf", args=[invoice_id])),
    ]


def test_invoice_views_anonymous_redirect(client, business):
    invoice = make_invoice(business)
    for method, url in invoice_urls(invoice.public_id) + [("get", reverse("booking:invoice_list"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/account/login/" in response.url, url


def test_invoice_views_outsider_404(outsider_client, business):
    invoice = make_invoice(business)
    before = Invoice.objects.filter(pk=invoice.pk).values().get()
    for method, url in invoice_urls(invoice.public_id):
        assert getattr(outsider_client, method)(url).status_code == 404, url
    assert Invoice.objects.filter(pk=invoice.pk).values().get() == before
    assert mail.outbox == []


def test_invoice_views_wrong_id_404(owner_client, business):
    for method, url in invoice_urls("IV-NOPE2345"):
        assert getattr(owner_client, method)(url).status_code == 404, url


def test_invoice_get_never_changes_state(owner_client, business):
    invoice = make_invoice(business)
    before = (
        Invoice.objects.filter(pk=invoice.pk)
        .exclude()
        .values("status", "amount_paid", "total", "due_date", "notes", "sent_at", "number")
        .get()
    )
    for method, url in invoice_urls(invoice.public_id):
        if method == "get":
            owner_client.get(url)
    after = (
        Invoice.objects.filter(pk=invoice.pk)
        .values("status", "amount_paid", "total", "due_date", "notes", "sent_at", "number")
        .get()
    )
    assert after == before
    assert not Payment.objects.exists() and mail.outbox == []


def test_member_records_payments_but_cannot_void_or_delete(member_client, business):
    invoice = make_invoice(business)
    today = business.today().isoformat()
    url = reverse("booking:invoice_mark_paid", args=[invoice.public_id])
    assert (
        member_client.post(url, {"amount": "5", "method": "cash", "paid_on": today}).status_code
        == 302
    )
    void = reverse("booking:invoice_void", args=[invoice.public_id])
    assert member_client.post(void, {"reason": "x"}).status_code == 403
    delete = reverse("booking:invoice_delete", args=[invoice.public_id])
    assert member_client.post(delete).status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTIALLY_PAID


def test_booking_detail_query_count(owner_client, business, django_assert_max_num_queries):
    booking = make_booking(business, addons={"oven": 1, "windows": 2})
    invoice, _ = services.invoice_create(booking=booking)
    for _ in range(3):
        services.payment_record(
            invoice=invoice, amount=Decimal("1"), method="cash", paid_on=business.today()
        )
    # session, user, membership+business, booking(+lead, creator, customer), lines,
    # invoices, payments, crew, history, delete check, messages sent
    with django_assert_max_num_queries(11):
        response = owner_client.get(reverse("booking:detail", args=[booking.public_id]))
    assert response.status_code == 200
