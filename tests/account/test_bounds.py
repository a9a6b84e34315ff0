"""Out-of-range input on account pages: prices that would not fit an invoice,
API key ids that are not numbers and registrations racing for one username
or email answer a form error, never 500."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from account.forms import MemberForm, RegisterForm
from account.models import Addon, BusinessSettings, User
from booking import pricing
from core.money import MAX_AMOUNT
from tests.account.test_business import SETTINGS

pytestmark = pytest.mark.django_db

TOO_MUCH = b"a booking or invoice can hold. Lower some prices."


@pytest.mark.parametrize(
    "field, value",
    [
        ("base_price_standard", "100000.01"),
        ("base_price_deep", "100000.01"),
        ("discount_weekly", "100.01"),
        ("series_horizon_weeks", "53"),
        ("price_per_bedroom", "99999999.99"),
        ("deposit_amount", "100000.01"),
        ("sqft_rate_deep", "100.0001"),
    ],
)
def test_each_price_is_bounded(owner_client, business, field, value):
    response = owner_client.post(
        reverse("account:business_settings_edit"), {**SETTINGS, field: value}
    )
    assert response.status_code == 400
    assert BusinessSettings.objects.get(business=business).invoice_prefix == "INV-"


def test_prices_that_together_overflow_the_largest_booking_are_refused(owner_client, business):
    Addon.objects.filter(business=business).update(price=Decimal("100000"))
    prices = {
        **SETTINGS,
        "base_price_standard": "100000",
        "price_per_bedroom": "100000",
        "price_per_bathroom": "100000",
        "sqft_rate_standard": "100",
        "tax_rate": "100",
    }
    response = owner_client.post(reverse("account:business_settings_edit"), prices)
    assert response.status_code == 400
    assert TOO_MUCH in response.content
    assert b"50 bedrooms, 50 bathrooms, 100,000 sq ft and 99 of every add-on" in response.content
    assert BusinessSettings.objects.get(business=business).base_price_standard == Decimal("0.00")


def test_at_the_largest_allowed_prices_every_quote_fits(owner_client, business):
    """Prices as high as the settings accept; the largest booking still fits
    the money columns, and booking it works."""
    Addon.objects.filter(business=business).update(price=Decimal("1000"))
    prices = {
        **SETTINGS,
        "base_price_standard": "100000",
        "base_price_deep": "100000",
        "base_price_move_in_out": "100000",
        "base_price_airbnb": "100000",
        "price_per_bedroom": "100000",
        "price_per_bathroom": "100000",
        "sqft_rate_standard": "100",
        "sqft_rate_deep": "100",
        "sqft_rate_move_in_out": "100",
        "sqft_rate_airbnb": "100",
        "tax_rate": "100",
    }
    response = owner_client.post(reverse("account:business_settings_edit"), prices)
    assert response.status_code == 302
    business.refresh_from_db()
    addons = {addon.key: 99 for addon in Addon.objects.filter(business=business)}
    quote = pricing.quote(
        business=business,
        service_type="deep",
        bedrooms=50,
        bathrooms=50,
        square_feet=100_000,
        addons=addons,
    )
    assert quote.total <= MAX_AMOUNT
    from tests.booking.test_booking_views import form_data

    data = form_data(
        business,
        bedrooms="50",
        bathrooms="50",
        square_feet="100000",
        **{f"addon_{key}": "99" for key in addons},
    )
    response = owner_client.post(reverse("booking:create"), data)
    assert response.status_code == 302


def test_an_addon_price_that_would_overflow_the_largest_booking_is_refused(owner_client, business):
    Addon.objects.filter(business=business).update(price=Decimal("90000"))
    response = owner_client.post(
        reverse("account:addon_add"),
        {
            "name": "Whole-house steam",
            "key": "",
            "description": "",
            "price": "90000",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert TOO_MUCH in response.content
    assert not Addon.objects.filter(name="Whole-house steam").exists()
    # Inactive, it cannot be booked, so it does not count.
    response = owner_client.post(
        reverse("account:addon_add"),
        {"name": "Whole-house steam", "key": "", "description": "", "price": "90000"},
    )
    assert response.status_code == 302


def test_revoke_key_with_an_id_that_is_not_a_number(owner_client, owner):
    url = reverse("account:update_credentials")
    for key_id in ("abc", "1e5", "99999999999999999999999", "", "\x00"):
        response = owner_client.post(url, {"action": "revoke_key", "key_id": key_id})
        assert response.status_code == 400, key_id
        assert b"That API key does not exist or was already revoked." in response.content


# --- Registrations racing for one username or email -------------------------------------


def _skip_checks(monkeypatch, form_class):
    """Let the form pass its own uniqueness checks, as two requests in a race
    both do: only the database's unique constraints can then refuse one."""
    monkeypatch.setattr(form_class, "validate_unique", lambda self: None)
    monkeypatch.setattr(User, "validate_constraints", lambda self, exclude=None: None)
    monkeypatch.setattr(form_class, "clean_email", lambda self: self.cleaned_data["email"])
    if hasattr(form_class, "clean_username"):
        monkeypatch.setattr(
            form_class, "clean_username", lambda self: self.cleaned_data["username"]
        )


REGISTRATION = {
    "username": "racer",
    "email": "racer@example.com",
    "password1": "a-Long-unique-passphrase-42",
    "password2": "a-Long-unique-passphrase-42",
}


@pytest.mark.parametrize(
    "taken, field, message",
    [
        (
            {"username": "racer", "email": "other@example.com"},
            "username",
            "username already exists",
        ),
        ({"username": "other", "email": "RACER@example.com"}, "email", "email already exists"),
    ],
)
def test_registration_losing_a_race_is_a_form_error(client, monkeypatch, taken, field, message):
    User.objects.create_user(password="x-Long-pass-99", **taken)
    _skip_checks(monkeypatch, RegisterForm)
    response = client.post(reverse("account:register"), REGISTRATION)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_adding_a_team_member_losing_a_race_is_a_form_error(owner_client, business, monkeypatch):
    User.objects.create_user(username="newbie", email="x@example.com", password="x-Long-pass-99")
    _skip_checks(monkeypatch, MemberForm)
    response = owner_client.post(
        reverse("account:member_add"), {"username": "newbie", "email": "newbie@example.com"}
    )
    assert response.status_code == 400
    assert b"A user with that username already exists." in response.content


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_create_one_account_and_one_form_error(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for parallel writes")
    _skip_checks(monkeypatch, RegisterForm)
    barrier = threading.Barrier(4)
    statuses, errors = [], []

    def register(n):
        from django.db import connections

        try:
            data = {**REGISTRATION, "username": "racer" if n % 2 else "Racer"}
            barrier.wait(timeout=10)
            response = Client().post(reverse("account:register"), data)
            statuses.append(response.status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(statuses) == [200, 200, 200, 302]
    assert User.objects.filter(email__iexact="racer@example.com").count() == 1
