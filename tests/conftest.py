"""Shared fixtures: an owner, a teammate (office), a cleaner and an outsider
business, and clients signed in as each of them."""

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory, add_member, make_business

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate-limit counters live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", email="owner@example.com")


@pytest.fixture
def business(owner):
    return make_business(owner, name="Sparkle Home Cleaning")


@pytest.fixture
def member(business):
    return add_member(business, username="member", email="member@example.com")


@pytest.fixture
def cleaner(business):
    return add_member(
        business,
        role="cleaner",
        username="cleaner",
        email="cleaner@example.com",
        first_name="Maria",
        last_name="Lopez",
    )


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", email="outsider@example.com")


@pytest.fixture
def other_business(outsider):
    return make_business(outsider, name="Rival Cleaners")


def _client_for(user):
    client = Client()
    client.force_login(user, backend="account.backends.UsernameOrEmailBackend")
    return client


@pytest.fixture
def owner_client(owner, business):
    return _client_for(owner)


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def cleaner_client(cleaner):
    return _client_for(cleaner)


@pytest.fixture
def outsider_client(outsider, other_business):
    return _client_for(outsider)


@pytest.fixture
def password():
    return PASSWORD


# --- Browser tests ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright. In CI a missing browser
    fails the run; elsewhere the browser tests are skipped."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    path = Path(os.environ.get("FIELDBOOK_SCREENSHOTS", Path(__file__).parent.parent / "artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
