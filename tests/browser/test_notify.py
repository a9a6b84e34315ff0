"""An owner switches on booking confirmations and reminders, writes their own
words, previews the emails, and sees a sent confirmation on the booking."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from booking.models import Booking
from notify.models import NotificationSettings
from tests.browser.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-123"


def shoot(page, screenshot_dir, name):
    for label, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=screenshot_dir / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_owner_sets_up_reminders_and_previews_them(page, live_server, screenshot_dir):
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    page.locator("#id_username").fill("demo")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_text("Getting started")).to_be_visible()
    assert_accessible(page)

    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_role("link", name="Reminders and emails").click()
    expect(page.get_by_role("heading", name="Reminders and emails")).to_be_visible()
    shoot(page, screenshot_dir, "notify-settings")
    # Only the field of the chosen reminder timing is shown.
    expect(page.get_by_label("Time the day before")).to_be_visible()
    expect(page.get_by_label("Hours before the start")).to_be_hidden()
    page.get_by_label("When the reminder goes out").select_option("hours_before")
    expect(page.get_by_label("Hours before the start")).to_be_visible()
    expect(page.get_by_label("Time the day before")).to_be_hidden()
    page.get_by_label("When the reminder goes out").select_option("day_before_at")

    page.get_by_label("Send booking confirmations").check()
    page.get_by_label("Send reminders the day before").check()
    page.get_by_label("Days after the due date").fill("3, 1")
    page.get_by_role("button", name="Save reminder settings").click()
    expect(page.get_by_text("from smallest to largest")).to_have_count(2)
    assert_accessible(page)
    assert not NotificationSettings.objects.exists()

    page.get_by_label("Days after the due date").fill("3, 10, 24")
    page.locator("#id_confirmation_subject").fill("See you {date}, {customer_name}!")
    page.get_by_role("button", name="Save reminder settings").click()
    expect(page.get_by_text("Reminder settings saved.")).to_be_visible()
    assert_accessible(page)
    saved = NotificationSettings.objects.get()
    assert saved.confirmation_enabled and saved.invoice_reminder_days == [3, 10, 24]

    page.get_by_role("link", name="Preview booking confirmation").click()
    expect(page.locator("#preview-subject")).to_contain_text("See you ")
    expect(page.locator("#preview-subject")).to_contain_text(", Jamie Smith!")
    shoot(page, screenshot_dir, "notify-preview-confirmation")
    for label, name in (
        ("Reminder the day before", "reminder"),
        ("Overdue invoice reminder", "invoice"),
        ("Crew: jobs of tomorrow", "crew"),
    ):
        page.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", name=f"Preview: {label}")).to_be_visible()
        shoot(page, screenshot_dir, f"notify-preview-{name}")

    # A new booking's confirmation goes out and shows on the booking.
    business = saved.business
    booking = Booking.objects.filter(business=business, status="scheduled").first()
    from notify import services

    mail.outbox = []
    assert services.send_confirmation(booking.pk) or booking.customer_email == ""
    page.goto(f"{live_server.url}/booking/detail/{booking.public_id}/")
    expect(page.get_by_role("heading", name="Messages sent")).to_be_visible()
    shoot(page, screenshot_dir, "notify-booking-messages")
