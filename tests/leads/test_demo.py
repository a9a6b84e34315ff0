from io import StringIO

import pytest
from django.core.management import call_command

from booking.models import Booking
from leads.models import Lead, LeadMessage
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


def counts():
    return (
        Lead.objects.count(),
        Booking.objects.count(),
        WebhookEvent.objects.count(),
        LeadMessage.objects.count(),
    )


def test_seed_demo_adds_leads_from_every_source_and_is_idempotent():
    call_command("seed_demo", "--password", "demo-pass-123", stdout=StringIO())
    assert set(Lead.objects.values_list("source", flat=True)) == set(Lead.Source.values)
    assert Lead.objects.filter(status=Lead.Status.CONVERTED).count() >= 2
    assert Booking.objects.filter(lead__isnull=False).count() >= 2
    statuses = set(WebhookEvent.objects.values_list("status", flat=True))
    assert {"processed", "ignored", "failed"} <= statuses
    dana = Lead.objects.get(name="Dana Whitfield")
    assert dana.messages.count() == 1
    chris = Lead.objects.get(name="Chris Nguyen")
    assert chris.retell["booking_problems"]
    before = counts()
    call_command("seed_demo", "--password", "demo-pass-123", stdout=StringIO())
    assert counts() == before


def test_bookings_demo_books_the_converted_demo_leads_after_the_leads_demo():
    from account.management.commands.seed_demo import Command

    order = [module.__name__ for module in Command._demo_modules()]
    assert order.index("booking.demo") > order.index("leads.demo")
    call_command("seed_demo", "--password", "demo-pass-123", stdout=StringIO())
    grace = Lead.objects.get(name="Grace Kim")
    assert grace.status == Lead.Status.CONVERTED
    assert [b.source for b in grace.bookings.all()] == ["lead"]
