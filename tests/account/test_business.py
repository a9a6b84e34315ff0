import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from account.models import Business, BusinessSettings, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STANDARD_KEYS = {
    "dishes",
    "laundry",
    "windows",
    "pets",
    "fridge",
    "oven",
    "baseboards",
    "blinds",
    "green",
    "cabinets",
    "patio",
    "garage",
}
BUSINESS = {
    "name": "Shiny Homes",
    "email": "hi@shiny.example.com",
    "phone": "+15125550111",
    "address": "2 Oak St",
    "timezone": "America/Denver",
    "currency": "USD",
}


def test_register_business_seeds_settings_addons_and_credentials(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account:register_business"), BUSINESS)
    assert response.status_code == 302
    business = Business.objects.get(name="Shiny Homes")
    assert Membership.objects.get(user=user).role == "owner"
    assert set(business.addons.values_list("key", flat=True)) == STANDARD_KEYS
    assert business.settings.tax_rate == Decimal("0.00")
    assert len(business.credentials.webhook_secret) >= 43


def test_register_business_rejects_unknown_timezone(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account:register_business"), {**BUSINESS, "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Business.objects.exists()


def test_register_business_twice_is_refused(owner_client, business):
    response = owner_client.post(reverse("account:register_business"), BUSINESS)
    assert response.status_code == 302
    assert Business.objects.count() == 1


def test_register_business_requires_login(client):
    response = client.get(reverse("account:register_business"))
    assert response["Location"].startswith(reverse("account:login"))


def _png(size=(10, 10)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_business_edit_with_logo(owner_client, business):
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = owner_client.post(
        reverse("account:business_edit"), {**BUSINESS, "name": "Renamed", "logo": logo}
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.name == "Renamed"
    assert business.logo.name.startswith("logos/")


def test_business_logo_is_checked_by_content_not_name(owner_client, business):
    fake = SimpleUploadedFile("logo.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = owner_client.post(reverse("account:business_edit"), {**BUSINESS, "logo": fake})
    assert response.status_code == 400
    business.refresh_from_db()
    assert not business.logo
    assert business.name == "Sparkle Home Cleaning"


def test_business_logo_size_is_limited(owner_client, business, monkeypatch):
    monkeypatch.setattr("account.forms.LOGO_MAX_BYTES", 100)
    big = SimpleUploadedFile("logo.png", _png((200, 200)), content_type="image/png")
    response = owner_client.post(reverse("account:business_edit"), {**BUSINESS, "logo": big})
    assert response.status_code == 400
    assert b"2 MB or smaller" in response.content


SETTINGS = {
    "base_price_standard": "0",
    "base_price_deep": "0",
    "base_price_move_in_out": "0",
    "base_price_airbnb": "0",
    "price_per_bedroom": "20",
    "price_per_bathroom": "15",
    "sqft_rate_standard": "0.05",
    "sqft_rate_deep": "0.10",
    "sqft_rate_move_in_out": "0.12",
    "sqft_rate_airbnb": "0.06",
    "deposit_amount": "25",
    "tax_rate": "8",
    "default_duration_minutes": "150",
    "invoice_due_days": "30",
    "invoice_prefix": "SPK-",
    "invoice_notes": "Thanks!",
}


def test_settings_edit_saves_decimals(owner_client, business):
    response = owner_client.post(reverse("account:business_settings_edit"), SETTINGS)
    assert response.status_code == 302
    saved = BusinessSettings.objects.get(business=business)
    assert saved.tax_rate == Decimal("8.00")
    assert saved.sqft_rate_deep == Decimal("0.1000")
    assert saved.invoice_prefix == "SPK-"
    assert saved.pricing_updated_at is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price_per_bedroom", "-1", b"Must be zero or more."),
        ("tax_rate", "101", b"Tax rate cannot be above 100"),
        ("tax_rate", "-2", b"Tax rate cannot be negative."),
        ("base_price_deep", "abc", b"Enter a number."),
        ("discount_biweekly", "-1", b"A discount cannot be negative."),
        ("discount_monthly", "101", b"A discount cannot be above 100."),
        ("series_horizon_weeks", "0", b"Plan at least 1 week ahead."),
    ],
)
def test_settings_edit_rejects_bad_values(owner_client, business, field, value, message):
    response = owner_client.post(
        reverse("account:business_settings_edit"), {**SETTINGS, field: value}
    )
    assert response.status_code == 400
    assert message in response.content
    assert BusinessSettings.objects.get(business=business).pricing_updated_at is None


@pytest.mark.parametrize(
    "name",
    [
        "business_edit",
        "business_settings_edit",
        "credentials_edit",
        "team",
        "addon_list",
    ],
)
def test_owner_only_pages_forbid_members(member_client, name):
    assert member_client.get(reverse(f"account:{name}")).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "business_edit",
        "business_settings_edit",
        "credentials_edit",
        "team",
        "addon_list",
    ],
)
def test_owner_pages_send_anonymous_to_login(client, name):
    response = client.get(reverse(f"account:{name}"))
    assert response["Location"].startswith(reverse("account:login"))


def test_owner_pages_send_users_without_business_to_registration(client):
    client.force_login(UserFactory())
    response = client.get(reverse("account:business_settings_edit"))
    assert response["Location"] == reverse("account:register_business")


def test_settings_in_production_refuse_to_start_without_secret_key():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELDBOOK_"))}
    env.update({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""})
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env=env,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
