"""The markup that assistive technology relies on, as the server renders it:
unique ids, an error summary on every form shown with errors, alerts for
form-level errors, a skip link, a real button for the user menu, scroll regions
that take the focus, and the API docs' language. The browser tests
(tests/browser/test_accessibility.py, test_keyboard.py) check the same pages
with axe and the keyboard."""

import re
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.booking.factories import make_invoice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag of a page, as (tag, attributes)."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def find(self, tag=None, **attrs):
        return [
            found
            for found in self.elements
            if (tag is None or found[0] == tag)
            and all(
                found[1].get(name.rstrip("_").replace("_", "-")) == value
                for name, value in attrs.items()
            )
        ]


def page(response):
    return Elements(response.content.decode())


def duplicate_ids(elements):
    counts = Counter(attrs["id"] for _, attrs in elements.elements if "id" in attrs)
    return [name for name, count in counts.items() if count > 1]


def summary_of(response):
    html = response.content.decode()
    match = re.search(r"<div[^>]*data-error-summary.*?</ul>", html, re.S)
    assert match, "no error summary"
    return match.group(0)


# --- Unique ids ------------------------------------------------------------------------


def test_profile_page_gives_each_form_its_own_ids(owner_client):
    elements = page(owner_client.get(reverse("account:profile")))
    assert duplicate_ids(elements) == []
    emails = elements.find("input", name="email")
    assert sorted(attrs["id"] for _, attrs in emails) == ["id_profile_email", "id_signin_email"]
    for _, attrs in elements.find("input"):
        if attrs.get("type") not in ("hidden", "submit") and "aria-label" not in attrs:
            assert elements.find("label", for_=attrs["id"]), attrs


def test_profile_form_errors_point_at_their_own_form(owner_client):
    response = owner_client.post(
        reverse("account:update_credentials"),
        {"action": "signin", "username": "owner", "email": "not-an-email"},
    )
    assert response.status_code == 400
    assert duplicate_ids(page(response)) == []
    assert 'href="#id_signin_email"' in summary_of(response)


# --- Errors ----------------------------------------------------------------------------


def test_failed_sign_in_is_an_alert_in_a_focusable_summary(client):
    UserFactory(username="alice")
    response = client.post(reverse("account:login"), {"username": "alice", "password": "wrong"})
    summary = summary_of(response)
    assert 'tabindex="-1"' in summary
    assert re.search(r'role="alert".*password do not match', summary, re.S)


def test_booking_form_with_errors_lists_them_with_links_to_the_fields(owner_client):
    response = owner_client.post(reverse("booking:create"), {"service_type": "standard"})
    assert response.status_code == 400
    summary = summary_of(response)
    assert '<a href="#id_customer_first_name">First name: The first name is missing.</a>' in (
        summary
    )
    assert 'href="#id_address"' in summary
    assert summary.count("data-error-summary") == 1


def test_invoice_line_errors_are_in_the_summary(owner_client, business):
    invoice = make_invoice(business)
    response = owner_client.post(
        reverse("booking:invoice_edit", args=[invoice.public_id]),
        {
            "due_date": (business.today() + timedelta(days=3)).isoformat(),
            "discount": "0",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Clean",
            "lines-0-quantity": "-1",
            "lines-0-unit_price": "100",
        },
    )
    assert response.status_code == 400
    assert re.search(r'href="#id_lines-0-quantity">Line 1, quantity: ', summary_of(response))


def test_pages_without_errors_have_no_summary(owner_client):
    for name in ("booking:create", "account:profile", "leads:create"):
        assert b"data-error-summary" not in owner_client.get(reverse(name)).content


def test_error_messages_are_alerts_and_others_are_status(owner_client):
    response = owner_client.post(
        reverse("account:update_credentials"), {"action": "revoke_key", "key_id": "999"}
    )
    assert re.search(r'role="alert">\s*That API key does not exist', response.content.decode())
    response = owner_client.post(
        reverse("account:profile_update"),
        {"first_name": "Pat", "last_name": "Owner", "email": "owner@example.com", "phone": ""},
        follow=True,
    )
    assert re.search(r'role="status">\s*Your details were saved', response.content.decode())


# --- Layout ----------------------------------------------------------------------------


def test_skip_link_comes_first_and_targets_main(owner_client):
    html = owner_client.get(reverse("home")).content.decode()
    body = html.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#main"' in first_link and "skip-link" in first_link
    assert re.search(r'<main [^>]*id="main"[^>]*tabindex="-1"', html)


def test_user_menu_toggle_is_a_button(owner_client):
    elements = page(owner_client.get(reverse("home")))
    toggles = elements.find(data_bs_toggle="dropdown")
    assert [tag for tag, _ in toggles] == ["button"]
    assert toggles[0][1]["type"] == "button"


def test_scrolling_table_takes_the_focus(owner_client):
    elements = page(owner_client.get(reverse("account:credentials_edit")))
    regions = [
        attrs for _, attrs in elements.elements if "table-responsive" in attrs.get("class", "")
    ]
    assert regions
    for attrs in regions:
        assert attrs.get("tabindex") == "0" and attrs.get("role") == "region", attrs
        assert attrs.get("aria-label"), attrs


# --- API docs --------------------------------------------------------------------------


def test_api_docs_declare_their_language_without_inline_code(owner_client):
    response = owner_client.get(reverse("api-docs"))
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<style" not in html
    assert all(attrs.get("src") for _, attrs in page(response).find("script"))
    script = owner_client.get(reverse("api-docs") + "?script").content.decode()
    assert '"deepLinking": false' in script
