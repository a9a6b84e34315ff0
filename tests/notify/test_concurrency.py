"""Two workers sending the same message at the same moment: one email.

On PostgreSQL with real transactions in two threads (each its own
connection); the claim is an INSERT under a unique constraint, and a retry
of a failed row is one conditional UPDATE."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from notify import log, services
from notify.models import MessageKind, SentMessage
from tests.booking.factories import make_booking

from .conftest import switch_on

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(target, workers=2):
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


@pytest.fixture
def slow_mail(monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def slow(self, messages):
        time.sleep(0.2)  # the other worker tries while this one is sending
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow)


def test_two_workers_send_a_confirmation_once(business, slow_mail):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    booking = make_booking(business)  # before switching on: no confirmation yet
    switch_on(business)
    results = _race(lambda: services.send_confirmation(booking.pk), workers=4)
    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1
    row = SentMessage.objects.get()
    assert (row.status, row.attempts) == (SentMessage.Status.SENT, 1)


def test_two_workers_retry_a_failed_message_once(business, slow_mail):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    booking = make_booking(business)  # before switching on: no confirmation yet
    switch_on(business)
    SentMessage.objects.create(
        business=business,
        kind=MessageKind.CONFIRMATION,
        reason_key=services.confirmation_reason(booking),
        to=booking.customer_email,
        booking=booking,
        status=SentMessage.Status.FAILED,
        claimed_at=timezone.now(),
    )
    results = _race(lambda: services.send_confirmation(booking.pk), workers=4)
    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1
    assert SentMessage.objects.get().attempts == 2


def test_claims_race_directly(business):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    results = _race(
        lambda: log.claim(
            business=business,
            kind=MessageKind.REMINDER,
            reason_key="reminder:BK-RACE:2026-11-23",
            to="jamie@example.com",
        ),
        workers=6,
    )
    assert sum(1 for row in results if row is not None) == 1
    assert SentMessage.objects.count() == 1
