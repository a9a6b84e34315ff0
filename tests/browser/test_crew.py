"""The owner gives a job to a cleaner; the cleaner, on a phone, starts and
completes it from My jobs; the owner sees it completed."""

import pytest
from playwright.sync_api import expect

from booking.models import Booking, BookingStatus
from tests.booking.factories import make_booking
from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD, add_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/account/login/")
    assert_accessible(page)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/login/" not in url)
    assert_accessible(page)


def test_owner_assigns_cleaner_who_completes_the_job_on_a_phone(
    page, browser, live_server, owner, business, screenshot_dir
):
    add_member(
        business,
        role="cleaner",
        username="maria",
        first_name="Maria",
        last_name="Lopez",
    )
    # Today at midnight: the job has started, so completing it needs no confirmation.
    booking = make_booking(
        business,
        days=0,
        hour=0,
        customer_first_name="Grace",
        customer_last_name="Hopper",
        special_requests="Gate code 4512",
        addons={"oven": 1},
    )

    # The owner assigns Maria on the booking's form.
    sign_in(page, live_server, owner.username)
    page.goto(f"{live_server.url}/booking/detail/{booking.public_id}/")
    expect(page.get_by_text("Nobody assigned yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change").click()
    expect(page.locator("#quote-total")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Maria Lopez").check()
    page.get_by_role("button", name="Save and re-price").click()
    expect(page.get_by_text("Booking updated.")).to_be_visible()
    expect(page.locator(".crew-chip", has_text="Maria Lopez")).to_be_visible()
    assert_accessible(page)

    # Maria signs in on a phone and lands on My jobs.
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        sign_in(phone, live_server, "maria")
        expect(phone.get_by_role("heading", name="My jobs", level=1)).to_be_visible()
        card = phone.locator(f"#job-{booking.public_id}")
        expect(card).to_contain_text("Grace Hopper")
        expect(card).to_contain_text("Gate code 4512")
        expect(card).to_contain_text("Inside oven")
        expect(card.get_by_role("link", name="Call (512) 555-0199")).to_have_attribute(
            "href", "tel:+15125550199"
        )
        expect(phone.locator("main")).not_to_contain_text("$")
        phone.screenshot(path=screenshot_dir / "my-jobs-phone.png", full_page=True)

        card.get_by_label("Notes for the office (optional)").fill("Starting upstairs")
        card.get_by_role("button", name="Start").click()
        expect(phone.get_by_text(f"Job {booking.public_id} started.")).to_be_visible()
        assert_accessible(phone)
        card = phone.locator(f"#job-{booking.public_id}")
        expect(card.get_by_text("In progress")).to_be_visible()
        card.get_by_label("Notes for the office (optional)").fill("All done, oven spotless")
        card.get_by_role("button", name="Complete").click()
        expect(phone.get_by_text(f"Job {booking.public_id} completed.")).to_be_visible()
        expect(phone.locator(f"#job-{booking.public_id}")).to_contain_text("Completed")
        assert_accessible(phone)
        phone.screenshot(path=screenshot_dir / "my-jobs-completed-phone.png", full_page=True)
    finally:
        context.close()

    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert booking.completed_by.username == "maria"
    assert Booking.objects.get(pk=booking.pk).invoices.count() == 1

    # The owner sees it completed, by Maria, with her notes.
    page.reload()
    expect(page.get_by_text("by Maria Lopez. This booking is read-only.")).to_be_visible()
    expect(page.get_by_text("Completion notes: All done, oven spotless")).to_be_visible()
    assert_accessible(page)
