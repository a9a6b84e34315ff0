"""Each message kind is sent through the task queue once, logged, and only
when the business switched it on."""

import datetime as dt
import smtplib
import zoneinfo
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from booking import services as booking_services
from booking.models import Booking
from notify import crew, due, services
from notify.models import MessageKind, NotificationSettings, SentMessage
from tests.booking.factories import make_booking

from .conftest import switch_on
from .helpers import booking_at, hours_from_now, overdue_invoice

pytestmark = pytest.mark.django_db


# --- Confirmation -----------------------------------------------------------------


def test_booking_created_sends_a_confirmation_after_commit(
    business, notify_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = make_booking(business)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jamie@example.com"]
    assert message.alternatives[0][1] == "text/html"
    row = SentMessage.objects.get()
    assert (row.kind, row.reason_key, row.status, row.booking) == (
        MessageKind.CONFIRMATION,
        f"confirm:{booking.public_id}",
        SentMessage.Status.SENT,
        booking,
    )
    assert row.subject == message.subject and row.sent_at is not None


def test_no_confirmation_when_switched_off_or_never_set(
    business, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_booking(business)
    switch_on(business, confirmation_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_booking(business, days=4)
    assert mail.outbox == [] and not SentMessage.objects.exists()


def test_no_confirmation_without_an_email(business, notify_on, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = make_booking(business, customer_email="")
    assert not services.send_confirmation(booking.pk)
    assert mail.outbox == [] and not SentMessage.objects.exists()


def test_rolled_back_booking_sends_nothing(business, notify_on, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_booking(business)
        raise RuntimeError
    assert callbacks == [] and mail.outbox == []


def test_a_retried_task_sends_once(business, notify_on):
    from notify import tasks

    booking = make_booking(business)
    tasks.send_confirmation.enqueue(booking_id=booking.pk)
    tasks.send_confirmation.enqueue(booking_id=booking.pk)
    assert services.send_confirmation(booking.pk) is False
    assert len(mail.outbox) == 1
    assert SentMessage.objects.count() == 1


def test_a_failed_send_is_logged_and_retried_by_the_next_pass(business, notify_on):
    booking = make_booking(business)
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPRecipientsRefused({}),
    ):
        assert services.send_confirmation(booking.pk) is False
    row = SentMessage.objects.get()
    assert (row.status, row.attempts) == (SentMessage.Status.FAILED, 1)
    assert row.error == "the mail server refused the address"
    assert mail.outbox == []

    result = due.enqueue_due()
    assert result.confirmations == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (SentMessage.Status.SENT, 2)
    assert len(mail.outbox) == 1
    assert due.enqueue_due().confirmations == 0
    assert len(mail.outbox) == 1


def test_attempts_are_bounded(business, notify_on):
    from notify import log

    booking = make_booking(business)
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError
    ):
        services.send_confirmation(booking.pk)
        for _ in range(log.MAX_ATTEMPTS + 2):
            due.enqueue_due()
    row = SentMessage.objects.get()
    assert (row.status, row.attempts) == (SentMessage.Status.FAILED, log.MAX_ATTEMPTS)
    assert due.due_confirmations(timezone.now()) == []


def test_a_message_being_sent_is_not_sent_again(business, notify_on):
    booking = make_booking(business)
    SentMessage.objects.create(
        business=business,
        kind=MessageKind.CONFIRMATION,
        reason_key=f"confirm:{booking.public_id}",
        to="jamie@example.com",
        booking=booking,
        claimed_at=timezone.now(),
    )
    assert services.send_confirmation(booking.pk) is False
    assert mail.outbox == []


# --- Day-before reminder ------------------------------------------------------------


def test_day_before_at_a_set_local_time(business):
    notification_settings = switch_on(business, reminder_time=dt.time(17, 0))
    tz = business.tzinfo
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=tz)
    booking = booking_at(business, start)
    send_at = services.reminder_send_at(booking, notification_settings)
    assert send_at == dt.datetime(2026, 11, 22, 17, 0, tzinfo=tz)
    assert not services.reminder_due(booking, notification_settings, send_at - dt.timedelta(1))
    assert services.reminder_due(booking, notification_settings, send_at)
    assert services.reminder_due(booking, notification_settings, start - dt.timedelta(minutes=1))
    assert not services.reminder_due(booking, notification_settings, start)
    assert services.reminder_reason(booking) == f"reminder:{booking.public_id}:2026-11-23"


@pytest.mark.parametrize(
    ("zone", "utc_send"),
    [
        ("America/Chicago", dt.datetime(2026, 11, 22, 23, 0, tzinfo=dt.UTC)),
        ("Europe/Berlin", dt.datetime(2026, 11, 22, 16, 0, tzinfo=dt.UTC)),
        ("Asia/Tokyo", dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)),
        ("Pacific/Auckland", dt.datetime(2026, 11, 22, 4, 0, tzinfo=dt.UTC)),
    ],
)
def test_day_before_across_time_zones(business, zone, utc_send):
    business.timezone = zone
    business.save()
    notification_settings = switch_on(business, reminder_time=dt.time(17, 0))
    # 00:30 local on the 23rd: "the day before" is the local 22nd, not the UTC one.
    start = dt.datetime(2026, 11, 23, 0, 30, tzinfo=zoneinfo.ZoneInfo(zone))
    booking = booking_at(business, start)
    assert services.reminder_send_at(booking, notification_settings) == utc_send
    assert services.reminder_reason(booking).endswith(":2026-11-23")


def test_day_before_across_a_daylight_saving_change(business):
    notification_settings = switch_on(business, reminder_time=dt.time(17, 0))
    # Chicago leaves daylight time on 2026-11-01 at 02:00.
    booking = booking_at(business, dt.datetime(2026, 11, 2, 9, 0, tzinfo=business.tzinfo))
    assert services.reminder_send_at(booking, notification_settings) == dt.datetime(
        2026, 11, 1, 23, 0, tzinfo=dt.UTC
    )
    booking = booking_at(business, dt.datetime(2026, 11, 1, 9, 0, tzinfo=business.tzinfo))
    assert services.reminder_send_at(booking, notification_settings) == dt.datetime(
        2026, 10, 31, 22, 0, tzinfo=dt.UTC
    )


def test_hours_before(business):
    notification_settings = switch_on(
        business,
        reminder_mode=NotificationSettings.ReminderMode.HOURS_BEFORE,
        reminder_hours_before=6,
    )
    booking = booking_at(business, dt.datetime(2026, 11, 23, 9, 0, tzinfo=business.tzinfo))
    assert services.reminder_send_at(booking, notification_settings) == booking.start - (
        dt.timedelta(hours=6)
    )


def test_no_reminder_for_a_booking_made_after_the_reminder_time(business):
    notification_settings = switch_on(business, reminder_time=dt.time(17, 0))
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=business.tzinfo)
    booking = booking_at(business, start, created=start - dt.timedelta(hours=10))
    assert not services.reminder_due(booking, notification_settings, start - dt.timedelta(hours=2))


def _hours_before_settings(business, **fields):
    return switch_on(
        business,
        reminder_mode=NotificationSettings.ReminderMode.HOURS_BEFORE,
        reminder_hours_before=24,
        **fields,
    )


def test_the_pass_sends_each_due_reminder_once(business):
    _hours_before_settings(business, confirmation_enabled=False)
    due_booking = booking_at(business, hours_from_now(20))
    booking_at(business, hours_from_now(30))  # not yet
    booking_at(business, hours_from_now(20), customer_email="")  # nobody to tell
    cancelled = booking_at(business, hours_from_now(20))
    booking_services.booking_cancel(booking=cancelled, reason="Moved away")

    assert due.enqueue_due().reminders == 1
    assert due.enqueue_due().reminders == 0
    assert [m.to for m in mail.outbox] == [["jamie@example.com"]]
    row = SentMessage.objects.get()
    assert row.kind == MessageKind.REMINDER and row.booking == due_booking
    assert row.booking_start == due_booking.start
    assert mail.outbox[0].subject.startswith("Reminder: ")


def test_reminders_switched_off_send_nothing(business):
    _hours_before_settings(business, reminder_enabled=False)
    booking = booking_at(business, hours_from_now(20))
    assert due.enqueue_due().reminders == 0
    assert services.send_reminder(booking.pk) is False
    assert mail.outbox == []


def test_a_booking_moved_to_another_day_is_reminded_again(business):
    _hours_before_settings(business)
    booking = booking_at(business, hours_from_now(20))
    due.enqueue_due()
    moved = booking.start + dt.timedelta(days=2)
    Booking.objects.filter(pk=booking.pk).update(start=moved)
    assert due.enqueue_due().reminders == 0  # not due yet
    later = moved - dt.timedelta(hours=20)
    assert due.due_reminders(later) == [booking.pk]
    assert services.send_reminder(booking.pk, now=later)
    assert due.due_reminders(later) == []
    assert SentMessage.objects.filter(kind=MessageKind.REMINDER).count() == 2
    assert len(mail.outbox) == 2


def test_a_booking_moved_within_its_day_is_not_reminded_twice(business):
    _hours_before_settings(business)
    booking = booking_at(business, hours_from_now(20))
    due.enqueue_due()
    Booking.objects.filter(pk=booking.pk).update(start=booking.start + dt.timedelta(minutes=30))
    if services.reminder_reason(Booking.objects.get(pk=booking.pk)) == services.reminder_reason(
        booking
    ):
        assert due.enqueue_due().reminders == 0
        assert len(mail.outbox) == 1


# --- Overdue invoices -------------------------------------------------------------------


def test_invoice_schedule_steps(business):
    notification_settings = switch_on(business, invoice_reminder_days=[3, 10, 24])
    invoice = overdue_invoice(business, 0)
    today = invoice.due_date
    step = services.invoice_step_due
    assert step(invoice, notification_settings, today + dt.timedelta(days=2)) is None
    assert step(invoice, notification_settings, today + dt.timedelta(days=3)) == 3
    assert step(invoice, notification_settings, today + dt.timedelta(days=9)) == 3
    assert step(invoice, notification_settings, today + dt.timedelta(days=10)) == 10
    assert step(invoice, notification_settings, today + dt.timedelta(days=24)) == 24
    assert step(invoice, notification_settings, today + dt.timedelta(days=31)) is None


def test_overdue_invoice_reminders_follow_the_schedule(business):
    switch_on(business, invoice_reminder_days=[3, 10, 24])
    invoice = overdue_invoice(business, 3)
    overdue_invoice(business, 2)  # not yet
    assert due.enqueue_due().invoices == 1
    assert due.enqueue_due().invoices == 0
    row = SentMessage.objects.get(kind=MessageKind.INVOICE_OVERDUE)
    assert row.reason_key == f"invoice-overdue:{invoice.public_id}:3"
    assert (row.invoice, row.booking, row.step) == (invoice, invoice.booking, 3)

    type(invoice).objects.filter(pk=invoice.pk).update(
        due_date=business.today() - dt.timedelta(days=10)
    )
    assert due.enqueue_due().invoices == 1
    assert [m.step for m in SentMessage.objects.order_by("pk")] == [3, 10]
    assert len(mail.outbox) == 2


def test_reminders_stop_when_the_invoice_is_paid(business):
    switch_on(business)
    invoice = overdue_invoice(business, 3)
    booking_services.payment_record(
        invoice=invoice, amount=invoice.total, method="cash", paid_on=business.today()
    )
    assert due.enqueue_due().invoices == 0
    assert services.send_invoice_reminder(invoice.pk, 3) is False
    assert mail.outbox == []


def test_reminders_stop_when_the_invoice_is_void(business):
    switch_on(business)
    invoice = overdue_invoice(business, 10)
    booking_services.invoice_void(invoice=invoice, reason="Duplicate")
    assert due.enqueue_due().invoices == 0
    assert services.send_invoice_reminder(invoice.pk, 10) is False
    assert mail.outbox == []


def test_a_partly_paid_invoice_is_reminded_of_what_is_due(business):
    switch_on(business)
    invoice = overdue_invoice(business, 3)
    booking_services.payment_record(
        invoice=invoice, amount="10.00", method="cash", paid_on=business.today()
    )
    due.enqueue_due()
    assert f"${invoice.total - 10:,.2f}" in mail.outbox[0].body


def test_invoices_fully_reminded_drop_out_of_the_query(business):
    switch_on(business, invoice_reminder_days=[3])
    overdue_invoice(business, 3)
    due.enqueue_due()
    assert due.due_invoice_reminders(timezone.now()) == []


def test_invoice_reminders_switched_off(business):
    switch_on(business, invoice_reminders_enabled=False)
    invoice = overdue_invoice(business, 3)
    assert due.enqueue_due().invoices == 0
    assert services.send_invoice_reminder(invoice.pk, 3) is False


# --- Crew --------------------------------------------------------------------------------


def test_crew_digest_today_finds_no_assignments(business):
    switch_on(business, crew_digest_time=dt.time(0, 0))
    make_booking(business, days=1)
    assert crew.assignments_for_day(business, business.today()) == []
    assert due.enqueue_due().crew == 0


def test_crew_digest_lists_each_members_assigned_jobs_of_the_day(business, owner, cleaner):
    tomorrow = business.today() + dt.timedelta(days=1)
    first = make_booking(business, days=1, hour=9)
    second = make_booking(business, days=1, hour=13)
    make_booking(business, days=2, hour=9).assignees.set([cleaner.membership])
    cancelled = make_booking(business, days=1, hour=16)
    cancelled.status = "cancelled"
    cancelled.save(update_fields=["status"])
    first.assignees.set([cleaner.membership, owner.membership])
    second.assignees.set([cleaner.membership])
    cancelled.assignees.set([cleaner.membership])
    assert crew.assignments_for_day(business, tomorrow) == sorted(
        [(cleaner.email, [first, second]), (owner.email, [first])]
    )


def test_crew_digest_sends_one_email_per_member_once(business, monkeypatch):
    switch_on(business, crew_digest_time=dt.time(0, 0), confirmation_enabled=False)
    tomorrow = business.today() + dt.timedelta(days=1)
    first = make_booking(business, days=1, hour=9)
    second = make_booking(business, days=1, hour=13)
    monkeypatch.setattr(
        crew,
        "assignments_for_day",
        lambda b, day: (
            [("sam@example.com", [first, second]), ("kim@example.com", [second])]
            if day == tomorrow
            else []
        ),
    )
    assert due.enqueue_due().crew == 2
    assert due.enqueue_due().crew == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["kim@example.com", "sam@example.com"]
    rows = SentMessage.objects.filter(kind=MessageKind.CREW_DIGEST)
    assert {r.reason_key for r in rows} == {
        f"crew:{tomorrow.isoformat()}:sam@example.com",
        f"crew:{tomorrow.isoformat()}:kim@example.com",
    }


def test_crew_digest_waits_for_its_time(business, monkeypatch):
    notification_settings = switch_on(business, crew_digest_time=dt.time(18, 0))
    local_morning = dt.datetime.combine(business.today(), dt.time(9, 0), tzinfo=business.tzinfo)
    assert services.crew_digest_day(business, notification_settings, local_morning) is None
    evening = local_morning.replace(hour=18)
    assert services.crew_digest_day(business, notification_settings, evening) == (
        business.today() + dt.timedelta(days=1)
    )


# --- The command ----------------------------------------------------------------------------


def test_send_reminders_command(business):
    from io import StringIO

    from django.core.management import call_command

    _hours_before_settings(business)
    booking_at(business, hours_from_now(20))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 reminders" in out.getvalue()
    assert "run this command from cron" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_pass_costs_a_bounded_number_of_queries(
    business, other_business, django_assert_max_num_queries
):
    for owner_business in (business, other_business):
        _hours_before_settings(owner_business)
        for _ in range(4):
            booking_at(owner_business, hours_from_now(30))
            overdue_invoice(owner_business, 2)
    with django_assert_max_num_queries(7):
        due.due_reminders(timezone.now())
        due.due_invoice_reminders(timezone.now())
        due.due_confirmations(timezone.now())


def test_a_message_that_cannot_be_built_claims_nothing(business, notify_on, monkeypatch):
    from notify import messages

    booking = make_booking(business)  # its confirmation goes out (on commit): none here
    monkeypatch.setattr(
        messages, "build_booking_message", mock.Mock(side_effect=ValueError("broken"))
    )
    with pytest.raises(ValueError):
        services.send_confirmation(booking.pk)
    assert not SentMessage.objects.exists()
