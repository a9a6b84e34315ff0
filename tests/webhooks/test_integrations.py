import pytest
from django.urls import reverse

from webhooks.models import Integration

from .addresses import LOCAL_FORMS, PUBLIC_IP, install_fake_dns, local_dns

pytestmark = pytest.mark.django_db

DATA = {
    "name": "Zapier",
    "url": "https://hooks.example.com/catch/1",
    "events": ["booking.created", "invoice.paid"],
    "is_active": "on",
}


def test_add_integration_shows_secret_once(owner_client, business):
    response = owner_client.post(reverse("webhooks:integration_add"), DATA)
    assert response.status_code == 200
    integration = Integration.objects.get(business=business)
    assert integration.events == ["booking.created", "invoice.paid"]
    assert integration.signing_secret.startswith("whsec_")
    assert integration.signing_secret.encode() in response.content
    listing = owner_client.get(reverse("webhooks:integration_list"))
    assert integration.signing_secret.encode() not in listing.content
    assert b"Zapier" in listing.content


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"url": "ftp://example.com/x"}, b"Use an http or https URL."),
        ({"url": "not a url"}, b"Enter a valid URL."),
        ({"events": ["nope"]}, b"Select a valid choice"),
        ({"events": []}, b"This field is required."),
        ({"name": ""}, b"This field is required."),
    ],
)
def test_add_integration_rejects_bad_input(owner_client, business, change, message):
    response = owner_client.post(reverse("webhooks:integration_add"), {**DATA, **change})
    assert response.status_code == 400
    assert message in response.content
    assert not Integration.objects.exists()


def test_edit_and_regenerate_secret(owner_client, business):
    integration = Integration.objects.create(
        business=business, name="A", url="https://a.example", events=["lead.created"]
    )
    old = integration.signing_secret
    response = owner_client.post(
        reverse("webhooks:integration_edit", args=[integration.pk]), {**DATA, "name": "B"}
    )
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.name == "B"
    assert integration.signing_secret == old
    response = owner_client.post(
        reverse("webhooks:integration_regenerate_secret", args=[integration.pk])
    )
    integration.refresh_from_db()
    assert integration.signing_secret != old
    assert integration.signing_secret.encode() in response.content


def test_delete_integration(owner_client, business):
    integration = Integration.objects.create(
        business=business, name="A", url="https://a.example", events=[]
    )
    url = reverse("webhooks:integration_delete", args=[integration.pk])
    assert owner_client.get(url).status_code == 200
    assert Integration.objects.filter(pk=integration.pk).exists()
    assert owner_client.post(url).status_code == 302
    assert not Integration.objects.filter(pk=integration.pk).exists()


@pytest.mark.parametrize(
    "name", ["integration_edit", "integration_delete", "integration_regenerate_secret"]
)
def test_outsider_gets_404(outsider_client, business, name):
    integration = Integration.objects.create(
        business=business, name="A", url="https://a.example", events=[]
    )
    assert (
        outsider_client.post(reverse(f"webhooks:{name}", args=[integration.pk])).status_code == 404
    )
    integration.refresh_from_db()
    assert integration.name == "A"


def test_integration_list_query_count(owner_client, business, django_assert_max_num_queries):
    Integration.objects.bulk_create(
        Integration(
            business=business, name=f"I{n}", url="https://a.example", events=["lead.created"]
        )
        for n in range(25)
    )
    with django_assert_max_num_queries(5):
        response = owner_client.get(reverse("webhooks:integration_list"))
    assert response.status_code == 200


def test_pages_keep_their_addresses_under_the_business_settings():
    assert reverse("webhooks:integration_list") == "/account/business/integrations/"
    assert reverse("webhooks:integration_add") == "/account/business/integrations/add/"
    for name, suffix in [
        ("integration_edit", "edit"),
        ("integration_delete", "delete"),
        ("integration_regenerate_secret", "regenerate-secret"),
    ]:
        assert (
            reverse(f"webhooks:{name}", args=[7]) == f"/account/business/integrations/7/{suffix}/"
        )


@pytest.mark.parametrize("name", ["integration_list", "integration_add"])
def test_owner_only(client, member_client, name):
    url = reverse(f"webhooks:{name}")
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, DATA).status_code == 403
    assert client.get(url)["Location"].startswith(reverse("account:login"))
    assert not Integration.objects.exists()


def test_regenerate_secret_is_post_only(owner_client, business):
    integration = Integration.objects.create(
        business=business, name="A", url="https://a.example", events=[]
    )
    url = reverse("webhooks:integration_regenerate_secret", args=[integration.pk])
    assert owner_client.get(url).status_code == 405


# --- The target address is checked on save ------------------------------------------


@pytest.fixture
def dns(monkeypatch):
    return install_fake_dns(monkeypatch)


@pytest.mark.parametrize("form", LOCAL_FORMS)
def test_form_refuses_every_form_of_a_local_address(owner_client, business, dns, settings, form):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    local_dns(dns)
    response = owner_client.post(
        reverse("webhooks:integration_add"), {**DATA, "url": form.format(port=8650)}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert not Integration.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8650\\@example.com/k", "cannot contain a backslash"),
        ("http://user:secret@hooks.example.com/k", "cannot contain a user name or password"),
        ("http://[::127.0.0.1]:8650/k", "is a private or local address"),
        ("http://loopback.example/k", "loopback.example resolves to a private or local address"),
        ("http://nowhere.invalid/k", "The host nowhere.invalid does not resolve."),
    ],
)
def test_form_says_why_an_address_is_refused(owner_client, business, dns, settings, url, message):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    local_dns(dns)
    response = owner_client.post(reverse("webhooks:integration_add"), {**DATA, "url": url})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["url"])


def test_form_accepts_a_public_target(owner_client, business, dns, settings):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    dns.answers["hooks.example.com"] = [PUBLIC_IP]
    response = owner_client.post(reverse("webhooks:integration_add"), DATA)
    assert response.status_code == 200
    assert Integration.objects.get().url == DATA["url"]


def test_form_refuses_backslash_and_user_info_even_when_private_targets_are_allowed(
    owner_client, business
):
    for url in ("http://127.0.0.1:8650\\@example.com/k", "http://a:b@127.0.0.1:8650/k"):
        response = owner_client.post(reverse("webhooks:integration_add"), {**DATA, "url": url})
        assert response.status_code == 400
    assert not Integration.objects.exists()
    # Local targets themselves are fine in development.
    response = owner_client.post(
        reverse("webhooks:integration_add"), {**DATA, "url": "http://127.0.0.1:8650/k"}
    )
    assert response.status_code == 200


def test_editing_to_a_local_address_is_refused(owner_client, business, dns, settings):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    integration = Integration.objects.create(
        business=business, name="A", url="https://93.184.216.34/in", events=["lead.created"]
    )
    response = owner_client.post(
        reverse("webhooks:integration_edit", args=[integration.pk]),
        {**DATA, "url": "http://[::ffff:127.0.0.1]/in"},
    )
    assert response.status_code == 400
    integration.refresh_from_db()
    assert integration.url == "https://93.184.216.34/in"


def test_saving_a_paused_integration_switched_off_keeps_it_paused(owner_client, business):
    integration = Integration.objects.create(
        business=business,
        name="A",
        url="https://a.example",
        events=["lead.created"],
        is_active=False,
        paused_at="2026-01-01T00:00:00Z",
        paused_reason="10 deliveries in a row failed",
        consecutive_failures=10,
    )
    data = {k: v for k, v in DATA.items() if k != "is_active"}
    response = owner_client.post(reverse("webhooks:integration_edit", args=[integration.pk]), data)
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.paused_at is not None and integration.consecutive_failures == 10
