import pytest
from django.urls import reverse

from online.models import BookingPage
from online.services import booking_page_for

from .conftest import book_data

pytestmark = pytest.mark.django_db


def test_booking_page_and_its_sub_urls_may_be_framed(client, page, book_url):
    responses = [
        client.get(book_url),
        client.post(reverse("online:book_quote", args=[page.slug]), book_data(page)),
        client.post(book_url, book_data(page, bedrooms="x")),
    ]
    for response in responses:
        assert "X-Frame-Options" not in response
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors *" in csp
        assert "frame-ancestors 'none'" not in csp
        assert "script-src 'self'" in csp


def test_frame_ancestors_can_be_a_list(client, page, book_url, settings):
    settings.FIELDBOOK_BOOKING_PAGE_FRAME_ANCESTORS = ["https://sparkle.example"]
    csp = client.get(book_url)["Content-Security-Policy"]
    assert "frame-ancestors https://sparkle.example" in csp


@pytest.mark.parametrize("path", ["/account/login/", "/book/nobody/"])
def test_other_pages_refuse_framing(client, page, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_owner_pages_refuse_framing(owner_client, page):
    for path in ("/", reverse("online:settings")):
        response = owner_client.get(path)
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_public_form_works_without_csrf_cookie(page, book_url):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(book_url, book_data(page)).status_code == 201
    assert "csrftoken" not in strict.cookies


# --- settings -------------------------------------------------------------------------


def test_settings_page_for_the_owner(owner_client, business):
    response = owner_client.get(reverse("online:settings"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;iframe src=&quot;" in body
    assert "/book/sparkle-home-cleaning/" in body
    assert BookingPage.objects.get(business=business).enabled is False
    # Linked from the business menu.
    assert reverse("online:settings") in owner_client.get("/").content.decode()


def test_settings_need_the_owner(client, member_client, business):
    settings_url = reverse("online:settings")
    response = client.get(settings_url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert member_client.get(settings_url).status_code == 403


def _form(**overrides):
    data = {
        "enabled": "on",
        "slug": "sparkle",
        "mode": "request",
        "lead_time_hours": "12",
        "horizon_days": "30",
        "capacity": "",
        "window_minutes": "180",
        "change_cutoff_hours": "48",
        "allow_series_changes": "on",
        "brand_color": "#AA3300",
        "payment_instructions": "Cash or check.",
        "payment_link_template": "https://pay.example.com/{invoice}?amount={amount}",
        "days_off_text": "2026-12-25\n2027-01-01",
        "opens_0": "09:00",
        "closes_0": "15:00",
        "opens_5": "10:00",
        "closes_5": "12:00",
    }
    data.update(overrides)
    return data


def test_settings_save(owner_client, business):
    response = owner_client.post(reverse("online:settings"), _form())
    assert response.status_code == 302
    page = BookingPage.objects.get(business=business)
    assert page.enabled and page.slug == "sparkle" and page.mode == "request"
    assert page.working_hours == {"0": ["09:00", "15:00"], "5": ["10:00", "12:00"]}
    assert page.days_off == ["2026-12-25", "2027-01-01"]
    assert page.capacity is None
    assert page.brand_color == "#aa3300"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"slug": "admin"}, "reserved"),
        ({"slug": "rival"}, "Another business uses that address"),
        ({"slug": "a b"}, "slug"),
        ({"payment_link_template": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"payment_link_template": "ftp://pay.example.com/{amount}"}, "starts with https://"),
        ({"payment_link_template": "https://pay.example.com/{secret}"}, "Only {amount}"),
        ({"brand_color": "red"}, "such as #0d6efd"),
        ({"days_off_text": "tomorrow"}, "not a date"),
        ({"opens_1": "10:00", "closes_1": "09:00"}, "closing must be after opening"),
        ({"opens_2": "10:00"}, "both the opening and the closing time"),
        ({"lead_time_hours": "-1"}, "greater than or equal to 0"),
    ],
)
def test_settings_refuse_bad_input(owner_client, business, other_business, overrides, message):
    BookingPage.objects.create(business=other_business, slug="rival")
    before = booking_page_for(business).updated_at
    response = owner_client.post(reverse("online:settings"), _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BookingPage.objects.get(business=business).updated_at == before
