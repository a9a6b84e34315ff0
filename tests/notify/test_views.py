"""The settings page, the preview, and "Messages sent" on bookings and invoices."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notify.models import MessageKind, NotificationSettings, SentMessage
from tests.booking.factories import make_booking

from .conftest import switch_on
from .helpers import overdue_invoice

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/account/business/reminders/"

VALID = {
    "confirmation_enabled": "on",
    "reminder_enabled": "on",
    "reminder_mode": "day_before_at",
    "reminder_time": "16:30",
    "reminder_hours_before": "24",
    "invoice_reminders_enabled": "on",
    "invoice_reminder_days": "5, 15 30",
    "crew_digest_time": "18:00",
    "confirmation_subject": "See you {date}, {customer_name}",
    "confirmation_body": "",
    "reminder_subject": "",
    "reminder_body": "",
    "invoice_overdue_subject": "",
    "invoice_overdue_body": "",
    "crew_digest_subject": "",
    "crew_digest_body": "",
}


def test_url_and_navigation(owner_client):
    assert reverse("notify:settings") == SETTINGS_URL
    response = owner_client.get(reverse("home"))
    assert SETTINGS_URL.encode() in response.content


def test_settings_page_shows_defaults_and_everything_off(owner_client, business):
    response = owner_client.get(SETTINGS_URL)
    assert response.status_code == 200
    assert b"<title>Reminders and emails" in response.content
    assert b'aria-label="breadcrumb"' in response.content
    form = response.context["form"]
    assert form["confirmation_enabled"].value() is False
    assert form["invoice_reminder_days"].value() == "3, 10, 24"
    assert not NotificationSettings.objects.exists()


def test_the_words_in_use_are_shown_and_defaults_stay_blank(owner_client, business):
    from notify import texts

    response = owner_client.get(SETTINGS_URL)
    form = response.context["form"]
    default_subject, default_body = texts.DEFAULTS[MessageKind.REMINDER]
    assert form["reminder_subject"].value() == default_subject
    assert form["reminder_body"].value() == default_body
    posted = {
        **VALID,
        "reminder_subject": default_subject,
        "reminder_body": default_body.replace("\n", "\r\n") + "\r\n",
        "crew_digest_body": "Hi {member_name}\r\n\r\nSee the list.",
    }
    assert owner_client.post(SETTINGS_URL, posted).status_code == 302
    saved = NotificationSettings.objects.get(business=business)
    assert saved.reminder_subject == "" and saved.reminder_body == ""
    assert saved.crew_digest_body == "Hi {member_name}\n\nSee the list."


def test_owner_saves_settings(owner_client, business):
    response = owner_client.post(SETTINGS_URL, VALID)
    assert response.status_code == 302
    saved = NotificationSettings.objects.get(business=business)
    assert saved.confirmation_enabled and saved.reminder_enabled and not saved.crew_digest_enabled
    assert saved.reminder_time == dt.time(16, 30)
    assert saved.invoice_reminder_days == [5, 15, 30]
    assert saved.invoice_last_day == 30
    assert saved.confirmation_subject == "See you {date}, {customer_name}"


def test_office_member_can_edit_too(member_client, business):
    assert member_client.get(SETTINGS_URL).status_code == 200
    assert member_client.post(SETTINGS_URL, VALID).status_code == 302
    assert NotificationSettings.objects.get(business=business).confirmation_enabled


def test_anonymous_goes_to_login(client):
    for url in (SETTINGS_URL, reverse("notify:preview", args=["confirmation"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account:login"))
    response = client.post(SETTINGS_URL, VALID)
    assert response.status_code == 302 and not NotificationSettings.objects.exists()


def test_outsider_changes_only_their_own_business(outsider_client, business, other_business):
    switch_on(business, confirmation_subject="Ours")
    response = outsider_client.post(SETTINGS_URL, {**VALID, "confirmation_subject": "Theirs"})
    assert response.status_code == 302
    assert NotificationSettings.objects.get(business=business).confirmation_subject == "Ours"
    assert (
        NotificationSettings.objects.get(business=other_business).confirmation_subject == "Theirs"
    )
    page = outsider_client.get(SETTINGS_URL)
    assert b"Ours" not in page.content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("invoice_reminder_days", "", "This field is required"),
        ("invoice_reminder_days", "3, ten", "is not a whole number of days"),
        ("invoice_reminder_days", "10, 3", "from smallest to largest"),
        ("invoice_reminder_days", "3, 3", "from smallest to largest"),
        ("invoice_reminder_days", "0", "between 1 and 90"),
        ("invoice_reminder_days", "400", "between 1 and 90"),
        ("invoice_reminder_days", "1 2 3 4 5 6 7", "at most 6"),
        ("invoice_reminder_days", "-3", "is not a whole number"),
        ("reminder_time", "25:00", "Enter a valid time"),
        ("reminder_hours_before", "0", "greater than or equal to 1"),
        ("reminder_hours_before", "500", "less than or equal to 72"),
        ("reminder_mode", "whenever", "Select a valid choice"),
        ("confirmation_subject", "Hi {customer_name.__class__}", "Unknown placeholder"),
        ("confirmation_body", "Due {due_date}", "Unknown placeholder {due_date}"),
        ("invoice_overdue_body", "{date}", "Unknown placeholder {date}"),
        ("confirmation_subject", "x" * 201, "at most 200 characters"),
    ],
)
def test_bad_input_writes_nothing(owner_client, business, field, value, message):
    response = owner_client.post(SETTINGS_URL, {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert b"There is a problem" in response.content
    assert not NotificationSettings.objects.exists()


def test_bad_input_leaves_saved_settings_unchanged(owner_client, business):
    switch_on(business, invoice_reminder_days=[3, 10, 24])
    response = owner_client.post(
        SETTINGS_URL, {**VALID, "confirmation_enabled": "", "invoice_reminder_days": "x"}
    )
    assert response.status_code == 400
    saved = NotificationSettings.objects.get(business=business)
    assert saved.confirmation_enabled and saved.invoice_reminder_days == [3, 10, 24]


def test_get_only_on_preview(owner_client):
    response = owner_client.post(reverse("notify:preview", args=["confirmation"]))
    assert response.status_code == 405


@pytest.mark.parametrize("kind", MessageKind.values)
def test_preview_each_kind_with_sample_data(owner_client, business, kind):
    response = owner_client.get(reverse("notify:preview", args=[kind]))
    assert response.status_code == 200
    assert business.name in response.content.decode()
    assert response.context["email"].subject
    assert b"<html" not in response.content[20:]  # the body only, inside the page
    assert b"<style" not in response.content  # the page's CSP allows no inline style


def test_preview_uses_the_saved_words_safely(owner_client, business):
    switch_on(business, confirmation_body="Hi {customer_name} <script>alert(1)</script>")
    response = owner_client.get(reverse("notify:preview", args=["confirmation"]))
    content = response.content.decode()
    assert "Hi Jamie Smith &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


def test_preview_of_an_unknown_kind_is_404(owner_client):
    assert owner_client.get("/account/business/reminders/preview/nothing/").status_code == 404


def _log(business, **fields):
    return SentMessage.objects.create(
        business=business,
        claimed_at=timezone.now(),
        sent_at=timezone.now(),
        status=SentMessage.Status.SENT,
        to="jamie@example.com",
        **fields,
    )


def test_booking_detail_shows_messages_sent(owner_client, business):
    booking = make_booking(business)
    _log(
        business,
        kind=MessageKind.CONFIRMATION,
        reason_key=f"confirm:{booking.public_id}",
        booking=booking,
        subject="Your booking with Sparkle",
    )
    response = owner_client.get(reverse("booking:detail", args=[booking.public_id]))
    content = response.content.decode()
    assert "Messages sent" in content
    assert "Booking confirmation to jamie@example.com" in content
    assert "“Your booking with Sparkle”" in content


def test_booking_detail_without_messages_says_how_to_start(owner_client, business):
    booking = make_booking(business)
    response = owner_client.get(reverse("booking:detail", args=[booking.public_id]))
    assert b"No emails sent yet" in response.content
    assert SETTINGS_URL.encode() in response.content


def test_invoice_detail_shows_messages_sent(owner_client, business, other_business):
    invoice = overdue_invoice(business, 3)
    _log(
        business,
        kind=MessageKind.INVOICE_OVERDUE,
        reason_key=f"invoice-overdue:{invoice.public_id}:3",
        invoice=invoice,
        booking=invoice.booking,
        step=3,
        subject="Invoice overdue",
    )
    failed = _log(
        business,
        kind=MessageKind.INVOICE_OVERDUE,
        reason_key=f"invoice-overdue:{invoice.public_id}:10",
        invoice=invoice,
        step=10,
    )
    SentMessage.objects.filter(pk=failed.pk).update(
        status=SentMessage.Status.FAILED, sent_at=None, error="the mail server refused the address"
    )
    response = owner_client.get(reverse("booking:invoice_detail", args=[invoice.public_id]))
    content = response.content.decode()
    assert "Overdue invoice reminder to jamie@example.com" in content
    assert "Not sent" in content and "the mail server refused the address" in content


def test_messages_sent_costs_one_query(owner_client, business, django_assert_max_num_queries):
    booking = make_booking(business)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        owner_client.get(reverse("booking:detail", args=[booking.public_id]))
    baseline_queries = len(before)
    for index in range(20):
        _log(
            business,
            kind=MessageKind.REMINDER,
            reason_key=f"reminder:{booking.public_id}:{index}",
            booking=booking,
        )
    with django_assert_max_num_queries(baseline_queries):
        owner_client.get(reverse("booking:detail", args=[booking.public_id]))
