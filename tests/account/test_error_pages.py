"""Error pages use the site's layout with a way home, and a member's
navigation never offers a link that answers 403."""

import re

import pytest
from django.template import TemplateDoesNotExist
from django.test import Client, RequestFactory
from django.urls import reverse

from config import errors

pytestmark = pytest.mark.django_db


def _nav_links(html):
    navbar = re.search(r'<nav class="navbar.*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a [^>]*href="([^"#][^"]*)"', navbar)
    return sorted({link for link in links if link.startswith("/")})


@pytest.mark.parametrize("page", ["home", "booking:list", "leads:list", "account:profile"])
def test_member_navigation_has_no_forbidden_link(member_client, page):
    html = member_client.get(reverse(page)).content.decode()
    links = _nav_links(html)
    assert reverse("booking:list") in links
    assert reverse("webhooks:inbox") not in links
    for link in links:
        assert member_client.get(link).status_code != 403, link


def test_owner_navigation_links_all_open(owner_client):
    links = _nav_links(owner_client.get(reverse("home")).content.decode())
    assert reverse("webhooks:inbox") in links
    assert reverse("account:team") in links
    for link in links:
        assert owner_client.get(link).status_code == 200, link


def test_404_page_uses_the_site_layout(owner_client):
    response = owner_client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert 'id="error-home"' in content
    assert 'class="navbar' in content
    assert "Sparkle Home Cleaning" in content  # the signed-in user's menu


def test_404_page_for_anonymous_visitors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'id="error-home"' in response.content


def test_403_page_uses_the_site_layout(member_client):
    response = member_client.get(reverse("account:team"))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Only the business owner can do this." in content
    assert 'id="error-home"' in content
    assert 'class="navbar' in content


def test_500_page_has_a_way_home(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert 'id="error-home"' in content
    assert "/static/css/app.css" in content


def test_500_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert b"Go to the home page" in response.content


def test_500_page_falls_back_to_plain_html(monkeypatch):
    def broken(name):
        raise TemplateDoesNotExist(name)

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b'<a href="/">Go to the home page</a>' in response.content
