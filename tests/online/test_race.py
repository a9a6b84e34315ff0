"""Two customers racing for the last window: only one gets it (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from booking.models import Booking
from online import availability, services

from .conftest import book_data, first_window


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_the_last_window_book_it_once(page, book_url, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    window = first_window(page)
    original = availability.window_at

    def slow_window_at(*args, **kwargs):
        # Widen the check-then-write gap so that a missing lock shows.
        found = original(*args, **kwargs)
        time.sleep(0.1)
        return found

    monkeypatch.setattr(services.availability, "window_at", slow_window_at)
    racers = 6
    barrier = threading.Barrier(racers)
    statuses, errors = [], []

    def race(n):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
            data = book_data(page, window=window, customer_email=f"racer{n}@example.com")
            barrier.wait(timeout=10)
            statuses.append(client.post(book_url, data).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [201] + [400] * (racers - 1)
    assert Booking.objects.filter(business=page.business, start=window.start).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_fill_a_window_up_to_its_capacity(page, book_url):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    page.capacity = 2
    page.save()
    window = first_window(page)
    racers = 5
    barrier = threading.Barrier(racers)
    statuses = []

    def race(n):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
            data = book_data(page, window=window, customer_email=f"racer{n}@example.com")
            barrier.wait(timeout=10)
            statuses.append(client.post(book_url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 201, 400, 400, 400]
    assert Booking.objects.filter(business=page.business, start=window.start).count() == 2
